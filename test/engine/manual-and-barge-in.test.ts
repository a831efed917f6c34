import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { EngineClient, type ServerEvent } from './engine-client.js'

const LONG_REPLY = 'This is a long scripted reply from the local engine. It goes on for several seconds, so that the user has time to interrupt it while it is still playing.'
let engine: LocalEngine
const clients: EngineClient[] = []

async function connect(session: Record<string, unknown>): Promise<EngineClient> {
  const client = await EngineClient.connect(engine.url)
  clients.push(client)
  await client.waitFor('session.created')
  client.send({ type: 'session.update', session })
  await client.waitFor('session.updated')
  return client
}
const responseOf = (event: ServerEvent) => event.response as { id: string; status: string; status_details: { type: string; reason: string } | null; output: { id: string }[] }

beforeAll(async () => {
  engine = await startLocalEngine({ script: [LONG_REPLY] })
})
afterAll(async () => {
  for (const client of clients) client.close()
  await engine.close()
})

describe('manual mode (turn_detection: null)', () => {
  it('commits only on request, answers only on response.create, and reports an empty commit', async () => {
    const client = await connect({ turn_detection: null, input_audio_transcription: { model: 'azure-speech' } })
    expect(client.ofType('session.updated')[0]?.session).toMatchObject({ turn_detection: null })

    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_empty' })
    const empty = await client.waitFor('error')
    expect(empty.error).toMatchObject({ type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', event_id: 'evt_empty' })

    client.appendWav(await speechWav('what time is it'))
    client.send({ type: 'input_audio_buffer.commit' })
    const committed = await client.waitFor('input_audio_buffer.committed')
    expect(client.ofType('input_audio_buffer.speech_started')).toHaveLength(0)
    const transcript = await client.waitFor('conversation.item.input_audio_transcription.completed')
    expect(transcript.item_id).toBe(committed.item_id)
    expect(transcript.transcript).toBe('what time is it')
    expect(client.ofType('response.created')).toHaveLength(0)

    client.send({ type: 'response.create' })
    const created = await client.waitFor('response.created')
    client.send({ type: 'response.create', event_id: 'evt_second' })
    const busy = await client.waitFor('error', (event) => (event.error as { event_id: string }).event_id === 'evt_second')
    expect(busy.error).toMatchObject({ code: 'conversation_already_has_active_response' })
    await client.waitFor('response.audio.delta')
    client.send({ type: 'response.cancel' })
    const done = await client.waitFor('response.done')
    expect(responseOf(done)).toMatchObject({ id: responseOf(created).id, status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } })
    const deltasAtCancel = client.ofType('response.audio.delta').length
    client.send({ type: 'response.cancel', event_id: 'evt_nothing' })
    const nothing = await client.waitFor('error', (event) => (event.error as { event_id: string }).event_id === 'evt_nothing')
    expect(nothing.error).toMatchObject({ code: 'response_cancel_not_active' })
    // Nothing more of the cancelled response arrives.
    expect(client.ofType('response.audio.delta')).toHaveLength(deltasAtCancel)
  })

  it('counts the buffer in appended audio: refuses 99 ms and commits exactly 100 ms', async () => {
    const client = await connect({ turn_detection: null })
    // 99 ms at 24 kHz, then the last millisecond: the resampler's delay and a partial 10 ms VAD
    // frame still hold some of it, but the service counts what was appended.
    client.appendSamples(new Int16Array(2_376), 24_000)
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_short' })
    const short = await client.waitFor('error')
    expect(short.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'evt_short',
      message: 'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 99.00ms of audio.',
    })
    client.appendSamples(new Int16Array(24), 24_000)
    client.send({ type: 'input_audio_buffer.commit' })
    await client.waitFor('input_audio_buffer.committed')
    expect(client.ofType('error')).toHaveLength(1)
  })

  it('clears the buffer on input_audio_buffer.clear', async () => {
    const client = await connect({ turn_detection: null })
    client.appendWav(await speechWav('hello'))
    client.send({ type: 'input_audio_buffer.clear' })
    await client.waitFor('input_audio_buffer.cleared')
    client.send({ type: 'input_audio_buffer.commit' })
    const error = await client.waitFor('error')
    expect(error.error).toMatchObject({ code: 'input_audio_buffer_commit_empty' })
  })

  it('answers a text message and a function output added with conversation.item.create', async () => {
    const client = await connect({ turn_detection: null, modalities: ['text'] })
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello engine' }] } })
    await client.waitFor('conversation.item.created')
    client.send({ type: 'response.create' })
    // The first turn of every session is scripted; the second uses the rules.
    await client.waitFor('response.done')
    client.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21}' } })
    const created = await client.waitFor('conversation.item.created', (event) => (event.item as { type: string }).type === 'function_call_output')
    expect(created.item).toMatchObject({ call_id: 'call_1', output: '{"temperature":21}' })
    client.send({ type: 'response.create' })
    const done = await client.waitFor('response.done', (event) => responseOf(event).status === 'completed', 20_000, client.events.indexOf(created))
    const text = client.ofType('response.text.done').at(-1)
    expect(text?.text).toBe('The function returned: {"temperature":21}')
    expect(client.ofType('response.audio.delta')).toHaveLength(0)
    expect(responseOf(done).output[0]?.id).toBe(text?.item_id)
  })
})

describe('interruption and truncation', () => {
  it('new speech cancels the running response (interrupt_response) and truncate is validated', async () => {
    const client = await connect({ turn_detection: { type: 'server_vad', interrupt_response: true } })
    client.appendWav(await speechWav('tell me a story'))
    const first = await client.waitFor('response.created')
    const delta = await client.waitFor('response.audio.delta')
    const itemId = String(delta.item_id)

    // Barge in while the reply is still streaming.
    const before = client.events.length
    client.appendWav(await speechWav('stop please'))
    await client.waitFor('input_audio_buffer.speech_started', () => true, 20_000, before)
    const done = await client.waitFor('response.done', (event) => responseOf(event).id === responseOf(first).id)
    expect(responseOf(done).status).toBe('cancelled')
    expect(responseOf(done).status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' })
    const cancelIndex = client.events.indexOf(done)
    expect(client.events.slice(cancelIndex).some((event) => event.type === 'response.audio.delta' && event.response_id === responseOf(first).id)).toBe(false)

    const sentMs = (client.audioOf(responseOf(first).id).length * 1000) / 24_000
    client.send({ type: 'conversation.item.truncate', event_id: 'evt_long', item_id: itemId, content_index: 0, audio_end_ms: Math.ceil(sentMs) + 1000 })
    const tooLong = await client.waitFor('error', (event) => (event.error as { event_id: string }).event_id === 'evt_long')
    expect(tooLong.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_value', param: 'audio_end_ms' })
    client.send({ type: 'conversation.item.truncate', event_id: 'evt_missing', item_id: 'item_nope', content_index: 0, audio_end_ms: 10 })
    const missing = await client.waitFor('error', (event) => (event.error as { event_id: string }).event_id === 'evt_missing')
    expect(missing.error).toMatchObject({ param: 'item_id' })

    client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 100 })
    const truncated = await client.waitFor('conversation.item.truncated')
    expect(truncated).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 100 })
    expect(client.socket.readyState).toBe(client.socket.OPEN)
  })

  it('keeps talking through speech when interrupt_response is false', async () => {
    const client = await connect({ turn_detection: { type: 'server_vad', interrupt_response: false, create_response: false } })
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'talk' }] } })
    client.send({ type: 'response.create' })
    const created = await client.waitFor('response.created')
    await client.waitFor('response.audio.delta')
    client.appendWav(await speechWav('are you still there'))
    await client.waitFor('input_audio_buffer.speech_stopped')
    const done = await client.waitFor('response.done', (event) => responseOf(event).id === responseOf(created).id)
    expect(responseOf(done).status).toBe('completed')
    // create_response false: the new speech made no new response.
    expect(client.ofType('response.created')).toHaveLength(1)
  })
})
