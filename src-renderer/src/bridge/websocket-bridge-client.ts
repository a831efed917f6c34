/**
 * Renderer end of the harness transport: the bridge contract over a WebSocket to the page's own
 * origin. The token comes from the URL fragment (never sent in a URL) and goes in the first message.
 */
import type { CommandChannel, CommandResult, EventChannel, SendChannel } from '../../../src-shared/bridge/contract.js'
import {
  createRendererBridge,
  type RendererTransport,
  type VoiceLiveBridge,
} from '../../../src-shared/bridge/renderer-api.js'
import { decodeWireMessage, encodeWireMessage, type WireMessage } from '../../../src-shared/bridge/wire-codec.js'

const CONNECT_TIMEOUT_MS = 10_000

export function connectWebSocketBridge(token: string): Promise<VoiceLiveBridge> {
  const socket = new WebSocket(`ws://${window.location.host}/bridge`)
  socket.binaryType = 'arraybuffer'
  const pending = new Map<number, (result: CommandResult<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextId = 1

  const post = (message: WireMessage): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(encodeWireMessage(message))
  }

  const transport: RendererTransport = {
    invoke(channel: CommandChannel, payload: unknown) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: { code: 'failed', message: 'The harness connection is closed.' } })
      }
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        post({ envelope: { kind: 'command', id, channel }, payload })
      })
    },
    send(channel: SendChannel, payload: unknown) {
      post({ envelope: { kind: 'send', channel }, payload })
    },
    subscribe(channel: EventChannel, listener: (payload: unknown) => void) {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      set.add(listener)
      return () => set.delete(listener)
    },
  }

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('The harness did not answer within 10 s.'))
      socket.close()
    }, CONNECT_TIMEOUT_MS)
    socket.addEventListener('open', () => post({ envelope: { kind: 'hello', token } }))
    socket.addEventListener('close', (event) => {
      clearTimeout(timer)
      reject(new Error(`The harness closed the bridge (${event.code}${event.reason ? `: ${event.reason}` : ''}).`))
      for (const resolvePending of pending.values()) {
        resolvePending({ ok: false, error: { code: 'failed', message: 'The harness connection was lost.' } })
      }
      pending.clear()
    })
    socket.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
      const message = decodeWireMessage(new Uint8Array(event.data))
      const { envelope } = message
      if (envelope.kind === 'welcome') {
        clearTimeout(timer)
        resolve(createRendererBridge(transport))
      } else if (envelope.kind === 'result') {
        pending.get(envelope.id)?.(message.payload as CommandResult<unknown>)
        pending.delete(envelope.id)
      } else if (envelope.kind === 'event') {
        for (const listener of listeners.get(envelope.channel) ?? []) listener(message.payload)
      }
    })
  })
}
