/**
 * Map what can go wrong on a Voice Live connection to the shared `SessionError` (kind, a human
 * message, retryable). The CLI turns kinds into exit codes; the UI into messages and a Retry button.
 */
import type { SessionError, SessionErrorKind } from '../../src-shared/session-model/session-model.js'

const error = (kind: SessionErrorKind, message: string, retryable: boolean): SessionError => ({
  kind,
  message,
  retryable,
})

/** The HTTP status of a refused WebSocket upgrade, plus the service's own message if it sent one. */
export function errorFromUpgradeStatus(status: number, serviceMessage?: string): SessionError {
  const detail = serviceMessage ? `: ${serviceMessage}` : ''
  if (status === 401 || status === 403) {
    return error(
      'auth',
      `The service refused the credentials (HTTP ${status})${detail}. Check the API key or token, and that ` +
        'your identity has the "Cognitive Services User" and "Azure AI User" roles on the resource.',
      false,
    )
  }
  if (status === 404) {
    return error(
      'not_found',
      `Nothing answered at this endpoint (HTTP 404)${detail}. Check the endpoint URL, the model or agent ` +
        'name, and the api-version.',
      false,
    )
  }
  if (status === 429) {
    return error('rate_limit', `Rate limit reached (HTTP 429)${detail}. Wait a moment and try again.`, true)
  }
  if (status === 400) {
    return error('config', `The service rejected the connection request (HTTP 400)${detail}.`, false)
  }
  return error('service', `The service failed to open the session (HTTP ${status})${detail}.`, status >= 500)
}

/** A WebSocket close the client did not ask for. */
export function errorFromClose(code: number, reason: string): SessionError {
  const why = reason ? ` ("${reason}")` : ''
  switch (code) {
    case 1008:
      return error('policy', `The service closed the session for a policy violation (1008)${why}.`, false)
    case 4008:
      return error(
        'duration_cap',
        `The service ended the session at its maximum duration (4008)${why}; a new session is needed.`,
        true,
      )
    case 1009:
      return error('protocol', `A message was too large for the connection (1009)${why}.`, false)
    case 1011:
      return error('service', `The service hit an internal error and closed the session (1011)${why}.`, true)
    case 1001:
    case 1005:
    case 1006:
      return error('network', `The connection dropped (${code})${why}.`, true)
    case 1000:
      return error('service', `The service closed the session${why}.`, true)
    default:
      return error('service', `The service closed the session with code ${code}${why}.`, code < 4000)
  }
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
}

/** A socket-level failure (DNS, refused, TLS, reset). */
export function errorFromNetwork(cause: unknown, host: string): SessionError {
  const code = (cause as { code?: unknown } | null)?.code
  const known = typeof code === 'string' ? NETWORK_CODES[code] : undefined
  if (known) return error('network', `Could not reach ${host}: ${known}.`, true)
  const message = cause instanceof Error ? cause.message : String(cause)
  if (/certificate|self[- ]signed|TLS|SSL/i.test(message)) {
    return error('network', `Could not reach ${host}: TLS failed (${message}).`, false)
  }
  return error('network', `Could not reach ${host}: ${message}.`, true)
}

export function connectTimeoutError(host: string, timeoutMs: number): SessionError {
  return error('timeout', `No answer from ${host} within ${formatSeconds(timeoutMs)}.`, true)
}

/** "15 s", or "0.3 s" for short test timeouts. */
export function formatSeconds(ms: number): string {
  return `${ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`
}
