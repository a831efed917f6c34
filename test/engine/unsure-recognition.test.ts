import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLITE_SAMPLE_RATE, synthesizeSpeech, type FliteVoice } from '../../src-main/engine/flite.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { EngineClient } from './engine-client.js'

let engine: LocalEngine
let client: EngineClient

beforeAll(async () => {
  engine = await startLocalEngine()
  client = await EngineClient.connect(engine.url)
  await client.waitFor('session.created')
  client.send({
    type: 'session.update',
    session: { input_audio_sampling_rate: FLITE_SAMPLE_RATE, input_audio_transcription: { model: 'azure-speech' } },
  })
  await client.waitFor('session.updated')
})
afterAll(async () => {
  client.close()
  await engine.close()
})

/** Three voices saying different things at once: speech, but no one sentence in it. */
async function babble(): Promise<Int16Array> {
  const lines: [string, FliteVoice][] = [
    ['hello there, what time is it', 'slt'],
    ['please turn on the lights in the kitchen', 'rms'],
    ['tomorrow we will visit the old harbour', 'awb'],
  ]
  const voices = await Promise.all(lines.map(([text, voice]) => synthesizeSpeech(text, voice)))
  const length = Math.max(...voices.map((voice) => voice.length))
  return Int16Array.from({ length }, (_, i) => Math.max(-32768, Math.min(32767, voices.reduce((sum, voice) => sum + (voice[i] ?? 0), 0))))
}

describe('when the recogniser is unsure', () => {
  it('says it did not catch that instead of answering the words it guessed, and still answers clear speech', async () => {
    const garbled = await client.speakTurn(await babble(), FLITE_SAMPLE_RATE)
    // The recogniser did return words (the transcript shows them), but the reply does not act on them.
    expect(garbled.transcript).not.toBe('')
    expect(garbled.reply).toBe('Sorry, I did not catch that.')

    const clear = await client.speakTurn(await synthesizeSpeech('what time is it'), FLITE_SAMPLE_RATE)
    expect(clear.transcript).toMatch(/time is it$/)
    expect(clear.reply).toMatch(/^It is \d\d:\d\d UTC\.$/)
  })
})
