import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLITE_SAMPLE_RATE, synthesizeSpeech, type FliteVoice } from '../../src-main/engine/flite.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { concatPcm16, msToSamples } from '../../src-main/pcm-audio/pcm16-samples.js'
import { eSpeakNgVoice } from '../../bench/voices.js'
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
  // Two whole turns, each recognised and answered: more than the default 30 s on a loaded machine.
  it('says it did not catch that instead of answering the words it guessed, and still answers clear speech', { timeout: 90_000 }, async () => {
    const garbled = await client.speakTurn(await babble(), FLITE_SAMPLE_RATE)
    // The recogniser did return words (the transcript shows them), but the reply does not act on them.
    expect(garbled.transcript).not.toBe('')
    expect(garbled.reply).toBe('Sorry, I did not catch that.')

    const clear = await client.speakTurn(await synthesizeSpeech('what time is it'), FLITE_SAMPLE_RATE)
    expect(clear.transcript).toMatch(/time is it$/)
    expect(clear.reply).toMatch(/^It is \d\d:\d\d UTC\.$/)
  })
})

describe('recognition that starts before the turn ends', () => {
  it('keeps the words after a pause shorter than silence_duration_ms in the same transcript', { timeout: 90_000 }, async () => {
    client.send({ type: 'session.update', session: { turn_detection: { type: 'server_vad', silence_duration_ms: 1000 } } })
    await client.waitFor('session.updated', (event) => (event.session as { turn_detection: { silence_duration_ms: number } }).turn_detection.silence_duration_ms === 1000)
    const stoppedBefore = client.ofType('input_audio_buffer.speech_stopped').length
    // Flite leaves ~250 ms of quiet at each end, so the pause is ~900 ms: past the point (a
    // quarter of the 1000 ms silence_duration_ms) where the engine finishes recognising early, but
    // no turn end, so the words after the pause belong to the same turn.
    const [first, second] = await Promise.all([synthesizeSpeech('good morning'), synthesizeSpeech('what time is it')])
    const speech = concatPcm16([first, new Int16Array(msToSamples(400, FLITE_SAMPLE_RATE)), second])
    const heard = await client.speakTurn(speech, FLITE_SAMPLE_RATE)
    expect(heard.transcript).toMatch(/^good morning .*time is it$/)
    expect(client.ofType('input_audio_buffer.speech_stopped')).toHaveLength(stoppedBefore + 1)
  })
})

describe('the rule table\'s phrases in a voice far from the speech the acoustic model learned', () => {
  // eSpeak NG's formant synthesis is heard badly by PocketSphinx's en-us model. With the general
  // language model alone, "help" was heard as "til death" in both voices, and the engine echoed it.
  // The domain language model (the rule table's phrases) tips such close calls.
  // A session of its own per voice, as one speaker holds one: the recogniser adapts to the voice
  // it has heard, and this test is about a newcomer's first words.
  it('"help" in both eSpeak NG voices gets the help reply', { timeout: 90_000 }, async () => {
    for (const voice of [eSpeakNgVoice('en-us'), eSpeakNgVoice('en-gb-x-rp')]) {
      const speaker = await EngineClient.connect(engine.url)
      try {
        await speaker.waitFor('session.created')
        speaker.send({ type: 'session.update', session: { input_audio_sampling_rate: 16_000, input_audio_transcription: { model: 'azure-speech' } } })
        await speaker.waitFor('session.updated')
        const heard = await speaker.speakTurn(await voice.speak('help', 16_000), 16_000)
        expect(heard.transcript, voice.name).toBe('help')
        expect(heard.reply, voice.name).toMatch(/^I am a local test engine\./)
      } finally {
        speaker.close()
      }
    }
  })
})
