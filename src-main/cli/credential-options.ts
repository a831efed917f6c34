/**
 * `voicelive chat --credential cli|azd|default [--tenant T] [--scope S]` (also VOICE_LIVE_CREDENTIAL,
 * VOICE_LIVE_SCOPE): the developer's existing Azure sign-in instead of a key. Kept apart from
 * `chat-args.ts` so the tenant and scope rules can be shared with the other Entra paths.
 */
import { TENANT_PATTERN } from '../auth/auth-options.js'
import {
  createDeveloperTokenProvider,
  DEVELOPER_CREDENTIALS,
  isDeveloperCredentialName,
} from '../auth/developer-credential.js'
import type { AuthSettings } from '../voice-session/index.js'
import { TOKEN_SCOPES } from '../voicelive-protocol/connection-url.js'

/** A mistake in these options; chat-args turns it into a usage error (exit 2). */
export class CredentialOptionError extends Error {}

/** A tenant id (GUID) or domain, as the Azure tools accept them; anything else would reach a shell. */
export function parseTenant(text: string): string {
  const tenant = text.trim()
  if (!TENANT_PATTERN.test(tenant)) {
    throw new CredentialOptionError(
      `--tenant (or VOICE_LIVE_TENANT) expects a tenant id or domain, e.g. contoso.onmicrosoft.com (got "${text}")`,
    )
  }
  return tenant
}

/**
 * An Entra scope such as https://ai.azure.com/.default. It is passed to the Azure tools on a
 * command line, so only the characters @azure/identity itself allows there are accepted.
 */
export function parseTokenScope(text: string, from = '--scope'): string {
  const scope = text.trim()
  if (!/^https:\/\/[0-9a-zA-Z-_.:/]+$/.test(scope)) {
    throw new CredentialOptionError(
      `${from} expects an https:// scope such as ${TOKEN_SCOPES.default} or ${TOKEN_SCOPES.legacy} (got "${text}")`,
    )
  }
  return scope
}

export interface CredentialFlags {
  readonly credential?: string | undefined
  readonly tenant?: string | undefined
  readonly scope?: string | undefined
}

export interface DeveloperCredentialAuth {
  readonly auth: AuthSettings
  readonly tokenScope: string
}

/**
 * The chosen developer credential, or null when none is. The flag must not meet --api-key or
 * --token; VOICE_LIVE_CREDENTIAL yields to them (a flag wins over the environment) but wins over
 * a key or token from the environment, since choosing a credential is the more specific request.
 */
export function parseDeveloperCredential(
  flags: CredentialFlags,
  env: (name: string) => string | undefined,
  otherAuthFlag: boolean,
): DeveloperCredentialAuth | null {
  if (flags.credential !== undefined && otherAuthFlag) {
    throw new CredentialOptionError('use only one of --api-key, --token and --credential')
  }
  const name = flags.credential ?? (otherAuthFlag ? undefined : env('VOICE_LIVE_CREDENTIAL'))
  if (name === undefined) {
    if (flags.tenant !== undefined)
      throw new CredentialOptionError('--tenant applies to --entra or --credential cli|azd|default')
    if (flags.scope !== undefined)
      throw new CredentialOptionError('--scope applies to --entra or --credential cli|azd|default')
    return null
  }
  if (!isDeveloperCredentialName(name)) {
    const from = flags.credential === undefined ? 'VOICE_LIVE_CREDENTIAL' : '--credential'
    throw new CredentialOptionError(`${from} expects one of ${DEVELOPER_CREDENTIALS.join(', ')} (got "${name}")`)
  }
  const tenantText = flags.tenant ?? env('VOICE_LIVE_TENANT')
  const tenantId = tenantText === undefined ? undefined : parseTenant(tenantText)
  const scope =
    flags.scope !== undefined
      ? parseTokenScope(flags.scope)
      : parseTokenScope(env('VOICE_LIVE_SCOPE') ?? TOKEN_SCOPES.default, 'VOICE_LIVE_SCOPE')
  return {
    auth: { kind: 'token-provider', provider: createDeveloperTokenProvider({ credential: name, tenantId }) },
    tokenScope: scope,
  }
}
