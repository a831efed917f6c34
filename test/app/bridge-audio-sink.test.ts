/** The session's audio sink over the bridge: chunks out, and a flush answered by the renderer. */
import { describe, expect, it, vi } from 'vitest'
import type { EventChannel } from '../../src-shared/bridge/contract.js'
import { createBridgeAudioSink } from '../../src-main/app-services/bridge-audio-sink.js'
import type { BridgeEmitter } from '../../src-main/bridge/serve-bridge.js'

function recordingEmitter() {
  const emitted: { channel: EventChannel; payload: unknown }[] = []
  const emitter: BridgeEmitter = { emit: (channel, payload) => void emitted.push({ channel, payload }) }
  return { emitter, emitted }
}

describe('bridge audio sink', () => {
  it('sends each chunk as an exact-size copy for its item', () => {
    const { emitter, emitted } = recordingEmitter()
    const sink = createBridgeAudioSink({ emitter: () => emitter })
    const pool = new Uint8Array(100)
    sink.play('item_1', pool.subarray(10, 20))
    const sent = emitted[0]?.payload as { itemId: string; pcm: Uint8Array }
    expect(emitted[0]?.channel).toBe('audio.playback-chunk')
    expect(sent.itemId).toBe('item_1')
    expect(sent.pcm.byteLength).toBe(10)
    expect(sent.pcm.buffer.byteLength).toBe(10) // not a view into the 100-byte pool
  })

  it("answers a flush with the renderer's reply to that request", async () => {
    const { emitter, emitted } = recordingEmitter()
    const sink = createBridgeAudioSink({ emitter: () => emitter })
    const heard = sink.flush()
    const { requestId } = emitted[0]?.payload as { requestId: number }
    expect(emitted[0]?.channel).toBe('audio.playback-flush')
    sink.position({ requestId: requestId + 1, itemId: 'other', playedSamples: 5 }) // not ours
    sink.position({ requestId, itemId: 'item_1', playedSamples: 36_000 })
    expect(await heard).toEqual({ itemId: 'item_1', playedSamples: 36_000 })
  })

  it('falls back to the last report when the renderer does not answer in time', async () => {
    vi.useFakeTimers()
    try {
      const { emitter } = recordingEmitter()
      const sink = createBridgeAudioSink({ emitter: () => emitter })
      sink.position({ requestId: null, itemId: 'item_1', playedSamples: 4_800 })
      const heard = sink.flush()
      await vi.advanceTimersByTimeAsync(600)
      expect(await heard).toEqual({ itemId: 'item_1', playedSamples: 4_800 })
    } finally {
      vi.useRealTimers()
    }
  })

  it('tells the recorder about chunks and flushes, even with no window attached', async () => {
    const chunks: number[] = []
    let flushes = 0
    const sink = createBridgeAudioSink({
      emitter: () => null,
      onChunk: (pcm) => chunks.push(pcm.byteLength),
      onFlush: () => flushes++,
    })
    sink.play('item_1', new Uint8Array(960))
    expect(await sink.flush()).toBeNull()
    expect({ chunks, flushes }).toEqual({ chunks: [960], flushes: 1 })
  })
})
