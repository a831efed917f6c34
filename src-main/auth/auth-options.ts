/**
 * Who signs in, where, and for which scope: the tenant/authority/client id/scope options shared by
 * `voicelive auth`, `voicelive chat --entra`, the app and any other credential (`--credential`) that
 * needs a tenant or a scope. Options always win over the environment (`VOICE_LIVE_*`).
 *
 * An authority is any https URL. Microsoft's own login hosts (public and sovereign clouds) use
 * MSAL's Entra ("AAD") protocol mode; any other host is trusted through `knownAuthorities` and
 * spoken to as a plain OpenID Connect provider, so MSAL never asks Microsoft's instance discovery
 * about it.
 */
import { TOKEN_SCOPES } from '../voicelive-protocol/connection-url.js'

export const AUTH_ENVIRONMENT = {
  clientId: 'VOICE_LIVE_CLIENT_ID',
  authority: 'VOICE_LIVE_AUTHORITY',
  tenant: 'VOICE_LIVE_TENANT',
  scope: 'VOICE_LIVE_SCOPE',
} as const

/** Work and school accounts of any tenant; Azure resource tokens need an organisational tenant. */
export const DEFAULT_TENANT = 'organizations'
export const MICROSOFT_LOGIN_HOST = 'https://login.microsoftonline.com'
/** The scope for resource discovery (Azure Resource Manager). */
export const ARM_SCOPE = 'https://management.azure.com/.default'

/** Login hosts MSAL knows as Microsoft's (public cloud, sovereign clouds, aliases). */
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login-us.microsoftonline.com',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
  'login.sovcloud-identity.fr',
  'login.sovcloud-identity.de',
  'login.sovcloud-identity.sg',
])

/** A bad auth option or variable, with a message fit for the user. */
export class AuthOptionError extends Error {
  override readonly name = 'AuthOptionError'
}

/** The raw option values as given (undefined = not given). */
export interface AuthOptionValues {
  readonly tenant?: string | undefined
  readonly authority?: string | undefined
  readonly clientId?: string | undefined
  readonly scope?: string | undefined
}

export interface Authority {
  /** Ends with a slash, as MSAL's canonical form does. */
  readonly url: string
  /** Empty for Microsoft hosts; `[host]` for anything else (no instance discovery). */
  readonly knownAuthorities: readonly string[]
  /** 'AAD' for Microsoft hosts, 'OIDC' for any other OpenID Connect provider. */
  readonly protocol: 'AAD' | 'OIDC'
}

type Env = Readonly<Record<string, string | undefined>>

const given = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined)

/** A tenant id (GUID) or domain. The Azure CLI gets it on a command line, so nothing else passes. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/

/** `--tenant` over `VOICE_LIVE_TENANT`; undefined when neither is set. */
export function resolveTenant(options: AuthOptionValues, env: Env): string | undefined {
  const tenant = given(options.tenant) ?? given(env[AUTH_ENVIRONMENT.tenant])
  if (tenant !== undefined && !TENANT_PATTERN.test(tenant)) {
    throw new AuthOptionError(`the tenant "${tenant}" is not a tenant id or domain (e.g. contoso.onmicrosoft.com)`)
  }
  return tenant
}

/** `--scope` over `VOICE_LIVE_SCOPE`, else the current Voice Live scope. */
export function resolveScope(options: AuthOptionValues, env: Env): string {
  const scope = given(options.scope) ?? given(env[AUTH_ENVIRONMENT.scope]) ?? TOKEN_SCOPES.default
  if (/\s/.test(scope)) throw new AuthOptionError(`the scope "${scope}" must be one scope without spaces`)
  return scope
}

/** Parse an https authority URL the user gave. */
export function parseAuthority(text: string): Authority {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new AuthOptionError(`the authority "${text}" is not a URL; expected e.g. ${MICROSOFT_LOGIN_HOST}/<tenant>`)
  }
  if (url.protocol !== 'https:') {
    throw new AuthOptionError(`the authority must be an https URL (got ${url.protocol}//${url.host})`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AuthOptionError('the authority must not contain a user name, password, query or fragment')
  }
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`
  const canonical = `${url.origin}${path}`
  const microsoft = MICROSOFT_LOGIN_HOSTS.has(url.hostname.toLowerCase())
  return { url: canonical, knownAuthorities: microsoft ? [] : [url.host], protocol: microsoft ? 'AAD' : 'OIDC' }
}

/**
 * The authority: options (`--authority` or `--tenant`, not both) over the environment
 * (`VOICE_LIVE_AUTHORITY` or `VOICE_LIVE_TENANT`), else Microsoft's `organizations`.
 */
export function resolveAuthority(options: AuthOptionValues, env: Env): Authority {
  const optionAuthority = given(options.authority)
  const optionTenant = given(options.tenant)
  if (optionAuthority && optionTenant) throw new AuthOptionError('use either --authority or --tenant, not both')
  if (optionAuthority) return parseAuthority(optionAuthority)
  if (!optionTenant) {
    const envAuthority = given(env[AUTH_ENVIRONMENT.authority])
    if (envAuthority && given(env[AUTH_ENVIRONMENT.tenant])) {
      throw new AuthOptionError(`set either ${AUTH_ENVIRONMENT.authority} or ${AUTH_ENVIRONMENT.tenant}, not both`)
    }
    if (envAuthority) return parseAuthority(envAuthority)
  }
  return parseAuthority(`${MICROSOFT_LOGIN_HOST}/${resolveTenant(options, env) ?? DEFAULT_TENANT}`)
}

/** `--client-id` over `VOICE_LIVE_CLIENT_ID`; undefined when none is configured (no shared id ships). */
export function resolveClientId(options: AuthOptionValues, env: Env): string | undefined {
  const clientId = given(options.clientId) ?? given(env[AUTH_ENVIRONMENT.clientId])
  if (clientId !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(clientId)) {
    throw new AuthOptionError(`the client id "${clientId}" is not an application (client) id`)
  }
  return clientId
}

/** The command a user can copy to register their own public client with the loopback redirect. */
export const REGISTER_APP_COMMAND =
  'az ad app create --display-name "Voice Live Desktop" --sign-in-audience AzureADMyOrg ' +
  '--public-client-redirect-uris http://localhost --is-fallback-public-client true --query appId --output tsv'

/** What to do when no client id is configured, in a few steps (CLI help and the app's setup panel). */
export const CLIENT_ID_SETUP_STEPS: readonly string[] = [
  'Voice Live Desktop ships no shared client id: sign-in uses an app registration of your own organisation.',
  `1. Register a public client with the http://localhost redirect (Azure CLI, signed in to your tenant): ${REGISTER_APP_COMMAND}`,
  '2. Give it the delegated permissions "Azure Cognitive Services / user_impersonation" and, to pick resources, ' +
    '"Azure Service Management / user_impersonation" (an admin may need to grant consent).',
  `3. Use the printed application id: pass --client-id ID or set ${AUTH_ENVIRONMENT.clientId} (the app: Settings → Microsoft account).`,
  'An organisation that already has a registration sets its id the same way, e.g. through its device management.',
]
