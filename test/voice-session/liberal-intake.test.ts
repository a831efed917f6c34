/**
 * Liberal intake in the session core, against a scripted server on 127.0.0.1 sending the event
 * shapes of the service documentation: a value the client does not use never costs the session; a
 * value it does use that is wrong ends the session at once with a named protocol error, never a
 * timeout. Tested against scripted servers only, not against Azure.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { VoiceSession } from '../../src-main/voice-session/index.js'
import {
  DOCUMENTED_ANSWER,
  DOCUMENTED_AUDIO,
  DOCUMENTED_QUESTION,
  documentedHandshake,
  documentedTurn,
} from '../voicelive-protocol/documented-events.js'
import { collect, makeSession, waitFor } from './helpers.js'
import { scriptedServers, type ScriptedConnection } from './scripted-server.js'

const servers = scriptedServers()
const sessions: VoiceSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.stop()))
  await servers.closeAll()
})

type Wire = Record<string, unknown>

/** A server that answers the handshake with `handshake` and then sends `turn`. */
function replay(handshake: Wire[], turn: Wire[]) {
  return async (connection: ScriptedConnection) => {
    connection.send(handshake[0]!)
    await connection.next('session.update')
    connection.send(handshake[1]!)
    for (const event of turn) connection.send(event)
  }
}

/** A session on `url` (an agent session when asked), with a handshake deadline no test may reach. */
function open(url: string, target: 'model' | 'agent' = 'model') {
  const made = makeSession(url, {
    connection: {
      endpoint: url,
      auth: { kind: 'api-key', apiKey: 'test-key-123' },
      target:
        target === 'model'
          ? { kind: 'model', model: 'gpt-realtime' }
          : { kind: 'agent', agentName: 'a1', projectName: 'p1' },
    },
    timing: { connectTimeoutMs: 10_000, reconnectDelaysMs: [] },
  })
  sessions.push(made.session)
  return made
}

const transcriptOf = (session: VoiceSession) =>
  session.transcriptEntries().map(({ role, text, status }) => ({ role, text, status }))

const ANSWERED = [
  { role: 'user', text: DOCUMENTED_QUESTION, status: 'done' },
  { role: 'assistant', text: DOCUMENTED_ANSWER, status: 'done' },
]

describe('documented event shapes drive a whole turn', () => {
  for (const target of ['model', 'agent'] as const) {
    it(`a ${target} session: live, the user's words, the answer's words and its exact audio bytes`, async () => {
      const server = await servers.serve(replay(documentedHandshake(target), documentedTurn()))
      const { session, sink } = open(server.url, target)
      const metrics = waitFor(session, 'metrics')
      const done = waitFor(session, 'turn-done')
      await session.start()
      expect(session.currentState).toMatchObject({ status: 'live', sessionId: 'sess_ABC123DEF456' })
      expect(await done).toEqual({ responseId: 'resp_ABC123', status: 'completed', afterUserInput: true })
      expect(transcriptOf(session)).toEqual(ANSWERED)
      expect(Buffer.from(sink.all()).equals(Buffer.from(DOCUMENTED_AUDIO, 'base64'))).toBe(true)
      expect((await metrics).tokens).toEqual({ input: 52, output: 35, total: 87 })
    })
  }

  it('"model": null in session.created and session.updated (issue #16): the turn completes', async () => {
    const withNullModel = documentedHandshake('model').map((event) => ({
      ...event,
      session: { ...(event['session'] as Wire), model: null },
    }))
    const server = await servers.serve(replay(withNullModel, documentedTurn()))
    const { session, logger } = open(server.url)
    const done = waitFor(session, 'turn-done')
    await session.start()
    await done
    expect(transcriptOf(session)).toEqual(ANSWERED)
    expect(logger.records.filter((record) => record.level === 'warn')).toEqual([])
  })

  it('a session.created that arrives with the upgrade is not lost: its session id is shown', async () => {
    const [created] = documentedHandshake('model')
    const server = await servers.serve(replay([created!, { type: 'session.updated', session: {} }], []))
    const { session } = open(server.url)
    const protocol = collect(session, 'protocol')
    await session.start()
    expect(session.currentState).toMatchObject({ status: 'live', sessionId: 'sess_ABC123DEF456' })
    expect(protocol.filter((event) => event.direction === 'server').map((event) => event.type)).toEqual([
      'session.created',
      'session.updated',
    ])
  })

  it('an error event without details still reaches the user, with a stand-in message', async () => {
    const server = await servers.serve(replay(documentedHandshake('model'), [{ type: 'error', error: null }]))
    const { session } = open(server.url)
    const serviceError = waitFor(session, 'service-error')
    await session.start()
    expect(await serviceError).toEqual({ code: null, message: 'The service reported an error without a message.' })
  })
})

describe('a field the client acts on, wrong: a named protocol error at once', () => {
  /** Run the documented turn with `change` applied; resolve with the error state and how long it took. */
  async function failingTurn(change: (turn: Wire[]) => Wire[]) {
    const server = await servers.serve(replay(documentedHandshake('model'), change(documentedTurn())))
    const made = open(server.url)
    const warnings = collect(made.session, 'protocol-warning')
    const failed = waitFor(made.session, 'state', (state) => state.status === 'error', 5000)
    await made.session.start()
    const liveAt = performance.now()
    const state = await failed
    if (state.status !== 'error') throw new Error('narrowing')
    await server.connections[0]!.closed // the client hangs up: nothing more can be misread
    return { ...made, error: state.error, afterMs: performance.now() - liveAt, warnings }
  }

  it('an audio delta that is not base64 is a protocol error about that event, not silence', async () => {
    const { error, afterMs, warnings, sink, logger } = await failingTurn((turn) =>
      turn.map((event) => (event['type'] === 'response.audio.delta' ? { ...event, delta: 'bm90IGF1ZGlv!' } : event)),
    )
    expect(error).toEqual({
      kind: 'protocol',
      message:
        'The service sent a response.audio.delta event the client cannot use (delta: not base64 audio (a character outside the base64 alphabet)).',
      retryable: false,
    })
    expect(afterMs).toBeLessThan(1000)
    expect(warnings).toEqual([
      {
        type: 'response.audio.delta',
        message:
          'response.audio.delta from the service cannot be used: delta: not base64 audio (a character outside the base64 alphabet); the session ends',
      },
    ])
    expect(sink.chunks).toEqual([])
    expect(logger.records.some((record) => record.level === 'warn' && record.message === 'unusable server event')).toBe(
      true,
    )
  })

  it('deltas for a response the session never saw created are a protocol error, not dropped as late', async () => {
    const { error, afterMs } = await failingTurn((turn) => turn.filter((event) => event['type'] !== 'response.created'))
    expect(error.message).toBe(
      'The service sent a response.output_item.added event the client cannot use (response_id: "resp_ABC123" names no response this session saw created).',
    )
    expect(afterMs).toBeLessThan(1000)
  })

  it('a function call that cannot be read is a protocol error, not a call left unanswered', async () => {
    const call = { type: 'function_call', id: 'item_fc', call_id: 'call_1', name: 'get_weather' }
    const { error } = await failingTurn((turn) =>
      turn.map((event) =>
        event['type'] === 'response.done'
          ? { ...event, response: { ...(event['response'] as Wire), output: [call] } }
          : event,
      ),
    )
    expect(error.message).toBe(
      'The service sent a response.done event the client cannot use (response.output.0.arguments: Invalid input: expected string, received undefined).',
    )
  })
})
