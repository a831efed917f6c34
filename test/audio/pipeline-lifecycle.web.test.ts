import { describe, expect, it } from 'vitest'
import { createRendererBridge, type RendererTransport } from '../../src-shared/bridge/renderer-api.js'
import { createAudioPipeline } from '../../src-renderer/src/audio/pipeline.js'

/** A bridge whose transport counts live subscriptions per channel. */
function countingBridge() {
  const live = new Map<string, number>()
  const transport: RendererTransport = {
    invoke: async () => ({ ok: true, value: {} }),
    send: () => undefined,
    subscribe(channel) {
      live.set(channel, (live.get(channel) ?? 0) + 1)
      return () => live.set(channel, (live.get(channel) ?? 0) - 1)
    },
  }
  const total = () => [...live.values()].reduce((sum, count) => sum + count, 0)
  return { bridge: createRendererBridge(transport), live, total }
}

describe('audio pipeline lifecycle', () => {
  it('follows the session audio format until disposed, then leaves no subscription behind', async () => {
    const { bridge, live, total } = countingBridge()
    const pipelines = [1, 2, 3].map(() => createAudioPipeline(bridge, { storage: null }))
    expect(live.get('audio.format')).toBe(3)
    for (const pipeline of pipelines) await pipeline.dispose()
    expect(total()).toBe(0)
  })
})
