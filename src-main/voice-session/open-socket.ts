/**
 * Open the Voice Live WebSocket with a deadline, turning every way it can fail into a
 * `SessionFailure` with a distinct, human error (HTTP upgrade status, DNS/refused/TLS, timeout).
 */
import WebSocket from 'ws'
import { connectTimeoutError, errorFromNetwork, errorFromUpgradeStatus } from '../voicelive-protocol/session-errors.js'
import { SessionFailure } from './types.js'

/** Frames above this are refused; full-audio `conversation.item.retrieved` replies can be large. */
const MAX_INBOUND_BYTES = 64 * 1024 * 1024
const MAX_ERROR_BODY_BYTES = 4096

export interface OpenSocketOptions {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number
}

/** The service's own message from a refused upgrade body (`{"error":{"message":…}}` or text). */
function serviceMessage(body: string): string | undefined {
  const text = body.trim()
  if (!text) return undefined
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown }
    const message = parsed.error?.message ?? parsed.message
    if (typeof message === 'string') return message.slice(0, 300)
  } catch {
    // not JSON: use the text as is
  }
  return text.slice(0, 300)
}

export function openSocket(options: OpenSocketOptions): Promise<WebSocket> {
  const host = options.url.host
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(options.url, {
      headers: { ...options.headers },
      maxPayload: MAX_INBOUND_BYTES,
      perMessageDeflate: true,
      // No ws handshakeTimeout: the timer below bounds the whole open, handshake included.
    })
    let settled = false
    const settle = (failure: SessionFailure | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.removeAllListeners('open')
      socket.removeAllListeners('unexpected-response')
      if (failure) {
        socket.on('error', () => undefined)
        socket.terminate()
        reject(failure)
      } else {
        resolve(socket)
      }
    }
    const timer = setTimeout(
      () => settle(new SessionFailure(connectTimeoutError(host, options.timeoutMs))),
      options.timeoutMs,
    )
    // Handed over paused: frames that arrive with the upgrade (the service's `session.created`) would
    // otherwise be emitted before the caller's message listener exists, and be lost. The caller
    // resumes the socket once it listens.
    socket.once('open', () => {
      socket.pause()
      settle(null)
    })
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      let size = 0
      const finish = () =>
        settle(
          new SessionFailure(
            errorFromUpgradeStatus(response.statusCode ?? 0, serviceMessage(Buffer.concat(chunks).toString('utf8'))),
          ),
        )
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_ERROR_BODY_BYTES) chunks.push(chunk)
        size += chunk.byteLength
      })
      response.once('end', finish)
      response.once('error', finish)
      response.once('close', finish)
    })
    socket.once('error', (error) => settle(new SessionFailure(errorFromNetwork(error, host))))
  })
}
