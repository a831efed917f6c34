import { describe, expect, it } from 'vitest'
import { parseClientEvent, parseServerEvent, summarizeEvent } from '../../src-main/voicelive-protocol/index.js'
import { sdkModels, wireJson } from './sdk-oracle.js'

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

  it('accepts what the SDK deserializer accepts, field for field', () => {
    const wire = {
      type: 'conversation.item.truncated',
      event_id: 'ev',
      item_id: 'item_1',
      content_index: 0,
      audio_end_ms: 1500,
    }
    const sdk = sdkModels.serverEventUnionDeserializer(wire)
    const ours = parseServerEvent(wire)
    expect(ours.kind).toBe('known')
    expect(sdk).toMatchObject({ itemId: 'item_1', contentIndex: 0, audioEndInMs: 1500 })
  })
})

describe('parseClientEvent', () => {
  it('parses what the local engine receives and flags unknown client types', () => {
    expect(parseClientEvent('{"type":"input_audio_buffer.append","audio":"AAAA"}').kind).toBe('known')
    expect(parseClientEvent('{"type":"input_audio.turn.start","turn_id":"t"}').kind).toBe('unknown')
    expect(parseClientEvent('{"type":"conversation.item.truncate","item_id":"x"}').kind).toBe('invalid')
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
