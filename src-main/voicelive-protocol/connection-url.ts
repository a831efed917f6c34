/**
 * The Voice Live WebSocket URL and upgrade headers.
 * Credentials go only in headers, never in the URL: URLs end up in logs, proxies and error messages.
 */
import { randomUUID } from 'node:crypto'

/**
 * Default api-version. 2026-04-10 is a dated GA version whose reference page (REF-2604) documents the
 * flat, beta-like event shapes this client speaks. 2026-07-15 (the SDK 1.1.0 default) is also GA, but
 * its reference was not checked; `v1` uses the OpenAI GA shapes and would need a different client.
 */
export const DEFAULT_API_VERSION = '2026-04-10'

export const REALTIME_PATH = '/voice-live/realtime'

/** Entra scopes Voice Live accepts; the first is current, the second the legacy one. */
export const TOKEN_SCOPES = {
  default: 'https://ai.azure.com/.default',
  legacy: 'https://cognitiveservices.azure.com/.default',
} as const

export type Target =
  | { readonly kind: 'model'; readonly model: string }
  | {
      readonly kind: 'agent'
      readonly agentName: string
      readonly projectName: string
      readonly agentVersion?: string | undefined
    }

/** A bad endpoint or target, with a message fit for the user. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

const PROTOCOLS: Record<string, string> = { 'https:': 'wss:', 'wss:': 'wss:', 'http:': 'ws:', 'ws:': 'ws:' }

/** Parse an endpoint as the user typed it, with a clear error for everything else. */
export function parseEndpoint(endpoint: string): URL {
  const trimmed = endpoint.trim()
  if (trimmed === '') throw new ConfigError('No endpoint given: pass --endpoint or set AZURE_VOICE_LIVE_ENDPOINT.')
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new ConfigError(
      `The endpoint "${trimmed}" is not a URL; expected e.g. https://<resource>.services.ai.azure.com`,
    )
  }
  if (!PROTOCOLS[url.protocol]) {
    throw new ConfigError(`The endpoint must start with https://, wss://, http:// or ws:// (got ${url.protocol})`)
  }
  if (url.username || url.password) throw new ConfigError('The endpoint must not contain a user name or password.')
  return url
}

/** True for endpoints on this machine (the local engine), which need no credentials. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const host = new URL(endpoint.trim()).hostname
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  } catch {
    return false
  }
}

export interface UrlOptions {
  readonly endpoint: string
  readonly target: Target
  /** Overrides the default dated GA version. */
  readonly apiVersion?: string | undefined
}

/**
 * `wss://host/voice-live/realtime?api-version=…&model=…` (or the agent parameters).
 * Any path the user pasted is replaced by the realtime path, as the SDK does; other query
 * parameters on the endpoint are kept (e.g. `foundry-resource-override`).
 */
export function buildRealtimeUrl(options: UrlOptions): URL {
  const url = parseEndpoint(options.endpoint)
  url.protocol = PROTOCOLS[url.protocol] ?? url.protocol
  url.pathname = REALTIME_PATH
  url.hash = ''
  for (const credentialParam of ['api-key', 'authorization', 'Authorization']) {
    if (url.searchParams.has(credentialParam)) {
      throw new ConfigError('Do not put credentials in the endpoint URL; pass the key with --api-key instead.')
    }
  }
  url.searchParams.set('api-version', options.apiVersion?.trim() || DEFAULT_API_VERSION)
  const target = options.target
  if (target.kind === 'model') {
    if (!target.model.trim()) throw new ConfigError('No model given: pass --model or set VOICE_LIVE_MODEL.')
    url.searchParams.set('model', target.model.trim())
  } else {
    if (!target.agentName.trim() || !target.projectName.trim()) {
      throw new ConfigError('Agent mode needs both an agent name (--agent) and a project name (--project).')
    }
    url.searchParams.set('agent-name', target.agentName.trim())
    url.searchParams.set('agent-project-name', target.projectName.trim())
    if (target.agentVersion?.trim()) url.searchParams.set('agent-version', target.agentVersion.trim())
  }
  return url
}

/** A resolved credential for one connection attempt. */
export type Credential =
  | { readonly kind: 'api-key'; readonly key: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'none' }

export const USER_AGENT = 'voice-live-desktop/0.1.0'

/** Upgrade request headers: credential, a fresh client request id (GUID) for support correlation. */
export function buildHeaders(credential: Credential, clientRequestId: string = randomUUID()): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ms-client-request-id': clientRequestId,
    'user-agent': USER_AGENT,
  }
  if (credential.kind === 'api-key') headers['api-key'] = credential.key
  if (credential.kind === 'bearer') headers['authorization'] = `Bearer ${credential.token}`
  return headers
}
