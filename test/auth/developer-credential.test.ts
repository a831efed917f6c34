/**
 * The developer-credential token provider against fake `az` and `azd` programs on PATH (never
 * `default`: its chain probes the managed-identity address). What the tools are asked for (the
 * resource for each scope, the tenant), the cache up to five minutes before expiry, a fresh token
 * on reconnect, and the one-line fixes when a tool is missing or nobody is signed in.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { azureCliAccountName } from '../../src-main/auth/azure-cli-account.js'
import {
  CredentialUnavailable,
  createDeveloperTokenProvider,
  explainCredentialFailure,
} from '../../src-main/auth/developer-credential.js'
import { TOKEN_SCOPES } from '../../src-main/voicelive-protocol/connection-url.js'
import { useFakeAzureTools } from '../support/fake-azure-tools.js'
import { makeSession, waitFor } from '../voice-session/helpers.js'
import { scriptedServers } from '../voice-session/scripted-server.js'

const tools = useFakeAzureTools()
const servers = scriptedServers()
afterEach(() => servers.closeAll())

/** The error a token request fails with (a success fails the test). */
async function failureOf(request: Promise<string>): Promise<Error> {
  const token = await request.catch((error: unknown) => error)
  if (!(token instanceof Error)) throw new Error('expected the token request to fail')
  return token
}

const TOKEN_A = 'fake-entra-token-A-0c9f1e2d3b4a'
const TOKEN_B = 'fake-entra-token-B-7d6e5f4a3b2c'

describe('the Azure CLI credential', () => {
  it('asks az for the resource of each scope (and the tenant), and returns its token', async () => {
    tools.azSignIn({ token: TOKEN_A, expiresInS: 3600 })
    expect(await createDeveloperTokenProvider({ credential: 'cli' }).getToken(TOKEN_SCOPES.default)).toBe(TOKEN_A)
    const legacy = createDeveloperTokenProvider({ credential: 'cli', tenantId: 'contoso.onmicrosoft.com' })
    expect(await legacy.getToken(TOKEN_SCOPES.legacy)).toBe(TOKEN_A)
    expect(tools.calls('az')).toEqual([
      'account get-access-token --output json --resource https://ai.azure.com',
      'account get-access-token --output json --resource https://cognitiveservices.azure.com --tenant contoso.onmicrosoft.com',
    ])
  })

  it('keeps a token until five minutes before it expires, then asks again', async () => {
    const provider = createDeveloperTokenProvider({ credential: 'cli' })
    tools.azSignIn({ token: TOKEN_A, expiresInS: 6 * 60 })
    expect(await provider.getToken(TOKEN_SCOPES.default)).toBe(TOKEN_A)
    tools.azSignIn({ token: TOKEN_B, expiresInS: 3600 })
    expect(await provider.getToken(TOKEN_SCOPES.default)).toBe(TOKEN_A) // 6 min left: still good
    expect(tools.calls('az')).toHaveLength(1)

    const nearExpiry = createDeveloperTokenProvider({ credential: 'cli' })
    tools.azSignIn({ token: TOKEN_A, expiresInS: 4 * 60 })
    expect(await nearExpiry.getToken(TOKEN_SCOPES.default)).toBe(TOKEN_A)
    tools.azSignIn({ token: TOKEN_B, expiresInS: 3600 })
    expect(await nearExpiry.getToken(TOKEN_SCOPES.default)).toBe(TOKEN_B) // 4 min left: renewed
    expect(tools.calls('az')).toHaveLength(3)
  })

  it('nobody signed in: one line naming `az login` (with the tenant when one was given)', async () => {
    const failure = (tenantId?: string) =>
      failureOf(createDeveloperTokenProvider({ credential: 'cli', tenantId }).getToken(TOKEN_SCOPES.default))
    const plain = await failure()
    expect(plain).toBeInstanceOf(CredentialUnavailable)
    expect(plain.message).toBe('the Azure CLI is not signed in: run `az login` (Azure CLI)')
    expect((await failure('contoso.onmicrosoft.com')).message).toBe(
      'the Azure CLI is not signed in: run `az login --tenant contoso.onmicrosoft.com` (Azure CLI)',
    )
  })

  it('no az on PATH: says to install the Azure CLI', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-az-'))
    const saved = process.env['PATH']
    process.env['PATH'] = empty
    try {
      const error = await failureOf(createDeveloperTokenProvider({ credential: 'cli' }).getToken(TOKEN_SCOPES.default))
      expect(error).toBeInstanceOf(CredentialUnavailable)
      expect(error.message).toBe(
        'the Azure CLI (az) is not installed or not on PATH: install it (https://aka.ms/azure-cli), then run `az login` (Azure CLI)',
      )
      expect(await azureCliAccountName()).toBeNull()
    } finally {
      process.env['PATH'] = saved
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('reads the signed-in user name from `az account show`, or null when signed out', async () => {
    tools.azSignIn({ token: TOKEN_A, expiresInS: 3600, user: 'ada@contoso.com' })
    expect(await azureCliAccountName()).toBe('ada@contoso.com')
    expect(tools.calls('az')).toEqual(['account show --output json'])
    tools.signOut()
    expect(await azureCliAccountName()).toBeNull()
  })
})

describe('the Azure Developer CLI credential', () => {
  it('asks azd for the scope and returns its token; signed out, it names `azd auth login`', async () => {
    tools.azdSignIn({ token: TOKEN_B, expiresInS: 3600 })
    const provider = createDeveloperTokenProvider({ credential: 'azd', tenantId: 'contoso.onmicrosoft.com' })
    expect(await provider.getToken(TOKEN_SCOPES.default)).toBe(TOKEN_B)
    expect(tools.calls('azd')).toEqual([
      'auth token --output json --no-prompt --scope https://ai.azure.com/.default --tenant-id contoso.onmicrosoft.com',
    ])
    tools.signOut()
    const error = await failureOf(createDeveloperTokenProvider({ credential: 'azd' }).getToken(TOKEN_SCOPES.default))
    expect(error.message).toBe('the Azure Developer CLI is not signed in: run `azd auth login` (Azure Developer CLI)')
  })
})

describe('failure messages', () => {
  it('never repeat a tool answer that may hold a token, and stay on one line', () => {
    const garbled = new Error(`Unexpected token 'e', "eyJhbGciOiJSUzI1NiJ9.secret" is not valid JSON`)
    const message = explainCredentialFailure('cli', undefined, garbled)
    expect(message).not.toContain('eyJ')
    expect(message).toBe(
      'the Azure CLI gave no token (its answer was not a token): check that `az account get-access-token` works, or run `az login` (Azure CLI)',
    )
    const chain = new Error(
      'ChainedTokenCredential authentication failed.\nCredentialUnavailableError: EnvironmentCredential is unavailable.\n...',
    )
    expect(explainCredentialFailure('default', undefined, chain)).toBe(
      'DefaultAzureCredential found no usable sign-in: run `az login` (Azure CLI) or `azd auth login` (Azure Developer CLI), or choose one with --credential cli or azd',
    )
  })
})

describe('with the session core', () => {
  /** Two connections: the first is dropped after its handshake, the second stays. */
  async function dropOnceAndReconnect(expiresInS: number): Promise<string[]> {
    tools.azSignIn({ token: TOKEN_A, expiresInS })
    const server = await servers.serve(async (connection, index) => {
      await connection.handshake(`sess_${index}`)
      if (index === 0) {
        tools.azSignIn({ token: TOKEN_B, expiresInS: 3600 })
        connection.socket.terminate()
      }
    })
    const { session } = makeSession(server.url, {
      connection: {
        endpoint: server.url,
        auth: { kind: 'token-provider', provider: createDeveloperTokenProvider({ credential: 'cli' }) },
        target: { kind: 'model', model: 'gpt-realtime' },
      },
    })
    const reconnected = waitFor(session, 'state', (state) => state.status === 'live' && state.sessionId === 'sess_1')
    await session.start()
    await reconnected
    await session.stop()
    return server.connections.map((connection) => connection.request.headers['authorization'] ?? '')
  }

  it('a token close to expiry is fetched again before a reconnect', async () => {
    expect(await dropOnceAndReconnect(4 * 60)).toEqual([`Bearer ${TOKEN_A}`, `Bearer ${TOKEN_B}`])
    expect(tools.calls('az')).toHaveLength(2)
  })

  it('a token with time left is reused for the reconnect, with no second run of az', async () => {
    expect(await dropOnceAndReconnect(3600)).toEqual([`Bearer ${TOKEN_A}`, `Bearer ${TOKEN_A}`])
    expect(tools.calls('az')).toHaveLength(1)
  })
})
