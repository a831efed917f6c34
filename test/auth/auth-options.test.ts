/**
 * The shared sign-in options: options win over VOICE_LIVE_* variables, any https authority works
 * (non-Microsoft hosts through knownAuthorities, as plain OIDC), and mistakes get clear errors.
 */
import { describe, expect, it } from 'vitest'
import {
  AuthOptionError,
  resolveAuthority,
  resolveClientId,
  resolveScope,
  resolveTenant,
} from '../../src-main/auth/auth-options.js'

describe('auth options', () => {
  it('defaults: organizations on Microsoft, the current Voice Live scope, no client id', () => {
    expect(resolveAuthority({}, {})).toEqual({
      url: 'https://login.microsoftonline.com/organizations/',
      knownAuthorities: [],
      protocol: 'AAD',
    })
    expect(resolveScope({}, {})).toBe('https://ai.azure.com/.default')
    expect(resolveClientId({}, {})).toBeUndefined()
  })

  it('options win over the environment', () => {
    const env = {
      VOICE_LIVE_TENANT: 'env-tenant',
      VOICE_LIVE_SCOPE: 'https://cognitiveservices.azure.com/.default',
      VOICE_LIVE_CLIENT_ID: 'env-client',
      VOICE_LIVE_AUTHORITY: 'https://login.microsoftonline.us/env',
    }
    expect(resolveAuthority({ tenant: 'contoso.onmicrosoft.com' }, env).url).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/',
    )
    expect(resolveAuthority({ authority: 'https://idp.example.org/t1' }, env).url).toBe('https://idp.example.org/t1/')
    expect(resolveScope({ scope: 'api://x/.default' }, env)).toBe('api://x/.default')
    expect(resolveClientId({ clientId: 'opt-client' }, env)).toBe('opt-client')
    expect(resolveTenant({}, env)).toBe('env-tenant')
    expect(resolveScope({}, env)).toBe('https://cognitiveservices.azure.com/.default')
  })

  it('a sovereign cloud stays on the Entra protocol; any other host is a known OIDC authority', () => {
    expect(resolveAuthority({ authority: 'https://login.microsoftonline.us/tenant' }, {})).toMatchObject({
      knownAuthorities: [],
      protocol: 'AAD',
    })
    expect(resolveAuthority({ authority: 'https://127.0.0.1:8443/tenant' }, {})).toEqual({
      url: 'https://127.0.0.1:8443/tenant/',
      knownAuthorities: ['127.0.0.1:8443'],
      protocol: 'OIDC',
    })
  })

  it.each([
    [{ authority: 'http://login.example.org/t' }, /must be an https URL/],
    [{ authority: 'not a url' }, /is not a URL/],
    [{ authority: 'https://a.example/t', tenant: 'x' }, /either --authority or --tenant/],
    [{ tenant: 'bad tenant!' }, /not a tenant id or domain/],
    [{ authority: 'https://user:pw@a.example/t' }, /must not contain a user name/],
  ])('%o is refused', (options, message) => {
    expect(() => resolveAuthority(options, {})).toThrow(AuthOptionError)
    expect(() => resolveAuthority(options, {})).toThrow(message)
  })

  it('a scope with spaces and a malformed client id are refused', () => {
    expect(() => resolveScope({ scope: 'a b' }, {})).toThrow(/one scope/)
    expect(() => resolveClientId({ clientId: 'x y' }, {})).toThrow(/not an application/)
  })
})
