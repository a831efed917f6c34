import { describe, expect, it } from 'vitest'
import { parseClientEvent, parseServerEvent, summarizeEvent } from '../../src-main/voicelive-protocol/index.js'
import { sdkModels, sdkReadingDifferences, wireJson } from './sdk-oracle.js'

describe('parseServerEvent', () => {
  it('validates a known event and keeps fields it does not model', () => {
    const parsed = parseServerEvent(
      JSON.stringify({
        type: 'response.audio.delta',
        event_id: 'e1',
        response_id: 'r1',
        item_id: 'i1',
        output_index: 0,
        content_index: 0,
        delta: 'AAAA',
        future_field: { x: 1 },
      }),
    )
    expect(parsed.kind).toBe('known')
    if (parsed.kind !== 'known' || parsed.event.type !== 'response.audio.delta') throw new Error('narrowing')
    expect(parsed.event.delta).toBe('AAAA')
    expect(parsed.event['future_field']).toEqual({ x: 1 })
  })

  it('passes an unknown event type through whole', () => {
    const raw = { type: 'response.animation_viseme.delta', viseme_id: 3, audio_offset_ms: 10 }
    const parsed = parseServerEvent(JSON.stringify(raw))
    expect(parsed).toEqual({ kind: 'unknown', event: raw })
  })

  it('reports malformed JSON, non-objects and wrong shapes as invalid without throwing', () => {
    expect(parseServerEvent('{not json').kind).toBe('invalid')
    expect(parseServerEvent('[1,2]').kind).toBe('invalid')
    expect(parseServerEvent('{"no_type":1}').kind).toBe('invalid')
    const wrong = parseServerEvent('{"type":"response.done","response":{}}')
    expect(wrong).toMatchObject({ kind: 'invalid', type: 'response.done' })
    if (wrong.kind === 'invalid') expect(wrong.error).toContain('response.id')
  })

  const ref = { response_id: 'resp_1', item_id: 'item_1', output_index: 0, content_index: 0 }
  const fixtures: Record<string, unknown>[] = [
    { type: 'session.created', event_id: 'e0', session: { id: 'sess_1', model: 'gpt-realtime' } },
    { type: 'input_audio_buffer.speech_started', audio_start_ms: 120, item_id: 'item_u' },
    { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 900, item_id: 'item_u' },
    { type: 'input_audio_buffer.committed', previous_item_id: null, item_id: 'item_u' },
    {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'item_u',
      content_index: 0,
      transcript: 'hi',
    },
    { type: 'response.audio_transcript.delta', ...ref, delta: 'Hel' },
    { type: 'response.audio_transcript.done', ...ref, transcript: 'Hello' },
    { type: 'response.audio.done', ...ref },
    { type: 'conversation.item.truncated', item_id: 'item_1', content_index: 0, audio_end_ms: 1500 },
    {
      type: 'response.function_call_arguments.done',
      response_id: 'r',
      item_id: 'i',
      output_index: 0,
      call_id: 'c',
      name: 'n',
      arguments: '{}',
    },
    { type: 'error', event_id: 'e9', error: { type: 'invalid_request_error', code: 'invalid_value', message: 'bad' } },
  ]
  for (const wire of fixtures) {
    it(`${String(wire['type'])}: the SDK deserializer reads the same values from it`, () => {
      const ours = parseServerEvent(JSON.stringify(wire))
      expect(ours.kind).toBe('known')
      expect(sdkReadingDifferences(wire)).toEqual([])
    })
  }

  it('response.audio.delta: the SDK decodes the same PCM bytes', () => {
    const pcm = Buffer.from([1, 2, 3, 4, 250, 251])
    const wire = { type: 'response.audio.delta', ...ref, delta: pcm.toString('base64') }
    const ours = parseServerEvent(wire)
    if (ours.kind !== 'known' || ours.event.type !== 'response.audio.delta')
      throw new Error('expected a known audio delta')
    expect(Buffer.from(ours.event.delta, 'base64')).toEqual(pcm)
    expect(Buffer.from(sdkModels.serverEventUnionDeserializer(wire)['delta'] as Uint8Array)).toEqual(pcm)
  })
})

describe('parseClientEvent', () => {
  it('parses what the local engine receives and flags unknown client types', () => {
    expect(parseClientEvent('{"type":"input_audio_buffer.append","audio":"AAAA"}').kind).toBe('known')
    expect(parseClientEvent('{"type":"input_audio.turn.start","turn_id":"t"}').kind).toBe('unknown')
    expect(parseClientEvent('{"type":"conversation.item.truncate","item_id":"x"}').kind).toBe('invalid')
  })

  it('says why an event is refused, with its event_id and the schema issues, so a peer can answer in kind', () => {
    expect(parseClientEvent('{oops')).toMatchObject({ kind: 'invalid', reason: 'not-json' })
    expect(parseClientEvent('[1]')).toMatchObject({ kind: 'invalid', reason: 'not-object' })
    expect(parseClientEvent('{"event_id":"e1"}')).toMatchObject({ kind: 'invalid', reason: 'no-type', eventId: 'e1' })
    const badShape = parseClientEvent('{"type":"conversation.item.truncate","item_id":"x","event_id":"e2"}')
    expect(badShape).toMatchObject({
      kind: 'invalid',
      reason: 'bad-shape',
      type: 'conversation.item.truncate',
      eventId: 'e2',
    })
    expect(badShape.kind === 'invalid' && badShape.issues?.[0]?.path).toEqual(['content_index'])
  })
})

describe('summarizeEvent', () => {
  it('replaces audio by its size and redacts credentials', () => {
    const summary = summarizeEvent({
      type: 'session.update',
      session: { tools: [{ type: 'mcp', server_label: 's', authorization: 'Bearer sekrit', headers: { k: 'v' } }] },
    })
    expect(JSON.stringify(summary)).not.toContain('sekrit')
    const audio = summarizeEvent({ type: 'response.audio.delta', delta: Buffer.alloc(480).toString('base64') })
    expect(audio['delta']).toEqual({ audioBytes: 480 })
    expect(wireJson(summarizeEvent({ type: 'input_audio_buffer.append', audio: 'AAA=' }))).toEqual({
      type: 'input_audio_buffer.append',
      audio: { audioBytes: 2 },
    })
  })
})
