import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLITE_SAMPLE_RATE, synthesizeSpeech } from '../../src-main/engine/flite.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { concatPcm16, msToSamples } from '../../src-main/pcm-audio/pcm16-samples.js'
import { EngineClient } from './engine-client.js'

let engine: LocalEngine
let client: EngineClient

beforeAll(async () => {
  engine = await startLocalEngine()
  client = await EngineClient.connect(engine.url)
  await client.waitFor('session.created')
  client.send({
    type: 'session.update',
    session: {
      input_audio_sampling_rate: FLITE_SAMPLE_RATE,
      input_audio_transcription: { model: 'azure-speech' },
      turn_detection: { type: 'server_vad', silence_duration_ms: 1000 },
    },
  })
  await client.waitFor('session.updated')
})
afterAll(async () => {
  client.close()
  await engine.close()
})

describe('recognition that starts before the turn ends', () => {
  it('keeps the words after a pause shorter than silence_duration_ms in the same transcript', async () => {
    // Flite leaves ~250 ms of quiet at each end, so the pause is ~900 ms: past the point (half of
    // the 1000 ms silence_duration_ms) where the engine finishes recognising early, but no turn
    // end, so the words after the pause belong to the same turn.
    const [first, second] = await Promise.all([synthesizeSpeech('good morning'), synthesizeSpeech('what time is it')])
    const speech = concatPcm16([first, new Int16Array(msToSamples(400, FLITE_SAMPLE_RATE)), second])
    const heard = await client.speakTurn(speech, FLITE_SAMPLE_RATE)
    expect(heard.transcript).toMatch(/^good morning .*time is it$/)
    expect(client.ofType('input_audio_buffer.speech_stopped')).toHaveLength(1)
  })
})
