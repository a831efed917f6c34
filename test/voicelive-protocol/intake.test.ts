/**
 * The client's intake of server events is liberal in the fields it does not act on and names the
 * field it cannot use; the engine's intake of client events stays strict. The session-level
 * behaviour (a turn completes, an unusable event ends the session at once) is in
 * test/voice-session/liberal-intake.test.ts and field-mutations.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { parseClientEvent, parseServerEvent, serverEventSpecs } from '../../src-main/voicelive-protocol/index.js'
import { documentedHandshake, documentedTurn } from './documented-events.js'
import { sdkReadingDifferences } from './sdk-oracle.js'

const ref = { response_id: 'r1', item_id: 'i1', output_index: 0, content_index: 0 }
const refusal = (event: Record<string, unknown>) => {
  const parsed = parseServerEvent(event)
  return parsed.kind === 'invalid' ? parsed.error : null
}

describe('server events: liberal where the client does not look', () => {
  it('session.created and session.updated with "model": null (an agent session) are usable', () => {
    for (const type of ['session.created', 'session.updated']) {
      const parsed = parseServerEvent({ type, session: { id: 'sess_1', model: null } })
      expect(parsed).toMatchObject({ kind: 'known', event: { type, session: { id: 'sess_1', model: null } } })
    }
  })

  it('keeps an unexpected value as it came, so the log shows what the service really sent', () => {
    const event = { type: 'response.created', response: { id: 'r1', status: 'paused', usage: 'n/a', extra: [1] } }
    expect(parseServerEvent(event)).toEqual({ kind: 'known', event })
  })

  it('an error event is usable whatever its details look like', () => {
    expect(parseServerEvent({ type: 'error', error: null }).kind).toBe('known')
    expect(parseServerEvent({ type: 'error' }).kind).toBe('known')
  })

  it('a response.done output item that is not a function call is never looked at', () => {
    const output = [null, 7, { type: 'mcp_call', name: 3 }, { type: 'message', role: 'robot', content: 'x' }]
    expect(refusal({ type: 'response.done', response: { id: 'r1', status: 'completed', output } })).toBeNull()
  })
})

describe('server events: a named error where the client acts', () => {
  it('an audio delta that is not base64', () => {
    expect(refusal({ type: 'response.audio.delta', ...ref, delta: 'AAA*' })).toBe(
      'delta: not base64 audio (a character outside the base64 alphabet)',
    )
    expect(refusal({ type: 'response.audio.delta', ...ref, delta: 'AAAAA' })).toBe(
      'delta: not base64 audio (its length is not a multiple of 4)',
    )
    expect(
      refusal({ type: 'response.audio.delta', ...ref, delta: Buffer.from([1, 2, 3]).toString('base64') }),
    ).toBeNull()
  })

  it('a response.done status the client cannot settle a turn with', () => {
    expect(refusal({ type: 'response.done', response: { id: 'r1', status: 'paused', output: [] } })).toMatch(
      /^response\.status: Invalid option/,
    )
    for (const status of ['completed', 'cancelled', 'canceled', 'incomplete', 'failed']) {
      expect(refusal({ type: 'response.done', response: { id: 'r1', status, output: [] } })).toBeNull()
    }
  })

  it('a function call the client would have to answer but cannot read', () => {
    const call = { type: 'function_call', call_id: 'c1', name: 'get_time' }
    expect(refusal({ type: 'response.done', response: { id: 'r1', status: 'completed', output: [call] } })).toBe(
      'response.output.0.arguments: Invalid input: expected string, received undefined',
    )
  })

  it('an added message item without an id', () => {
    const item = { type: 'message', role: 'assistant', content: [] }
    expect(refusal({ type: 'response.output_item.added', response_id: 'r1', output_index: 0, item })).toBe(
      'item.id: a message item needs a string id',
    )
  })
})

/**
 * SDK 1.1.0 throws on a `usage` without every token-detail object, and the documentation's own
 * examples leave some out, so its reading is compared without `usage` (our intake never requires it).
 */
function withoutUsage(wire: Record<string, unknown>): Record<string, unknown> {
  const response = wire['response']
  if (typeof response !== 'object' || response === null) return wire
  const { usage: _usage, ...rest } = response as Record<string, unknown>
  return { ...wire, response: rest }
}

describe('event shapes from the service documentation (dated GA versions)', () => {
  const documented = [...documentedHandshake('model'), ...documentedHandshake('agent'), ...documentedTurn()]
  for (const [index, wire] of documented.entries()) {
    it(`${index}: ${String(wire['type'])} parses, matches the spec shape, and the SDK reads the same values`, () => {
      expect(parseServerEvent(JSON.stringify(wire))).toEqual({ kind: 'known', event: wire })
      const spec = serverEventSpecs[wire['type'] as keyof typeof serverEventSpecs]
      expect(spec.safeParse(wire).error).toBeUndefined()
      expect(sdkReadingDifferences(withoutUsage(wire))).toEqual([])
    })
  }
})

describe('client events stay strict for the local engine', () => {
  it('refuses what the service would refuse, naming the field', () => {
    const bad = parseClientEvent({
      type: 'conversation.item.truncate',
      item_id: 'i1',
      content_index: 0,
      audio_end_ms: null,
    })
    expect(bad).toMatchObject({ kind: 'invalid', reason: 'bad-shape', type: 'conversation.item.truncate' })
    expect(bad.kind === 'invalid' && bad.issues?.[0]?.path).toEqual(['audio_end_ms'])
    // What the service may report (model: null) is still refused from a client.
    expect(parseClientEvent({ type: 'session.update', session: { model: null } }).kind).toBe('invalid')
    expect(parseClientEvent({ type: 'input_audio_buffer.append', audio: null }).kind).toBe('invalid')
  })
})
