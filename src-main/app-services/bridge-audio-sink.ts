/**
 * The session core's `AudioSink` over the bridge: assistant audio goes to the renderer's playback
 * worklet, and a flush asks the renderer how much of the item the speaker really rendered, so the
 * session can truncate at the heard position.
 */
import type { PlaybackPosition } from '../../src-shared/bridge/payloads.js'
import type { BridgeEmitter } from '../bridge/serve-bridge.js'
import type { AudioSink } from '../voice-session/index.js'

/** A renderer that does not answer a flush in this time is treated as having played nothing more. */
const FLUSH_REPLY_TIMEOUT_MS = 500

export interface BridgeAudioSink extends AudioSink {
  /** `audio.playback-position` from the renderer. */
  position(report: PlaybackPosition): void
}

export interface BridgeAudioSinkOptions {
  readonly emitter: () => BridgeEmitter | null
  /** Told about every chunk and every flush, e.g. to record the session. */
  readonly onChunk?: (pcm: Uint8Array) => void
  readonly onFlush?: () => void
}

type Heard = { itemId: string | null; playedSamples: number } | null

export function createBridgeAudioSink(options: BridgeAudioSinkOptions): BridgeAudioSink {
  let nextRequestId = 1
  const waiting = new Map<number, (heard: Heard) => void>()
  /** The latest unsolicited report (an item ended or ran dry), used if a flush gets no reply. */
  let lastReport: Heard = null

  return {
    play(itemId, pcm16) {
      // Exact-size copy: a view into a larger buffer would send (or clone) the whole buffer.
      options.emitter()?.emit('audio.playback-chunk', { itemId, pcm: new Uint8Array(pcm16) })
      options.onChunk?.(pcm16)
    },
    flush() {
      const emitter = options.emitter()
      options.onFlush?.()
      if (!emitter) return Promise.resolve(lastReport)
      const requestId = nextRequestId++
      return new Promise<Heard>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(requestId)
          resolve(lastReport)
        }, FLUSH_REPLY_TIMEOUT_MS)
        waiting.set(requestId, (heard) => {
          clearTimeout(timer)
          resolve(heard)
        })
        emitter.emit('audio.playback-flush', { requestId })
      })
    },
    position({ requestId, itemId, playedSamples }) {
      const heard = itemId === null ? null : { itemId, playedSamples }
      if (requestId === null) {
        lastReport = heard
        return
      }
      const reply = waiting.get(requestId)
      waiting.delete(requestId)
      reply?.(heard)
    },
  }
}
