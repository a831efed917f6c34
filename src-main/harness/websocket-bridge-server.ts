/**
 * The bridge contract over a loopback WebSocket: the browser harness's second transport.
 * The page must come from the harness origin and present the per-run token as its first
 * message (never in a URL); anything else is closed with 1008 before it can reach a handler.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { EventChannel } from '../../src-shared/bridge/contract.js'
import {
  MAX_WIRE_FRAME_BYTES,
  decodeWireMessage,
  encodeWireMessage,
  type WireMessage,
} from '../../src-shared/bridge/wire-codec.js'
import type { BridgeInbox, MainTransport } from '../bridge/serve-bridge.js'

export const BRIDGE_PATH = '/bridge'
const HELLO_TIMEOUT_MS = 5_000

export interface WebSocketTransportOptions {
  /** The HTTP server that serves the page; the bridge upgrades on `/bridge`. */
  readonly server: Server
  readonly token: string
  /** The only page origin allowed to connect, e.g. `http://127.0.0.1:5123`. */
  readonly allowedOrigin: () => string
  readonly onRejected?: (reason: string) => void
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data

export function createWebSocketTransport(options: WebSocketTransportOptions): MainTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_FRAME_BYTES })
  const trusted = new Set<WebSocket>()
  let inbox: BridgeInbox | null = null

  const refuse = (socket: WebSocket, reason: string): void => {
    options.onRejected?.(reason)
    socket.close(1008, reason)
  }
  const post = (socket: WebSocket, message: WireMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(encodeWireMessage(message))
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path !== BRIDGE_PATH) return // another upgrade handler may own it
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request))
  }
  options.server.on('upgrade', onUpgrade)

  function accept(socket: WebSocket, request: IncomingMessage): void {
    if (request.headers.origin !== options.allowedOrigin()) {
      return refuse(socket, `origin ${request.headers.origin ?? '(none)'} is not the harness page`)
    }
    const helloTimer = setTimeout(() => refuse(socket, 'no hello within 5 s'), HELLO_TIMEOUT_MS)
    socket.on('close', () => {
      clearTimeout(helloTimer)
      trusted.delete(socket)
    })
    socket.on('message', (data, isBinary) => {
      let message: WireMessage
      try {
        if (!isBinary) throw new Error('text frames are not part of the bridge protocol')
        message = decodeWireMessage(toBytes(data))
      } catch (error) {
        return refuse(socket, `malformed frame: ${(error as Error).message}`)
      }
      const { envelope } = message
      if (!trusted.has(socket)) {
        if (envelope.kind !== 'hello' || !sameSecret(envelope.token, options.token)) {
          return refuse(socket, 'the first message must be a hello with the harness token')
        }
        clearTimeout(helloTimer)
        trusted.add(socket)
        return post(socket, { envelope: { kind: 'welcome' } })
      }
      if (!inbox) return
      if (envelope.kind === 'command') {
        void inbox.command(envelope.channel, message.payload).then((result) =>
          post(socket, { envelope: { kind: 'result', id: envelope.id }, payload: result }),
        )
      } else if (envelope.kind === 'send') {
        inbox.send(envelope.channel, message.payload)
      } else {
        refuse(socket, `unexpected ${envelope.kind} message from the page`)
      }
    })
  }

  return {
    listen(target) {
      inbox = target
    },
    emit(channel: EventChannel, payload: unknown) {
      if (trusted.size === 0) return
      const frame = encodeWireMessage({ envelope: { kind: 'event', channel }, payload })
      for (const socket of trusted) if (socket.readyState === socket.OPEN) socket.send(frame)
    },
    close() {
      options.server.off('upgrade', onUpgrade)
      for (const socket of wss.clients) socket.terminate()
      trusted.clear()
      wss.close()
    },
  }
}
