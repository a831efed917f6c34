import { describe, expect, it } from 'vitest'
import { PlaybackCore, type PlaybackConfig, type PlaybackSink } from '../../src-renderer/src/audio/playback-core.js'

const QUANTUM = 128
const config = (overrides: Partial<PlaybackConfig> = {}): PlaybackConfig => ({
  contextRate: 24_000,
  sourceRate: 24_000,
  prebufferMs: 40,
  startAfterChunks: 0,
  capacitySeconds: 10,
  ...overrides,
})

/** PCM16 LE bytes whose sample i is `(first + i) % 30000`. */
function pcm(length: number, first = 1): Uint8Array {
  const bytes = new Uint8Array(length * 2)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < length; i++) view.setInt16(i * 2, (first + i) % 30_000, true)
  return bytes
}

class Harness {
  frame = 0
  readonly output: number[] = []
  readonly positions: { requestId: number | null; itemId: string | null; playedSamples: number }[] = []
  readonly chunkStarts: { sequence: number; contextFrame: number }[] = []
  readonly sink: PlaybackSink = {
    position: (requestId, itemId, playedSamples) => this.positions.push({ requestId, itemId, playedSamples }),
    chunkStarted: (sequence, contextFrame) => this.chunkStarts.push({ sequence, contextFrame }),
  }
  constructor(readonly core: PlaybackCore) {}
  render(quanta: number): void {
    const block = new Float32Array(QUANTUM)
    for (let q = 0; q < quanta; q++) {
      this.core.render(block, this.frame, this.sink)
      this.output.push(...Array.from(block, (x) => Math.round(x * 32768)))
      this.frame += QUANTUM
    }
  }
  enqueue(itemId: string, bytes: Uint8Array): void {
    this.core.enqueue(itemId, bytes, this.frame)
  }
}

describe('PlaybackCore', () => {
  it('renders exactly the queued samples, after the prebuffer, then silence', () => {
    const h = new Harness(new PlaybackCore(config()))
    h.enqueue('item-1', pcm(1000))
    h.enqueue('item-1', pcm(1000, 1001))
    h.render(40)
    const start = h.output.findIndex((x) => x !== 0)
    expect(start).toBe(Math.ceil(960 / QUANTUM) * QUANTUM) // 40 ms at 24 kHz, rounded up to a quantum
    expect(h.output.slice(start, start + 2000)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
    expect(h.output.slice(start + 2000).every((x) => x === 0)).toBe(true)
    expect(h.core.playedSamples).toBe(2000)
    expect(h.positions).toEqual([{ requestId: null, itemId: 'item-1', playedSamples: 2000 }])
    expect(h.core.underruns).toBe(0)
  })

  it('flush silences the very next quantum and reports the samples of the item heard so far', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 0 })))
    h.enqueue('item-1', pcm(24_000))
    h.render(10)
    h.core.flush(7, h.sink)
    h.render(2)
    expect(h.output.slice(0, 1280).every((x) => x !== 0)).toBe(true)
    expect(h.output.slice(1280).every((x) => x === 0)).toBe(true)
    expect(h.positions).toEqual([{ requestId: 7, itemId: 'item-1', playedSamples: 1280 }])
    // Audio of the flushed item still in flight is dropped, not played.
    h.enqueue('item-1', pcm(480))
    h.render(10)
    expect(h.output.slice(1280).every((x) => x === 0)).toBe(true)
    expect(h.core.droppedAfterFlush).toBe(480)
  })

  it('counts played samples per item across item boundaries', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 0 })))
    h.enqueue('a', pcm(300))
    h.enqueue('b', pcm(500))
    h.render(4)
    h.core.flush(1, h.sink)
    expect(h.positions).toEqual([
      { requestId: null, itemId: 'a', playedSamples: 300 },
      { requestId: 1, itemId: 'b', playedSamples: 4 * QUANTUM - 300 },
    ])
  })

  it('counts an underrun only when an item runs dry and continues later', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 0 })))
    h.enqueue('a', pcm(200))
    h.render(4) // runs dry: the item may simply have ended
    expect(h.core.underruns).toBe(0)
    h.enqueue('b', pcm(200)) // a new item: still not a gap
    h.render(4)
    expect(h.core.underruns).toBe(0)
    h.enqueue('b', pcm(200)) // more of the same item after it ran dry: the user heard a gap
    h.render(4)
    expect(h.core.underruns).toBe(1)
  })

  it('deepens the jitter buffer after an underrun and relaxes it after clean replies', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 40 })))
    h.enqueue('a', pcm(200))
    h.render(12) // 40 ms wait, then 200 samples, then dry
    h.enqueue('a', pcm(200, 201)) // the rest of the item arrives late: an underrun
    expect(h.core.underruns).toBe(1)
    expect(h.core.counters().prebufferMs).toBe(80)
    const resumedAt = h.output.length
    h.render(20)
    // The resumed audio waits the deeper buffer (80 ms = 1920 samples, rounded up to a quantum).
    expect(h.output.slice(resumedAt).findIndex((x) => x !== 0)).toBe(Math.ceil(1920 / QUANTUM) * QUANTUM)
    for (const item of ['b', 'c', 'd', 'e', 'f', 'g']) {
      h.enqueue(item, pcm(100))
      h.render(20)
    }
    expect(h.core.counters().prebufferMs).toBe(40) // 80 → 70 → 60 → 50 → 40, and no lower
  })

  it('starts after N queued chunks in the quickstart-like setting', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 10_000, startAfterChunks: 3 })))
    h.enqueue('a', pcm(100))
    h.enqueue('a', pcm(100))
    h.render(5)
    expect(h.output.every((x) => x === 0)).toBe(true)
    h.enqueue('a', pcm(100))
    h.render(1)
    expect(h.output.slice(5 * QUANTUM, 5 * QUANTUM + 3)).toEqual([1, 2, 3])
    expect(h.chunkStarts.map((c) => c.sequence)).toEqual([0, 1]) // a quantum is 128 samples
    h.render(3)
    expect(h.chunkStarts).toEqual([
      { sequence: 0, contextFrame: 5 * QUANTUM },
      { sequence: 1, contextFrame: 5 * QUANTUM + 100 },
      { sequence: 2, contextFrame: 5 * QUANTUM + 200 },
    ])
  })

  it('upsamples 24 kHz chunks to a 48 kHz context, counting source samples', () => {
    const h = new Harness(new PlaybackCore(config({ contextRate: 48_000, prebufferMs: 0 })))
    const tone = new Uint8Array(2400 * 2)
    const view = new DataView(tone.buffer)
    for (let i = 0; i < 2400; i++) view.setInt16(i * 2, Math.round(16_000 * Math.sin((2 * Math.PI * 500 * i) / 24_000)), true)
    h.enqueue('a', tone)
    h.render(60)
    expect(h.core.playedSamples).toBe(2400)
    const peak = Math.max(...h.output.map(Math.abs))
    expect(peak / 32768).toBeCloseTo(16_000 / 32768, 2)
    const audible = h.output.filter((x) => Math.abs(x) > 300).length
    expect(Math.abs(audible / 2 - 2400 * 0.96)).toBeLessThan(100) // ~twice as many output samples
  })

  it('drops what does not fit in the ring and says so', () => {
    const h = new Harness(new PlaybackCore(config({ capacitySeconds: 0.1 })))
    h.enqueue('a', pcm(3000))
    expect(h.core.overflowSamples).toBe(600)
    expect(h.core.bufferedSamples).toBe(2400)
  })

  it('a ring filled to the last sample plays every sample as sent, then takes only what room frees up', () => {
    const h = new Harness(new PlaybackCore(config({ capacitySeconds: 0.1, prebufferMs: 0 })))
    h.enqueue('a', pcm(1200))
    h.enqueue('a', pcm(1200, 1201)) // exactly full: 2400 of 2400
    expect(h.core.overflowSamples).toBe(0)
    h.enqueue('a', pcm(100, 2401)) // no room at all
    expect(h.core.overflowSamples).toBe(100)
    h.render(2) // 256 samples played: room for 256 more
    expect(h.core.counters().bufferedSamples).toBe(2400 - 256)
    h.enqueue('a', pcm(300, 2401))
    expect(h.core.overflowSamples).toBe(100 + 44)
    h.render(30)
    expect(h.output.filter((x) => x !== 0)).toEqual(Array.from({ length: 2400 + 256 }, (_, i) => i + 1))
  })

  it('refuses chunks beyond its 1024-chunk index, counting their samples as overflow', () => {
    const h = new Harness(new PlaybackCore(config()))
    for (let i = 0; i < 1024; i++) h.enqueue('a', pcm(2))
    expect(h.core.overflowSamples).toBe(0)
    h.enqueue('a', pcm(5))
    expect(h.core.overflowSamples).toBe(5)
    expect(h.core.bufferedSamples).toBe(2048)
  })

  it('after a flush, drops late audio of every item it held (playing or still queued), and plays the next answer', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 0 })))
    h.enqueue('a', pcm(200))
    h.enqueue('b', pcm(200))
    h.enqueue('c', pcm(200))
    h.render(1) // 128 samples of a
    h.core.flush(3, h.sink)
    for (const item of ['a', 'b', 'c']) h.enqueue(item, pcm(50))
    expect(h.core.droppedAfterFlush).toBe(150)
    h.enqueue('d', pcm(100, 5000))
    h.render(4)
    expect(h.output.slice(QUANTUM).filter((x) => x !== 0)).toEqual(Array.from({ length: 100 }, (_, i) => 5000 + i))
    expect(h.positions).toEqual([
      { requestId: 3, itemId: 'a', playedSamples: 128 },
      { requestId: null, itemId: 'd', playedSamples: 100 },
    ])
  })

  it('remembers the last eight flushed items, each once: a ninth pushes out only the oldest', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 0 })))
    // Flushed while playing, with more of it queued: the item is both the current one and a queued
    // chunk's, and must still take one place.
    const flushed = (item: string) => {
      h.enqueue(item, pcm(200))
      h.render(1)
      h.core.flush(0, h.sink)
    }
    for (const item of ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7']) flushed(item)
    const dropped = () => h.core.droppedAfterFlush
    for (const item of ['i0', 'i7']) h.enqueue(item, pcm(10))
    expect(dropped()).toBe(20)
    h.enqueue('i8', pcm(10))
    h.core.flush(0, h.sink) // the ninth: i0, the oldest, is forgotten
    h.enqueue('i1', pcm(10))
    expect(dropped()).toBe(30)
    h.enqueue('i0', pcm(10)) // queued again, as a new answer
    expect(dropped()).toBe(30)
    expect(h.core.bufferedSamples).toBe(10)
  })

  it('a flush before the next answer starts playing reports that answer unheard, not the one before', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 40 })))
    h.enqueue('a', pcm(100))
    h.render(10) // a plays through and runs dry
    h.enqueue('b', pcm(100)) // waiting out the prebuffer
    h.render(1)
    h.core.flush(9, h.sink)
    expect(h.positions.at(-1)).toEqual({ requestId: 9, itemId: 'b', playedSamples: 0 })
  })

  it('after a flush the next answer waits the whole prebuffer again', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 40 })))
    h.enqueue('a', pcm(2000))
    h.render(10)
    h.core.flush(1, h.sink)
    const flushedAt = h.output.length
    h.enqueue('b', pcm(500))
    h.render(20)
    expect(h.output.slice(flushedAt).findIndex((x) => x !== 0)).toBe(Math.ceil(960 / QUANTUM) * QUANTUM)
  })

  it('times the prebuffer from the first queued sample, not from each later chunk', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 40 })))
    h.enqueue('a', pcm(100))
    h.render(4)
    h.enqueue('a', pcm(100, 101)) // arrives 512 frames later
    h.render(10)
    expect(h.output.findIndex((x) => x !== 0)).toBe(Math.ceil(960 / QUANTUM) * QUANTUM)
  })

  it('a reply with an underrun does not relax the deepened buffer; the next clean one relaxes it a quarter step', () => {
    const h = new Harness(new PlaybackCore(config({ prebufferMs: 40 })))
    h.enqueue('a', pcm(200))
    h.render(12)
    h.enqueue('a', pcm(200, 201)) // underrun: 40 → 80 ms
    h.render(20)
    h.enqueue('b', pcm(100)) // a ends here, with its underrun: no relaxing
    h.render(20)
    expect(h.core.counters().prebufferMs).toBe(80)
    h.enqueue('c', pcm(100)) // b ends clean: one quarter of 40 ms off
    h.render(20)
    expect(h.core.counters().prebufferMs).toBe(70)
  })
})
