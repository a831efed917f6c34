/** Main's feed of the renderer's event log: runs of one event type are merged, nothing is lost. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createProtocolEventCoalescer } from '../../src-main/app-services/protocol-event-coalescer.js'
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import { appendEvents } from '../../src-renderer/src/app/event-log.js'

const event = (direction: ProtocolEvent['direction'], type: string, atMs: number): ProtocolEvent => ({
  direction,
  type,
  atMs,
  summary: { n: atMs },
})
const APPEND = 'input_audio_buffer.append'

describe('protocol event coalescer', () => {
  let sent: ProtocolEvent[]
  beforeEach(() => {
    vi.useFakeTimers()
    sent = []
  })
  afterEach(() => vi.useRealTimers())

  it('sends a lone event at once, untouched', () => {
    const feed = createProtocolEventCoalescer((e) => sent.push(e))
    feed.push(event('client', 'conversation.item.truncate', 1))
    expect(sent).toEqual([event('client', 'conversation.item.truncate', 1)])
  })

  it('turns one second of mic appends (50) into the first plus one event per 150 ms, counts adding up', () => {
    const feed = createProtocolEventCoalescer((e) => sent.push(e), 150)
    for (let i = 0; i < 50; i++) {
      feed.push(event('client', APPEND, i * 20))
      vi.advanceTimersByTime(20)
    }
    vi.advanceTimersByTime(150)
    expect(sent.length).toBeLessThanOrEqual(9)
    expect(sent[0]).toEqual(event('client', APPEND, 0))
    expect(sent.reduce((total, e) => total + (e.count ?? 1), 0)).toBe(50)
    expect(sent.at(-1)?.atMs).toBe(49 * 20) // the latest event's time and summary
  })

  it('merges two interleaved streams (the assistant talking while the mic streams) per type', () => {
    const feed = createProtocolEventCoalescer((e) => sent.push(e), 150)
    for (let i = 0; i < 50; i++) {
      feed.push(event('client', APPEND, i * 20))
      if (i % 5 === 0) feed.push(event('server', 'response.audio.delta', i * 20 + 1))
      vi.advanceTimersByTime(20)
    }
    vi.advanceTimersByTime(300)
    const total = (type: string) => sent.filter((e) => e.type === type).reduce((n, e) => n + (e.count ?? 1), 0)
    expect(total(APPEND)).toBe(50)
    expect(total('response.audio.delta')).toBe(10)
    expect(sent.length).toBeLessThanOrEqual(20)
    // Within a type, order is kept.
    const appendTimes = sent.filter((e) => e.type === APPEND).map((e) => e.atMs)
    expect(appendTimes).toEqual([...appendTimes].sort((a, b) => a - b))
  })

  it('sends the first event of a stream at once again after its window closed', () => {
    const feed = createProtocolEventCoalescer((e) => sent.push(e), 150)
    feed.push(event('server', 'response.audio.delta', 1))
    feed.push(event('server', 'response.audio.delta', 2))
    vi.advanceTimersByTime(300) // the held one goes out; then the window closes
    feed.push(event('server', 'response.audio.delta', 400))
    expect(sent.map((e) => [e.atMs, e.count ?? 1])).toEqual([
      [1, 1],
      [2, 1],
      [400, 1],
    ])
  })

  it('keeps order: any other event sends what is held back before itself', () => {
    const feed = createProtocolEventCoalescer((e) => sent.push(e), 150)
    feed.push(event('client', APPEND, 1))
    feed.push(event('client', APPEND, 2))
    feed.push(event('client', APPEND, 3))
    feed.push(event('server', 'input_audio_buffer.speech_started', 4))
    expect(sent.map((e) => [e.type, e.count ?? 1, e.atMs])).toEqual([
      [APPEND, 1, 1],
      [APPEND, 2, 3],
      ['input_audio_buffer.speech_started', 1, 4],
    ])
  })

  it('shows the renderer exactly the rows it would have shown for every event', () => {
    const all = [
      ...Array.from({ length: 30 }, (_, i) => event('client', APPEND, i)),
      event('server', 'input_audio_buffer.speech_started', 30),
      ...Array.from({ length: 12 }, (_, i) => event('client', APPEND, 31 + i)),
      ...Array.from({ length: 7 }, (_, i) => event('server', 'response.audio.delta', 43 + i)),
    ]
    const feed = createProtocolEventCoalescer((e) => sent.push(e), 150)
    for (const e of all) {
      feed.push(e)
      vi.advanceTimersByTime(40)
    }
    feed.flush()
    let key = 0
    const shape = (rows: ReturnType<typeof appendEvents>) => rows.map((r) => [r.direction, r.type, r.count, r.firstAtMs, r.last.atMs])
    const direct = shape(appendEvents([], all, () => ++key))
    const merged = shape(appendEvents([], sent, () => ++key))
    expect(merged).toEqual(direct)
    expect(sent.length).toBeLessThan(all.length / 2)
  })
})
