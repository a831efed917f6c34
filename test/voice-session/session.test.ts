/**
 * The session core against a scripted Voice Live server on 127.0.0.1: whole turns, barge-in,
 * push-to-talk, tools, and every connection fault, each checked on the wire and at the API.
 */
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionState } from '../../src-shared/session-model/session-model.js'
import type { VoiceSession } from '../../src-main/voice-session/index.js'
import { SessionFailure } from '../../src-main/voice-session/index.js'
import { collect, makeSession, preset, waitFor } from './helpers.js'
import { scriptedServers, sendAssistantTurn, testPcm, type ScriptedConnection } from './scripted-server.js'

const servers = scriptedServers()
const serve = servers.serve
const sessions: VoiceSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.stop()))
  await servers.closeAll()
})

function track<T extends { session: VoiceSession }>(made: T): T {
  sessions.push(made.session)
  return made
}

/** The server side of a VAD user turn: speech, commit, transcription. */
function userSpeaks(connection: ScriptedConnection, itemId: string, transcript: string): void {
  connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 100, item_id: itemId })
  connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 900, item_id: itemId })
  connection.send({ type: 'input_audio_buffer.committed', previous_item_id: null, item_id: itemId })
  connection.send({
    type: 'conversation.item.input_audio_transcription.completed',
    item_id: itemId,
    content_index: 0,
    transcript,
  })
}

/** A server script: the user says "Hi", and the assistant (response r1, item a1) is mid-answer. */
function assistantTalking(audio: Uint8Array, transcript: string) {
  return async (connection: ScriptedConnection) => {
    await connection.handshake()
    userSpeaks(connection, 'u1', 'Hi')
    sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio, transcript, done: false })
  }
}

describe('a whole turn', () => {
  it('configures the session first, streams audio, and delivers reply audio, transcript and metrics', async () => {
    const reply = testPcm(24_000) // 1 s
    const server = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.append')
      await connection.next('input_audio_buffer.append')
      userSpeaks(connection, 'item_user_1', 'What time is it?')
      sendAssistantTurn(connection, {
        responseId: 'resp_1',
        itemId: 'item_a_1',
        audio: reply,
        transcript: 'It is noon.',
      })
    })
    const { session, sink } = track(makeSession(server.url))
    const transcript = collect(session, 'transcript')
    const metrics = waitFor(session, 'metrics')
    const turnDone = waitFor(session, 'turn-done')
    const format = waitFor(session, 'audio-format')
    await session.start()
    expect(session.currentState).toEqual({ status: 'live', sessionId: 'sess_1', turnDetection: 'vad' })
    expect(await format).toEqual({ inputSampleRate: 24_000, outputSampleRate: 24_000, frameMs: 20 })
    session.appendAudio(testPcm(480))
    session.appendAudio(testPcm(480, 1))

    expect(await turnDone).toEqual({ responseId: 'resp_1', status: 'completed', afterUserInput: true })
    const connection = server.connections[0]!
    expect(connection.types()[0]).toBe('session.update')
    const update = connection.events[0]
    if (update?.type !== 'session.update') throw new Error('expected session.update')
    expect(update.session.turn_detection).toMatchObject({ type: 'azure_semantic_vad', interrupt_response: true })
    expect(update.session.instructions).toContain('voice assistant')
    const append = connection.events[1]
    if (append?.type !== 'input_audio_buffer.append') throw new Error('expected append')
    expect(Buffer.from(append.audio, 'base64')).toEqual(Buffer.from(testPcm(480)))

    // Auth header, request id, URL (no key in it).
    expect(connection.request.headers['api-key']).toBe('test-key-123')
    expect(connection.request.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(connection.url.pathname).toBe('/voice-live/realtime')
    expect(connection.url.searchParams.get('model')).toBe('gpt-realtime')
    expect(connection.url.searchParams.get('api-version')).toBe('2026-04-10')
    expect(connection.request.url).not.toContain('test-key-123')

    expect(Buffer.from(sink.all())).toEqual(Buffer.from(reply))
    expect(sink.chunks.every((chunk) => chunk.itemId === 'item_a_1')).toBe(true)
    expect(transcript.filter((entry) => entry.status === 'done')).toEqual([
      { itemId: 'item_user_1', role: 'user', text: 'What time is it?', status: 'done' },
      { itemId: 'item_a_1', role: 'assistant', text: 'It is noon.', status: 'done' },
    ])
    const turn = await metrics
    expect(turn).toMatchObject({
      responseId: 'resp_1',
      audioBytesSent: 1920,
      audioBytesReceived: 48_000,
      tokens: { input: 10, output: 20, total: 30 },
      status: 'completed',
    })
    expect(turn.speechEndToFirstAudioMs).not.toBeNull()
    expect(turn.speechEndToDoneMs).toBeGreaterThanOrEqual(turn.speechEndToFirstAudioMs ?? 0)
  })

  it('speaks first when the preset asks for a proactive greeting', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      const create = await connection.next('response.create')
      expect(create.response).toEqual({ instructions: 'Greet the caller and ask how you can help.' })
      sendAssistantTurn(connection, {
        responseId: 'r_greet',
        itemId: 'i_greet',
        audio: testPcm(2400),
        transcript: 'Hello!',
      })
    })
    const { session } = track(makeSession(server.url, { preset: preset('greeter') }))
    const done = waitFor(session, 'turn-done')
    await session.start()
    expect(await done).toEqual({ responseId: 'r_greet', status: 'completed', afterUserInput: false })
  })
})

describe('barge-in', () => {
  it('truncates at what was heard when the user speaks over the assistant, and drops late deltas', async () => {
    const audio = testPcm(24_000) // 1000 ms received
    let release!: () => void
    const truncatedSent = new Promise<void>((resolve) => (release = resolve))
    const server = await serve(async (connection) => {
      await connection.handshake()
      userSpeaks(connection, 'u1', 'Tell me a story')
      sendAssistantTurn(connection, {
        responseId: 'r1',
        itemId: 'a1',
        audio,
        transcript: 'Once upon a time there was a fox',
        done: false,
      })
      connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 3000, item_id: 'u2' })
      const truncate = await connection.next('conversation.item.truncate')
      // A late delta of the interrupted response: must not be played.
      connection.send({
        type: 'response.audio.delta',
        response_id: 'r1',
        item_id: 'a1',
        output_index: 0,
        content_index: 0,
        delta: Buffer.from(testPcm(4800)).toString('base64'),
      })
      connection.send({
        type: 'conversation.item.truncated',
        item_id: 'a1',
        content_index: 0,
        audio_end_ms: truncate.audio_end_ms,
      })
      connection.send({ type: 'response.done', response: { id: 'r1', status: 'cancelled', output: [] } })
      release()
    })
    const { session, sink } = track(makeSession(server.url))
    // The speaker rendered 400 ms (9600 samples) of the 1000 ms received.
    sink.heard = (itemId) => ({ itemId, playedSamples: 9600 })
    const truncated = waitFor(session, 'transcript', (entry) => entry.status === 'truncated')
    const done = waitFor(session, 'turn-done')
    await session.start()
    await truncatedSent
    await done

    const connection = server.connections[0]!
    const truncate = connection.events.find((event) => event.type === 'conversation.item.truncate')
    expect(truncate).toEqual({ type: 'conversation.item.truncate', item_id: 'a1', content_index: 0, audio_end_ms: 400 })
    // The VAD interrupts by itself (interrupt_response: true): no response.cancel.
    expect(connection.types()).not.toContain('response.cancel')
    expect(sink.bytesFor('a1')).toBe(audio.byteLength)
    const entry = await truncated
    expect(entry.itemId).toBe('a1')
    expect('Once upon a time there was a fox'.startsWith(entry.text)).toBe(true)
    expect(entry.text.length).toBeLessThan('Once upon a time there was a fox'.length)
  })

  it('on a local stop cancels the running response and clamps the truncation to the audio received', async () => {
    const server = await serve(assistantTalking(testPcm(12_000), 'Hello there'))
    const { session, sink } = track(makeSession(server.url))
    // The sink claims more than was received (e.g. a clock drift); the core must clamp to 500 ms.
    sink.heard = (itemId) => ({ itemId, playedSamples: 48_000 })
    const speaking = waitFor(session, 'transcript', (entry) => entry.itemId === 'a1' && entry.text === 'Hello there')
    await session.start()
    await speaking
    await session.interrupt()
    const connection = server.connections[0]!
    const cancel = await connection.next('response.cancel')
    expect(cancel.response_id).toBe('r1')
    const truncate = await connection.next('conversation.item.truncate')
    expect(truncate.audio_end_ms).toBe(500)
    // The cancelled response ends without its `done` events: its entry must not stay in progress.
    const settled = waitFor(session, 'transcript', (entry) => entry.itemId === 'a1' && entry.status !== 'in_progress')
    connection.send({ type: 'response.done', response: { id: 'r1', status: 'cancelled', output: [] } })
    expect(await settled).toEqual({ itemId: 'a1', role: 'assistant', text: 'Hello there', status: 'truncated' })
  })

  it('sends no truncate when nothing was heard yet', async () => {
    const server = await serve(assistantTalking(testPcm(4800), 'Hello'))
    const { session, sink } = track(makeSession(server.url))
    sink.heard = (itemId) => ({ itemId, playedSamples: 0 })
    const speaking = waitFor(session, 'transcript', (entry) => entry.itemId === 'a1')
    await session.start()
    await speaking
    await session.interrupt()
    const connection = server.connections[0]!
    await connection.next('response.cancel')
    expect(sink.flushes).toBe(1) // only the local stop: the user's first speech_started had nothing to silence
    expect(connection.types()).not.toContain('conversation.item.truncate')
  })
})

describe('push-to-talk', () => {
  it('clears on press, sends audio only while held, commits and asks for a response on release', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
    })
    const { session } = track(makeSession(server.url, { preset: preset('push-to-talk') }))
    await session.start()
    expect(session.currentState).toMatchObject({ status: 'live', turnDetection: 'push-to-talk' })
    const connection = server.connections[0]!
    const update = connection.events[0]
    if (update?.type !== 'session.update') throw new Error('expected session.update')
    expect(update.session.turn_detection).toBeNull()

    session.appendAudio(testPcm(480)) // gate closed: dropped
    await session.pressToTalk()
    for (let i = 0; i < 6; i++) session.appendAudio(testPcm(480, i)) // 120 ms
    session.releaseToTalk() // the tail is the app's push-to-talk machine's (test/push-to-talk/)
    session.appendAudio(testPcm(480)) // after release: dropped
    await connection.next('response.create')
    expect(connection.types()).toEqual([
      'session.update',
      'input_audio_buffer.clear',
      ...Array<string>(6).fill('input_audio_buffer.append'),
      'input_audio_buffer.commit',
      'response.create',
    ])
  })

  it('a press while the assistant talks cancels, clears, and keeps the speech captured during the flush', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.commit')
      connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
      sendAssistantTurn(connection, {
        responseId: 'r1',
        itemId: 'a1',
        audio: testPcm(24_000),
        transcript: 'Long answer',
        done: false,
      })
    })
    const { session, sink } = track(makeSession(server.url, { preset: preset('push-to-talk') }))
    const speaking = waitFor(session, 'transcript', (entry) => entry.itemId === 'a1')
    await session.start()
    await session.pressToTalk()
    for (let i = 0; i < 6; i++) session.appendAudio(testPcm(480, i))
    session.releaseToTalk()
    await speaking
    let releaseFlush!: () => void
    sink.flushGate = new Promise((resolve) => (releaseFlush = resolve))
    sink.heard = (itemId) => ({ itemId, playedSamples: 7200 })
    const pressed = session.pressToTalk()
    session.appendAudio(testPcm(480, 42)) // the user is already talking while the renderer answers
    releaseFlush()
    await pressed
    const connection = server.connections[0]!
    const truncate = await connection.next('conversation.item.truncate')
    expect(truncate.audio_end_ms).toBe(300)
    const tail = connection.types().slice(connection.types().lastIndexOf('response.create') + 1)
    expect(tail).toEqual([
      'response.cancel',
      'input_audio_buffer.clear',
      'input_audio_buffer.append',
      'conversation.item.truncate',
    ])
  })

  it('sends nothing for a press shorter than 100 ms of audio', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
    })
    const { session } = track(makeSession(server.url, { preset: preset('push-to-talk') }))
    await session.start()
    await session.pressToTalk()
    session.appendAudio(testPcm(480))
    session.releaseToTalk()
    const connection = server.connections[0]!
    await connection.next('input_audio_buffer.clear')
    await connection.next('input_audio_buffer.clear')
    expect(connection.types()).not.toContain('input_audio_buffer.commit')
    expect(connection.types()).not.toContain('response.create')
  })
})

describe('tool calls', () => {
  it('sends every function output first, then exactly one response.create', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      userSpeaks(connection, 'u1', 'Weather in Paris and Rome?')
      connection.send({ type: 'response.created', response: { id: 'r1', status: 'in_progress' } })
      connection.send({
        type: 'response.done',
        response: {
          id: 'r1',
          status: 'completed',
          output: [
            { type: 'function_call', id: 'f1', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'function_call', id: 'f2', call_id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
          ],
        },
      })
      await connection.next('response.create')
      sendAssistantTurn(connection, {
        responseId: 'r2',
        itemId: 'a2',
        audio: testPcm(2400),
        transcript: 'Sunny in both.',
      })
    })
    const { session } = track(
      makeSession(server.url, {
        tools: { weather: async (args) => `sunny in ${(JSON.parse(args) as { city: string }).city}` },
      }),
    )
    const done = waitFor(session, 'turn-done')
    await session.start()
    expect(await done).toEqual({ responseId: 'r2', status: 'completed', afterUserInput: true })
    const connection = server.connections[0]!
    const afterUpdate = connection.events
      .slice(1)
      .map((event) => (event.type === 'conversation.item.create' ? event.item : event.type))
    expect(afterUpdate).toEqual([
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny in Paris' },
      { type: 'function_call_output', call_id: 'call_2', output: 'sunny in Rome' },
      'response.create',
    ])
  })
})

describe('Entra tokens', () => {
  it('asks the token provider for the configured scope and sends a bearer header', async () => {
    const server = await serve((connection) => connection.handshake().then(() => undefined))
    const scopes: string[] = []
    const { session } = track(
      makeSession(server.url, {
        connection: {
          endpoint: server.url,
          auth: { kind: 'token-provider', provider: { getToken: async (scope) => (scopes.push(scope), 'tok-123') } },
          target: { kind: 'model', model: 'gpt-realtime' },
          tokenScope: 'https://cognitiveservices.azure.com/.default',
        },
      }),
    )
    await session.start()
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default'])
    expect(server.connections[0]!.request.headers['authorization']).toBe('Bearer tok-123')
    expect(server.connections[0]!.request.headers['api-key']).toBeUndefined()
  })

  it('a failing token provider is an auth error; nothing is connected', async () => {
    const server = await serve(() => undefined)
    const { session } = track(
      makeSession(server.url, {
        connection: {
          endpoint: server.url,
          auth: {
            kind: 'token-provider',
            provider: { getToken: () => Promise.reject(new Error('sign-in cancelled')) },
          },
          target: { kind: 'model', model: 'gpt-realtime' },
        },
      }),
    )
    const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
    expect(failure.error).toEqual({
      kind: 'auth',
      message: 'Could not get a token for https://ai.azure.com/.default: sign-in cancelled',
      retryable: false,
    })
    expect(server.upgradeAttempts).toBe(0)
  })
})

describe('faults', () => {
  it('401 at the upgrade: a clear auth error, no retry', async () => {
    const server = await serve(() => undefined, {
      refuse: () => ({
        status: 401,
        body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}',
      }),
    })
    const { session } = track(makeSession(server.url))
    const states = collect(session, 'state')
    const failure = await session.start().then(
      () => null,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(SessionFailure)
    const error = (failure as SessionFailure).error
    expect(error.kind).toBe('auth')
    expect(error.message).toContain('HTTP 401')
    expect(error.message).toContain('invalid subscription key')
    expect(error.retryable).toBe(false)
    expect(states.at(-1)).toEqual({ status: 'error', error })
    expect(server.upgradeAttempts).toBe(1)
  })

  it('404 and 429 at the upgrade map to their own kinds', async () => {
    for (const [status, kind] of [
      [404, 'not_found'],
      [429, 'rate_limit'],
      [403, 'auth'],
    ] as const) {
      const server = await serve(() => undefined, { refuse: () => ({ status }) })
      const { session } = track(makeSession(server.url))
      const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
      expect(failure.error.kind).toBe(kind)
    }
  })

  it('an error event mid-session is reported and the session stays live', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      connection.send({
        type: 'error',
        error: { type: 'invalid_request_error', code: 'invalid_value', message: 'bad thing' },
      })
      connection.send({
        type: 'error',
        error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'no active response' },
      })
      userSpeaks(connection, 'u1', 'Hi')
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(2400), transcript: 'Hello' })
    })
    const { session } = track(makeSession(server.url))
    const errors = collect(session, 'service-error')
    const done = waitFor(session, 'turn-done')
    await session.start()
    await done
    expect(errors).toEqual([{ code: 'invalid_value', message: 'bad thing' }])
    expect(session.currentState.status).toBe('live')
  })

  it('a server failure during the handshake is a retryable service error, not a settings error', async () => {
    const server = await serve(async (connection) => {
      await connection.next('session.update')
      connection.send({ type: 'error', error: { type: 'server_error', code: null, message: 'The server had an error.' } })
    })
    const { session } = track(makeSession(server.url))
    const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
    expect(failure.error).toEqual({
      kind: 'service',
      message: 'The service failed while opening the session: The server had an error.',
      retryable: true,
    })
  })

  it('an error event in answer to session.update fails start() as a config error', async () => {
    const server = await serve(async (connection) => {
      await connection.next('session.update')
      connection.send({ type: 'error', error: { code: 'invalid_value', message: "Invalid value: 'en-XX-Nobody'" } })
    })
    const { session } = track(makeSession(server.url))
    const states = collect(session, 'state')
    const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
    expect(failure.error).toEqual({
      kind: 'config',
      message: "The service rejected the session settings: Invalid value: 'en-XX-Nobody'",
      retryable: false,
    })
    // The abandoned socket's close must not start a reconnect (reconnect delays here are 20 ms).
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(states.at(-1)).toEqual({ status: 'error', error: failure.error })
    expect(server.upgradeAttempts).toBe(1)
  })

  it('a drop mid-response reconnects, re-applies the session, replays the history and asks again', async () => {
    const reply = testPcm(4800)
    const server = await serve(async (connection, index) => {
      await connection.handshake(`sess_${index}`)
      if (index === 0) {
        userSpeaks(connection, 'u1', 'My name is Ada.')
        sendAssistantTurn(connection, {
          responseId: 'r1',
          itemId: 'a1',
          audio: testPcm(2400),
          transcript: 'Nice to meet you, Ada.',
        })
        userSpeaks(connection, 'u2', 'What is my name?')
        sendAssistantTurn(connection, {
          responseId: 'r2',
          itemId: 'a2',
          audio: testPcm(2400),
          transcript: 'Your',
          done: false,
        })
        setTimeout(() => connection.socket.terminate(), 50)
        return
      }
      await connection.next('response.create')
      sendAssistantTurn(connection, { responseId: 'r3', itemId: 'a3', audio: reply, transcript: 'Your name is Ada.' })
    })
    const { session, sink } = track(makeSession(server.url))
    const states = collect(session, 'state')
    await session.start()
    const done = await waitFor(session, 'turn-done', (turn) => turn.responseId === 'r3')
    expect(done.afterUserInput).toBe(true)
    expect(states.map((state) => state.status)).toContain('reconnecting')
    expect(states.at(-1)).toMatchObject({ status: 'live', sessionId: 'sess_1' })

    const second = server.connections[1]!
    expect(second.types()).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
      'conversation.item.create',
      'response.create',
    ])
    const replayed = second.events.flatMap((event) => (event.type === 'conversation.item.create' ? [event.item] : []))
    expect(replayed).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'My name is Ada.' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Nice to meet you, Ada.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is my name?' }] },
    ])
    expect(Buffer.from(sink.all().subarray(-reply.byteLength))).toEqual(Buffer.from(reply))
    expect(session.transcriptEntries().find((entry) => entry.itemId === 'a2')).toMatchObject({ status: 'failed' })
  })

  it('a malformed frame is logged and skipped; the turn still completes', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      connection.sendRaw('{"type":"response.audio.delta", oops')
      userSpeaks(connection, 'u1', 'Hi')
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(2400), transcript: 'Hello' })
    })
    const { session, logger } = track(makeSession(server.url))
    const protocol = collect(session, 'protocol')
    const done = waitFor(session, 'turn-done')
    await session.start()
    await done
    const malformed = protocol.find((event) => event.type === '(malformed)')
    expect(malformed?.summary['error']).toMatch(/not JSON/)
    expect(logger.records.some((record) => record.message === 'malformed server frame ignored')).toBe(true)
  })

  it('unknown server events are passed through, not dropped', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      connection.send({
        type: 'response.animation_viseme.delta',
        response_id: 'rX',
        viseme_id: 7,
        audio_offset_ms: 120,
      })
      userSpeaks(connection, 'u1', 'Hi')
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(2400), transcript: 'Hello' })
    })
    const { session } = track(makeSession(server.url))
    const unknown = waitFor(session, 'protocol', (event) => event.type === 'response.animation_viseme.delta')
    const done = waitFor(session, 'turn-done')
    await session.start()
    expect((await unknown).summary).toEqual({
      type: 'response.animation_viseme.delta',
      response_id: 'rX',
      viseme_id: 7,
      audio_offset_ms: 120,
    })
    await done
  })

  it('4008 (duration cap) starts a new session at once with the history', async () => {
    const server = await serve(async (connection, index) => {
      await connection.handshake(`sess_${index}`)
      if (index === 0) {
        userSpeaks(connection, 'u1', 'Remember 42.')
        sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(2400), transcript: 'Noted.' })
        setTimeout(() => connection.socket.close(4008, 'Session exceeded maximum duration'), 50)
      }
    })
    const { session } = track(
      makeSession(server.url, { timing: { connectTimeoutMs: 2000, reconnectDelaysMs: [5000] } }),
    )
    const reconnecting = waitFor(session, 'state', (state) => state.status === 'reconnecting')
    await session.start()
    const state = (await reconnecting) as Extract<SessionState, { status: 'reconnecting' }>
    expect(state.retryInMs).toBe(0)
    expect(state.reason).toContain('maximum duration (4008)')
    await waitFor(session, 'state', (next) => next.status === 'live')
    const second = server.connections[1]!
    await second.next('conversation.item.create')
    expect(second.types()).toEqual(['session.update', 'conversation.item.create', 'conversation.item.create'])
    expect(second.types()).not.toContain('response.create')
  })

  it('rolls over to a new session between turns before the duration cap, keeping the history', async () => {
    let firstClose: { code: number; reason: string } | null = null
    const server = await serve(async (connection, index) => {
      connection.socket.on('close', (code, reason) => {
        if (index === 0) firstClose = { code, reason: reason.toString() }
      })
      await connection.handshake(`sess_${index}`)
      if (index === 0) {
        userSpeaks(connection, 'u1', 'Remember 42.')
        sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(2400), transcript: 'Noted.' })
      }
    })
    const { session, sink } = track(
      makeSession(server.url, { timing: { connectTimeoutMs: 2000, reconnectDelaysMs: [5000], rolloverAfterMs: 300 } }),
    )
    const states = collect(session, 'state')
    await session.start()
    await waitFor(session, 'state', (state) => state.status === 'live' && state.sessionId === 'sess_1')
    expect(firstClose).toEqual({ code: 1000, reason: 'rollover' })
    expect(states.map((state) => state.status)).toEqual(['connecting', 'connecting', 'live', 'reconnecting', 'live'])
    const second = server.connections[1]!
    await second.next('conversation.item.create')
    await second.next('conversation.item.create')
    expect(second.types()).toEqual(['session.update', 'conversation.item.create', 'conversation.item.create'])
    expect(sink.flushes).toBe(0) // the finished answer keeps playing across the roll-over
  })

  it('1008 (policy) ends the session with a policy error and no reconnect', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      connection.socket.close(1008, 'policy violation')
    })
    const { session } = track(makeSession(server.url))
    const failed = waitFor(session, 'state', (state) => state.status === 'error')
    await session.start()
    expect(await failed).toMatchObject({ status: 'error', error: { kind: 'policy', retryable: false } })
    expect(server.connections).toHaveLength(1)
  })

  it.each([
    { refusal: 503, error: { kind: 'service' }, attempts: 4, what: 'gives up after the reconnect attempts fail, with the last error' },
    { refusal: 401, error: { kind: 'auth', retryable: false }, attempts: 2, what: 'stops at once on a 401 while reconnecting: no more attempts' },
  ])('$what', async ({ refusal, error, attempts }) => {
    let accept = true
    const server = await serve(
      async (connection) => {
        await connection.handshake()
        accept = false
        connection.socket.terminate()
      },
      { refuse: () => (accept ? null : { status: refusal }) },
    )
    const { session } = track(makeSession(server.url))
    const failed = waitFor(session, 'state', (state) => state.status === 'error')
    await session.start()
    expect(await failed).toMatchObject({ status: 'error', error })
    expect(server.upgradeAttempts).toBe(attempts)
  })

  it('a server that never answers the upgrade hits the connect timeout', async () => {
    const accepted: Socket[] = []
    const silent: TcpServer = createTcpServer((socket) => accepted.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as { port: number }).port
      const { session } = track(
        makeSession(`ws://127.0.0.1:${port}`, { timing: { connectTimeoutMs: 300, reconnectDelaysMs: [] } }),
      )
      const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
      expect(failure.error.kind).toBe('timeout')
      expect(failure.error.message).toContain('within 0.3 s')
    } finally {
      for (const socket of accepted) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('stop() during the handshake ends start() at once, with no error state and no reconnect', async () => {
    let connected!: () => void
    const opened = new Promise<void>((resolve) => (connected = resolve))
    const server = await serve(async (connection) => {
      await connection.next('session.update')
      connected() // and never answer it
    })
    const { session } = track(
      makeSession(server.url, { timing: { connectTimeoutMs: 20_000, reconnectDelaysMs: [20] } }),
    )
    const states = collect(session, 'state')
    const started = session.start().catch((error: unknown) => error)
    await opened
    await session.stop()
    const failure = (await started) as SessionFailure
    expect(failure.error.message).toBe('The session was stopped while connecting.')
    expect(states.at(-1)).toEqual({ status: 'idle' })
    expect(states.map((state) => state.status)).not.toContain('error')
    expect(server.upgradeAttempts).toBe(1)
  })

  it('a refused connection is a network error naming the host', async () => {
    const silent: TcpServer = createTcpServer()
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    await new Promise<void>((resolve) => silent.close(() => resolve()))
    const { session } = track(makeSession(`ws://127.0.0.1:${port}`))
    const failure = (await session.start().catch((error: unknown) => error)) as SessionFailure
    expect(failure.error).toEqual({
      kind: 'network',
      message: `Could not reach 127.0.0.1:${port}: the connection was refused.`,
      retryable: true,
    })
  })
})
