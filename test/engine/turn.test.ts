import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { rms } from '../support/wav.js'
import { EngineClient, speechBoundsMs } from './engine-client.js'

let engine: LocalEngine
const clients: EngineClient[] = []
const connect = async () => {
  const client = await EngineClient.connect(engine.url)
  clients.push(client)
  await client.waitFor('session.created')
  return client
}

beforeAll(async () => {
  engine = await startLocalEngine()
})
afterAll(async () => {
  for (const client of clients) client.close()
  await engine.close()
})

describe('a whole turn with server VAD', () => {
  it('hears a spoken question, transcribes it and answers with speech', async () => {
    const client = await connect()
    client.send({ type: 'session.update', session: { input_audio_transcription: { model: 'azure-speech' } } })
    await client.waitFor('session.updated')
    const wav = await speechWav('hello, what time is it', { padStartSec: 1, padEndSec: 1.5 })
    const [speechStartMs, speechEndMs] = speechBoundsMs(wav)
    client.appendWav(wav)

    const started = await client.waitFor('input_audio_buffer.speech_started')
    const stopped = await client.waitFor('input_audio_buffer.speech_stopped')
    // The start is reported prefix_padding_ms (default 300) before the speech really starts.
    expect(Math.abs(Number(started.audio_start_ms) - (speechStartMs - 300))).toBeLessThanOrEqual(60)
    expect(Math.abs(Number(stopped.audio_end_ms) - speechEndMs)).toBeLessThanOrEqual(100)
    expect(stopped.item_id).toBe(started.item_id)
    const transcript = await client.waitFor('conversation.item.input_audio_transcription.completed')
    // PocketSphinx-grade recognition: the words that decide the reply must be there.
    expect(transcript.transcript).toMatch(/^hello .*time is it$/)
    const done = await client.waitFor('response.done')
    const response = done.response as { id: string; status: string; output: { content: { transcript: string }[] }[] }
    expect(response.status).toBe('completed')
    expect(response.output[0]?.content[0]?.transcript).toMatch(/^Hello!/)

    const types = client.events.map((event) => event.type)
    const order = [
      'input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed',
      'conversation.item.created', 'response.created', 'response.output_item.added', 'response.content_part.added',
      'response.audio.delta', 'response.audio.done', 'response.audio_transcript.done', 'response.content_part.done',
      'response.output_item.done', 'response.done',
    ]
    const positions = order.map((type) => types.indexOf(type))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)

    const audio = client.audioOf(response.id)
    expect(audio.length / 24_000).toBeGreaterThan(1)
    expect(rms(audio)).toBeGreaterThan(0.02)
    const deltas = client.ofType('response.audio_transcript.delta').map((event) => event.delta).join('')
    expect(deltas).toBe(response.output[0]?.content[0]?.transcript)
  })

  it('streams the reply at about real-time pace, not all at once', async () => {
    const client = await connect()
    client.appendWav(await speechWav('please repeat after me the quick brown fox jumps over the lazy dog'))
    const created = await client.waitFor('response.created')
    const firstDelta = await client.waitFor('response.audio.delta')
    const deltasAtFirst = client.ofType('response.audio.delta').length
    const done = await client.waitFor('response.done')
    const responseId = (done.response as { id: string }).id
    const audioSeconds = client.audioOf(responseId).length / 24_000
    // The first delta and the done belong to the response that was created, not an earlier one.
    expect((created.response as { id: string }).id).toBe(responseId)
    expect(firstDelta.response_id).toBe(responseId)
    // A multi-second reply arrives in many 100 ms deltas that were not all there at the first one.
    expect(audioSeconds).toBeGreaterThan(2)
    expect(client.ofType('response.audio.delta').length).toBeGreaterThan(deltasAtFirst + 10)
  })

  it('takes 16 kHz input and speaks 16 kHz output when the session asks for them', async () => {
    const client = await connect()
    client.send({ type: 'session.update', session: { input_audio_sampling_rate: 16_000, output_audio_format: 'pcm16_16000hz', input_audio_transcription: { model: 'azure-speech' } } })
    const updated = await client.waitFor('session.updated')
    expect(updated.session).toMatchObject({ input_audio_sampling_rate: 16_000, output_audio_format: 'pcm16_16000hz' })
    const wav = await speechWav('turn off the lights in the kitchen', { sampleRate: 16_000 })
    const [speechStartMs] = speechBoundsMs(wav)
    client.appendWav(wav)
    const started = await client.waitFor('input_audio_buffer.speech_started')
    // Times are in ms of audio whatever the rate: a 16 kHz sample is not mistaken for a 24 kHz one.
    expect(Math.abs(Number(started.audio_start_ms) - (speechStartMs - 300))).toBeLessThanOrEqual(60)
    const transcript = await client.waitFor('conversation.item.input_audio_transcription.completed')
    expect(transcript.transcript).toBe('turn off the lights in the kitchen')
    const done = await client.waitFor('response.done')
    const text = (done.response as { output: { content: { transcript: string }[] }[] }).output[0]?.content[0]?.transcript ?? ''
    const audio = client.audioOf((done.response as { id: string }).id)
    // "You said: turn off the lights in the kitchen." is about 3 s of speech at 16 kHz.
    expect(text).toBe('You said: turn off the lights in the kitchen.')
    expect(audio.length / 16_000).toBeGreaterThan(2)
    expect(audio.length / 16_000).toBeLessThan(5)
    expect(rms(audio)).toBeGreaterThan(0.02)
  })

  it('honours the session turn_detection settings on the wire', async () => {
    const client = await connect()
    client.send({ type: 'session.update', session: { turn_detection: { type: 'server_vad', prefix_padding_ms: 0, silence_duration_ms: 1200, create_response: false } } })
    await client.waitFor('session.updated')
    const wav = await speechWav('hello there', { padStartSec: 1, padEndSec: 2 })
    const [speechStartMs, speechEndMs] = speechBoundsMs(wav)
    client.appendWav(wav)
    const started = await client.waitFor('input_audio_buffer.speech_started')
    const stopped = await client.waitFor('input_audio_buffer.speech_stopped')
    // No prefix padding: the start is where the speech is.
    expect(Math.abs(Number(started.audio_start_ms) - speechStartMs)).toBeLessThanOrEqual(60)
    expect(Math.abs(Number(stopped.audio_end_ms) - speechEndMs)).toBeLessThanOrEqual(100)
    await client.waitFor('input_audio_buffer.committed')
    expect(client.ofType('response.created')).toHaveLength(0)
  })
})
