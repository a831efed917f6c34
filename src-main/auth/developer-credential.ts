/**
 * Keyless the quickstart's way: the developer's existing Azure sign-in, with no app registration,
 * as a session-core `TokenProvider`. Three credentials from `@azure/identity`:
 *
 * - `cli`: the Azure CLI. @azure/identity runs `az account get-access-token --output json
 *   --resource <the scope without /.default> [--tenant T]`, so `https://ai.azure.com/.default` asks
 *   for `https://ai.azure.com` and the legacy `https://cognitiveservices.azure.com/.default` for
 *   `https://cognitiveservices.azure.com`.
 * - `azd`: the Azure Developer CLI: `azd auth token --output json --no-prompt --scope <scope>
 *   [--tenant-id T]`.
 * - `default`: the `DefaultAzureCredential` chain, as the quickstart uses it. Unless
 *   AZURE_TOKEN_CREDENTIALS=dev narrows it to the developer tools, the chain includes managed
 *   identity, which probes the instance-metadata address over the network: never used in tests.
 *
 * The token comes back on the tool's stdout; it is never in an argv, an error message or a log line.
 * The tools do no caching for us and take a second or more, so a token is kept per scope until
 * `REFRESH_MARGIN_MS` before it expires: the session core asks before every connect and reconnect,
 * and a token that is close to expiry is fetched again. Every failure becomes one line that names
 * the fix ("run `az login` (Azure CLI)"), never a stack or the tool's whole output.
 *
 * @azure/identity is imported on first use: it adds ~0.5 s of start-up that the key paths do not need.
 */
import type { AccessToken, TokenCredential } from '@azure/identity'
import { Redactor } from '../logging/redact.js'
import type { TokenProvider } from '../voice-session/index.js'

export const DEVELOPER_CREDENTIALS = ['cli', 'azd', 'default'] as const
export type DeveloperCredentialName = (typeof DEVELOPER_CREDENTIALS)[number]

export const isDeveloperCredentialName = (name: string): name is DeveloperCredentialName =>
  (DEVELOPER_CREDENTIALS as readonly string[]).includes(name)

/** What each credential is called in messages and in the app's status bar. */
export const DEVELOPER_CREDENTIAL_LABELS: Record<DeveloperCredentialName, string> = {
  cli: 'Azure CLI',
  azd: 'Azure Developer CLI',
  default: 'DefaultAzureCredential',
}

/** A cached token is used until this long before it expires (connects are rare; renew early). */
export const REFRESH_MARGIN_MS = 5 * 60_000

/** The CLIs can be slow (Python start-up, a token refresh), but must not hang a connect forever. */
const PROCESS_TIMEOUT_MS = 30_000

/** The credential could not give a token; `message` is one line naming the fix. */
export class CredentialUnavailable extends Error {
  override readonly name = 'CredentialUnavailable'
}

export interface DeveloperTokenProviderOptions {
  readonly credential: DeveloperCredentialName
  /** A tenant (id or domain) other than the tool's default one. */
  readonly tenantId?: string | undefined
}

async function createCredential(name: DeveloperCredentialName, tenantId: string | undefined): Promise<TokenCredential> {
  const identity = await import('@azure/identity')
  const options = { ...(tenantId ? { tenantId } : {}), processTimeoutInMs: PROCESS_TIMEOUT_MS }
  switch (name) {
    case 'cli':
      return new identity.AzureCliCredential(options)
    case 'azd':
      return new identity.AzureDeveloperCliCredential(options)
    case 'default':
      return new identity.DefaultAzureCredential(options)
  }
}

/** The session core's `TokenProvider` over one developer credential, with a per-scope cache. */
export function createDeveloperTokenProvider(options: DeveloperTokenProviderOptions): TokenProvider {
  const cache = new Map<string, AccessToken>()
  let credential: Promise<TokenCredential> | null = null
  return {
    async getToken(scope: string): Promise<string> {
      const cached = cache.get(scope)
      if (cached && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > Date.now()) return cached.token
      cache.delete(scope)
      let token: AccessToken | null
      try {
        credential ??= createCredential(options.credential, options.tenantId)
        token = await (await credential).getToken(scope)
      } catch (error) {
        throw new CredentialUnavailable(explainCredentialFailure(options.credential, options.tenantId, error))
      }
      if (!token?.token) {
        throw new CredentialUnavailable(`the ${DEVELOPER_CREDENTIAL_LABELS[options.credential]} gave no token`)
      }
      cache.set(scope, token)
      return token.token
    },
  }
}

/** The same provider, handing each token it gives out to `addSecret` first (a log's redactor). */
export function redactingTokens(provider: TokenProvider, addSecret: (secret: string) => void): TokenProvider {
  return {
    async getToken(scope: string): Promise<string> {
      const token = await provider.getToken(scope)
      addSecret(token)
      return token
    },
  }
}

const scrubber = new Redactor()

/** The first meaningful line of a tool's complaint, short, with anything token-shaped removed. */
function firstLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((part) => part.replace(/^\s*(ERROR|CredentialUnavailableError):\s*/i, '').trim())
    .find((part) => part !== '')
  const short = (line ?? 'no details').slice(0, 200)
  return scrubber.redact(short)
}

/**
 * One line for a failed token request, naming the fix. The texts matched are the ones
 * @azure/identity 4.13 produces: its "could not be found" messages when the tool is missing, and
 * the tools' own "az login" / "azd auth login" advice when nobody is signed in.
 */
export function explainCredentialFailure(
  name: DeveloperCredentialName,
  tenantId: string | undefined,
  error: unknown,
): string {
  const text = error instanceof Error ? error.message : String(error)
  // JSON.parse errors quote the tool's stdout, which may hold a token: never repeat them.
  const detail = /JSON|Unexpected (token|end)/i.test(text) ? 'its answer was not a token' : firstLine(text)
  switch (name) {
    case 'cli': {
      const login = `run \`az login${tenantId ? ` --tenant ${tenantId}` : ''}\` (Azure CLI)`
      if (/Azure CLI could not be found/i.test(text)) {
        return 'the Azure CLI (az) is not installed or not on PATH: install it (https://aka.ms/azure-cli), then run `az login` (Azure CLI)'
      }
      if (/az login/i.test(text)) return `the Azure CLI is not signed in: ${login}`
      return `the Azure CLI gave no token (${detail}): check that \`az account get-access-token\` works, or ${login}`
    }
    case 'azd': {
      const login = `run \`azd auth login${tenantId ? ` --tenant-id ${tenantId}` : ''}\` (Azure Developer CLI)`
      if (/Azure Developer CLI couldn't be found/i.test(text)) {
        return 'the Azure Developer CLI (azd) is not installed or not on PATH: install it (https://aka.ms/azd), then run `azd auth login` (Azure Developer CLI)'
      }
      if (/azd (auth )?login/i.test(text)) return `the Azure Developer CLI is not signed in: ${login}`
      return `the Azure Developer CLI gave no token (${detail}): check that \`azd auth token\` works, or ${login}`
    }
    case 'default':
      if (/AZURE_TOKEN_CREDENTIALS/.test(text)) return detail
      return 'DefaultAzureCredential found no usable sign-in: run `az login` (Azure CLI) or `azd auth login` (Azure Developer CLI), or choose one with --credential cli or azd'
  }
}
