/**
 * Streamed events merged where the session records them: one log line per stream, and a few counted
 * diagnostics events instead of one per frame.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import { MemoryLogger } from '../../src-main/logging/logger.js'
import { EventStreams } from '../../src-main/voice-session/event-streams.js'

const append = (bytes: number) => ({ type: 'input_audio_buffer.append', audio: Buffer.alloc(bytes).toString('base64') })
const audioDelta = (bytes: number) => ({
  type: 'response.audio.delta',
  response_id: 'r1',
  item_id: 'a1',
  delta: Buffer.alloc(bytes).toString('base64'),
})
const textDelta = (delta: string) => ({
  type: 'response.audio_transcript.delta',
  response_id: 'r1',
  item_id: 'a1',
  delta,
})

describe('EventStreams', () => {
  let clock = 0
  let logger: MemoryLogger
  let reported: ProtocolEvent[]
  let streams: EventStreams
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-04T05:06:07.000Z') })
    clock = 1000
    logger = new MemoryLogger()
    reported = []
    streams = new EventStreams({
      logger,
      protocol: (event) => reported.push(event),
      now: () => clock,
      reportMs: 200,
    })
  })
  afterEach(() => vi.useRealTimers())

  /** One event every 20 ms, as the mic sends them. */
  function stream(
    count: number,
    event: () => { type: string; [field: string]: unknown },
    direction: 'client' | 'server' = 'client',
  ) {
    for (let i = 0; i < count; i++) {
      expect(streams.add(direction, event())).toBe(true)
      clock += 20
      vi.advanceTimersByTime(20)
    }
  }

  it('logs a stream once, when it ends: count, bytes, first and last time', () => {
    stream(50, () => append(960))
    expect(logger.records).toEqual([])
    streams.end()
    expect(logger.records).toEqual([
      {
        level: 'info',
        message: '→ input_audio_buffer.append ×50',
        fields: {
          count: 50,
          bytes: 48_000,
          first: '2026-03-04T05:06:07.000Z',
          last: '2026-03-04T05:06:07.980Z',
        },
      },
    ])
  })

  it('leaves other events to the caller', () => {
    expect(streams.add('server', { type: 'response.done', response: {} })).toBe(false)
    expect(reported).toEqual([])
  })

  it('reports the first event at once, then counts every reportMs, and the rest when the stream ends', () => {
    stream(1, () => audioDelta(4800), 'server')
    expect(reported).toEqual([
      {
        direction: 'server',
        type: 'response.audio.delta',
        atMs: 1000,
        summary: expect.objectContaining({ delta: { audioBytes: 4800 } }),
      },
    ])
    stream(14, () => audioDelta(4800), 'server')
    // 200 ms after the first follower: one counted report of what came by then.
    expect(reported.slice(1).map((event) => event.count)).toEqual([10])
    streams.end()
    const counts = reported.map((event) => event.count ?? 1)
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(15)
    expect(reported.at(-1)).toMatchObject({ count: 4, summary: { count: 15, bytes: 15 * 4800 } })
    expect(logger.records.map((record) => record.message)).toEqual(['← response.audio.delta ×15'])
  })

  it('keeps interleaved streams apart and counts text deltas in UTF-8 bytes', () => {
    for (let i = 0; i < 3; i++) {
      streams.add('server', audioDelta(100))
      streams.add('server', textDelta('né '))
    }
    streams.end()
    expect(logger.records.map((record) => [record.message, record.fields?.['bytes']])).toEqual([
      ['← response.audio.delta ×3', 300],
      ['← response.audio_transcript.delta ×3', 12],
    ])
    const total = (type: string) => reported.filter((e) => e.type === type).reduce((sum, e) => sum + (e.count ?? 1), 0)
    expect([total('response.audio.delta'), total('response.audio_transcript.delta')]).toEqual([3, 3])
  })

  it('after a stream ends, the next event of its type starts a new one', () => {
    stream(3, () => append(960))
    streams.end()
    stream(2, () => append(960))
    streams.end()
    expect(logger.records.map((record) => record.message)).toEqual([
      '→ input_audio_buffer.append ×3',
      '→ input_audio_buffer.append ×2',
    ])
    streams.end() // nothing open: nothing logged
    expect(logger.records).toHaveLength(2)
  })
})
