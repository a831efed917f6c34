/** Pure UI logic: the collapsing event log and the latency percentiles of the metrics panel. */
import { describe, expect, it } from 'vitest'
import { appendEvents, MAX_EVENT_ROWS } from '../../src-renderer/src/app/event-log.js'
import { percentile } from '../../src-shared/stats/percentile.js'
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'

const event = (direction: ProtocolEvent['direction'], type: string, atMs: number): ProtocolEvent => ({
  direction,
  type,
  atMs,
  summary: { type, n: atMs },
})

describe('event log', () => {
  it('collapses runs of the same event and direction into one row with a count and the latest event', () => {
    let key = 0
    const rows = appendEvents(
      [],
      [
        event('client', 'input_audio_buffer.append', 1),
        event('client', 'input_audio_buffer.append', 2),
        event('client', 'input_audio_buffer.append', 3),
        event('server', 'input_audio_buffer.speech_started', 4),
        event('client', 'input_audio_buffer.append', 5),
      ],
      () => ++key,
    )
    expect(rows.map((r) => [r.direction, r.type, r.count, r.firstAtMs, r.last.atMs])).toEqual([
      ['client', 'input_audio_buffer.append', 3, 1, 3],
      ['server', 'input_audio_buffer.speech_started', 1, 4, 4],
      ['client', 'input_audio_buffer.append', 1, 5, 5],
    ])
    // A run continues across batches.
    const more = appendEvents(rows, [event('client', 'input_audio_buffer.append', 6)], () => ++key)
    expect(more.at(-1)?.count).toBe(2)
    expect(more).toHaveLength(3)
  })

  it('keeps only the newest rows', () => {
    let key = 0
    const many = Array.from({ length: MAX_EVENT_ROWS + 50 }, (_, i) => event(i % 2 ? 'client' : 'server', 'x', i))
    const rows = appendEvents([], many, () => ++key)
    expect(rows).toHaveLength(MAX_EVENT_ROWS)
    expect(rows.at(-1)?.last.atMs).toBe(MAX_EVENT_ROWS + 49)
  })
})

describe('latency percentiles', () => {
  it('uses the nearest rank', () => {
    const values = [300, 100, 200, 400, 1000]
    expect(percentile(values, 50)).toBe(300)
    expect(percentile(values, 90)).toBe(1000)
    expect(percentile([250], 90)).toBe(250)
    expect(percentile([], 50)).toBeNull()
  })
})
