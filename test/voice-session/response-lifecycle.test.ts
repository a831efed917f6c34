/**
 * The response core on its own, without a socket: what it sends (cancel, truncate), what it plays,
 * and which transcript entries it shows, for each case of barge-in. The events are parsed from
 * JSON exactly as the session receives them.
 */
import { describe, expect, it } from 'vitest'
import type { TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import { MemoryLogger } from '../../src-main/logging/logger.js'
import { ResponseLifecycle, type ResponseEvent } from '../../src-main/voice-session/response-lifecycle.js'
import { Transcript } from '../../src-main/voice-session/transcript.js'
import {
  parseServerEvent,
  type KnownClientEvent,
  type ReceivedEventOf,
} from '../../src-main/voicelive-protocol/events.js'
import { RecordingSink } from './helpers.js'

/** A server event, parsed as the session parses it off the wire. */
function received<T extends ResponseEvent['type'] | 'response.done'>(
  type: T,
  fields: Record<string, unknown>,
): ReceivedEventOf<T> {
  const parsed = parseServerEvent({ type, event_id: 'e', ...fields })
  if (parsed.kind !== 'known' || parsed.event.type !== type)
    throw new Error(`${type} did not parse: ${JSON.stringify(parsed)}`)
  return parsed.event as ReceivedEventOf<T>
}

/** `ms` of 24 kHz PCM16 as base64, as a `response.audio.delta` carries it. */
const audio = (ms: number): string => Buffer.alloc(ms * 48).toString('base64')

function lifecycle(options: { serverInterrupts?: boolean } = {}) {
  const sink = new RecordingSink()
  const sent: KnownClientEvent[] = []
  const entries: TranscriptEntry[] = []
  const unusable: string[] = []
  const logger = new MemoryLogger()
  const core = new ResponseLifecycle({
    sink,
    transcript: new Transcript(),
    entry: (entry) => entries.push(entry),
    send: (event) => sent.push(event),
    logger,
    now: () => 1000,
    serverInterrupts: options.serverInterrupts ?? true,
    unusable: (type, problem) => unusable.push(`${type}: ${problem}`),
  })
  /** Response `r1` with message item `a1`, `ms` of its audio and its text, optionally finished. */
  const answer = (ms: number, text: string, finished: boolean) => {
    core.created({ id: 'r1' }, true)
    core.handle(
      received('response.output_item.added', {
        response_id: 'r1',
        output_index: 0,
        item: { id: 'a1', type: 'message', role: 'assistant', content: [] },
      }),
    )
    const ref = { response_id: 'r1', item_id: 'a1', output_index: 0, content_index: 0 }
    core.handle(received('response.audio.delta', { ...ref, delta: audio(ms) }))
    core.handle(received('response.audio_transcript.delta', { ...ref, delta: text }))
    if (finished) {
      core.handle(received('response.audio_transcript.done', { ...ref, transcript: text }))
      core.finish(received('response.done', { response: { id: 'r1', status: 'completed', output: [] } }).response)
    }
  }
  return { core, sink, sent, entries, unusable, logger, answer }
}

const truncate = (ms: number): KnownClientEvent => ({
  type: 'conversation.item.truncate',
  item_id: 'a1',
  content_index: 0,
  audio_end_ms: ms,
})

describe('ResponseLifecycle barge-in', () => {
  it('a finished answer the listener heard to the end: nothing is sent', async () => {
    const { core, sink, sent, answer } = lifecycle()
    answer(1000, 'All done.', true)
    sink.heard = (itemId) => ({ itemId, playedSamples: 24_000 })
    await core.bargeIn('local')
    expect(sent).toEqual([])
    expect(sink.flushes).toBe(1)
  })

  it('a finished answer still playing: truncated at what was heard, no cancel', async () => {
    const { core, sink, sent, answer } = lifecycle()
    answer(1000, 'All done.', true)
    sink.heard = (itemId) => ({ itemId, playedSamples: 9_600 })
    await core.bargeIn('local')
    expect(sent).toEqual([truncate(400)])
  })

  it('a finished answer heard but for its last millisecond is still truncated', async () => {
    const { core, sink, sent, answer } = lifecycle()
    answer(1000, 'All done.', true)
    sink.heard = (itemId) => ({ itemId, playedSamples: 24_000 - 24 })
    await core.bargeIn('local')
    expect(sent).toEqual([truncate(999)])
  })

  it('a running answer stopped locally: cancelled, then truncated at what was heard', async () => {
    const { core, sink, sent, answer } = lifecycle()
    answer(1000, 'Once upon a time', false)
    sink.heard = (itemId) => ({ itemId, playedSamples: 12_000 })
    await core.bargeIn('local')
    expect(sent).toEqual([{ type: 'response.cancel', response_id: 'r1' }, truncate(500)])
  })

  it("the service's VAD interrupting: no cancel when it cancels itself, a cancel when it does not", async () => {
    const itself = lifecycle({ serverInterrupts: true })
    itself.answer(1000, 'Once', false)
    itself.sink.heard = (itemId) => ({ itemId, playedSamples: 2_400 })
    await itself.core.bargeIn('server-vad')
    expect(itself.sent).toEqual([truncate(100)])

    const not = lifecycle({ serverInterrupts: false })
    not.answer(1000, 'Once', false)
    not.sink.heard = (itemId) => ({ itemId, playedSamples: 2_400 })
    await not.core.bargeIn('server-vad')
    expect(not.sent).toEqual([{ type: 'response.cancel', response_id: 'r1' }, truncate(100)])
  })

  it('clamps the truncation to the audio received when the sink claims more', async () => {
    const { core, sink, sent, answer } = lifecycle()
    answer(500, 'Hello', false)
    sink.heard = (itemId) => ({ itemId, playedSamples: 48_000 })
    await core.bargeIn('local')
    expect(sent.at(-1)).toEqual(truncate(500))
  })

  it('nothing heard yet, or less than a millisecond: a cancel but no truncate', async () => {
    for (const playedSamples of [0, 23]) {
      const { core, sink, sent, answer } = lifecycle()
      answer(500, 'Hello', false)
      sink.heard = (itemId) => ({ itemId, playedSamples })
      await core.bargeIn('local')
      expect(sent, `${playedSamples} samples heard`).toEqual([{ type: 'response.cancel', response_id: 'r1' }])
    }
  })

  it('drops the late deltas of the interrupted response: neither played nor shown', async () => {
    const { core, sink, entries, answer } = lifecycle()
    answer(100, 'Once', false)
    sink.heard = (itemId) => ({ itemId, playedSamples: 1_200 })
    await core.bargeIn('local')
    const ref = { response_id: 'r1', item_id: 'a1', output_index: 0, content_index: 0 }
    core.handle(received('response.audio.delta', { ...ref, delta: audio(100) }))
    core.handle(received('response.audio_transcript.delta', { ...ref, delta: ' upon a time' }))
    expect(sink.bytesFor('a1')).toBe(100 * 48)
    expect(entries.map((entry) => entry.text)).toEqual(['Once'])
  })

  it('no answer and nothing played since the last flush: the sink is not flushed again', async () => {
    const { core, sink, sent } = lifecycle()
    await core.bargeIn('server-vad')
    expect(sink.flushes).toBe(0)
    expect(sent).toEqual([])
  })

  it('a sink that fails to flush is logged; the session goes on and sends no truncate', async () => {
    const { core, sink, sent, logger, answer } = lifecycle()
    answer(500, 'Hello', false)
    sink.flush = () => Promise.reject(new Error('window closed'))
    await core.bargeIn('local')
    expect(sent).toEqual([{ type: 'response.cancel', response_id: 'r1' }])
    expect(logger.records).toEqual([
      { level: 'warn', message: 'audio sink flush failed', fields: { error: 'Error: window closed' } },
    ])
  })
})

describe('ResponseLifecycle responses', () => {
  it('shows the text of the item the service truncated, cut in proportion to the audio heard', () => {
    const { core, entries, answer } = lifecycle()
    answer(1000, 'one two three four', false)
    core.handle(received('conversation.item.truncated', { item_id: 'a1', content_index: 0, audio_end_ms: 500 }))
    expect(entries.at(-1)).toEqual({ itemId: 'a1', role: 'assistant', text: 'one two', status: 'truncated' })
  })

  it('settles the entries of a finished response by its status', () => {
    for (const [status, shown] of [
      ['completed', 'done'],
      ['cancelled', 'truncated'],
      ['failed', 'failed'],
      ['incomplete', 'done'],
    ] as const) {
      const { core, entries, answer } = lifecycle()
      answer(100, 'Hi', false)
      const track = core.finish(received('response.done', { response: { id: 'r1', status, output: [] } }).response)
      expect(track?.done, status).toBe(true)
      expect(entries.at(-1), status).toEqual({ itemId: 'a1', role: 'assistant', text: 'Hi', status: shown })
      expect(core.running).toBe(false)
    }
  })

  it('an event naming a response never created makes the session unusable and is not played', () => {
    const { core, sink, unusable } = lifecycle()
    core.handle(
      received('response.audio.delta', {
        response_id: 'nope',
        item_id: 'a1',
        output_index: 0,
        content_index: 0,
        delta: audio(10),
      }),
    )
    expect(
      core.finish(received('response.done', { response: { id: 'gone', status: 'completed', output: [] } }).response),
    ).toBeUndefined()
    expect(unusable).toEqual([
      'response.audio.delta: response_id: "nope" names no response this session saw created',
      'response.done: response.id: "gone" names no response this session saw created',
    ])
    expect(sink.chunks).toEqual([])
  })

  it('an output item of an unknown response is refused; only message items get a transcript entry', () => {
    const { core, unusable, entries } = lifecycle()
    core.handle(
      received('response.output_item.added', {
        response_id: 'nope',
        output_index: 0,
        item: { id: 'm1', type: 'message', role: 'assistant', content: [] },
      }),
    )
    expect(unusable).toEqual([
      'response.output_item.added: response_id: "nope" names no response this session saw created',
    ])
    core.created({ id: 'r1' }, true)
    core.handle(
      received('response.output_item.added', {
        response_id: 'r1',
        output_index: 0,
        item: { id: 'f1', type: 'function_call', call_id: 'c1', name: 'tool', arguments: '{}' },
      }),
    )
    // A function call is no utterance: finishing its response shows nothing for it.
    core.finish(received('response.done', { response: { id: 'r1', status: 'completed', output: [] } }).response)
    expect(entries).toEqual([])
  })

  it('the late transcript done of an interrupted answer is not shown', async () => {
    const { core, sink, entries, answer } = lifecycle()
    answer(100, 'Once', false)
    sink.heard = (itemId) => ({ itemId, playedSamples: 1_200 })
    await core.bargeIn('local')
    const shown = entries.length
    core.handle(
      received('response.audio_transcript.done', {
        response_id: 'r1',
        item_id: 'a1',
        output_index: 0,
        content_index: 0,
        transcript: 'Once upon a time',
      }),
    )
    expect(entries).toHaveLength(shown)
  })

  it('counts the audio bytes and stamps the first delta of each response once', () => {
    const { core } = lifecycle()
    const ref = { response_id: 'r1', item_id: 'a1', output_index: 0, content_index: 0 }
    core.created({ id: 'r1' }, true)
    core.handle(received('response.audio_transcript.delta', { ...ref, delta: 'Hi' }))
    core.handle(received('response.audio.delta', { ...ref, delta: audio(100) }))
    core.handle(received('response.audio.delta', { ...ref, delta: audio(50) }))
    const track = core.finish(
      received('response.done', { response: { id: 'r1', status: 'completed', output: [] } }).response,
    )
    expect(track).toMatchObject({ firstDeltaAt: 1000, firstAudioAt: 1000, audioBytesReceived: 150 * 48, done: true })
  })

  it('a dropped socket cuts the running answer: shown as failed, sink silenced; a finished one plays on', async () => {
    const running = lifecycle()
    running.answer(100, 'Half an ans', false)
    expect(running.core.running).toBe(true)
    expect(await running.core.cutActive()).toBe(true)
    expect(running.core.running).toBe(false)
    expect(running.entries.at(-1)).toEqual({ itemId: 'a1', role: 'assistant', text: 'Half an ans', status: 'failed' })
    expect(running.sink.flushes).toBe(1)

    const finished = lifecycle()
    finished.answer(100, 'Whole', true)
    expect(await finished.core.cutActive()).toBe(false)
    expect(finished.sink.flushes).toBe(0)
  })
})
