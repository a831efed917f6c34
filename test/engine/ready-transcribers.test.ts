import { describe, expect, it } from 'vitest'
import { FLITE_SAMPLE_RATE, synthesizeSpeech } from '../../src-main/engine/flite.js'
import type { RecognizerAvailability, Transcriber } from '../../src-main/engine/pocketsphinx.js'
import { readyTranscribers } from '../../src-main/engine/ready-transcribers.js'
import { startLocalEngine } from '../../src-main/engine/server.js'
import { EngineClient } from './engine-client.js'

/** A recogniser whose decoders say which one they are, and whose start-up the test can hold. */
function countingRecognizer() {
  const made: { closed: number }[] = []
  let hold: Promise<void> = Promise.resolve()
  let release = () => {}
  const recognizer: RecognizerAvailability = {
    available: true,
    async createTranscriber(): Promise<Transcriber> {
      const index = made.length
      const state = { closed: 0 }
      made.push(state)
      await hold
      return {
        start: () => undefined,
        feed: () => undefined,
        finish: () => Promise.resolve({ text: `decoder ${index}`, confidence: 1 }),
        abort: () => undefined,
        close: () => {
          state.closed++
          return Promise.resolve()
        },
      }
    },
  }
  return {
    recognizer,
    made,
    holdStartUps() {
      hold = new Promise((resolve) => (release = resolve))
    },
    releaseStartUps: () => release(),
  }
}

const which = async (transcriber: Promise<Transcriber>) => (await (await transcriber).finish()).text

function available(recognizer: RecognizerAvailability) {
  if (!recognizer.available) throw new Error(recognizer.reason)
  return recognizer
}

describe('decoders made ahead of the sessions (voicelive serve --ready-decoders)', () => {
  it('makes N at once; sessions take them in turn, and one beyond N makes its own', async () => {
    const fake = countingRecognizer()
    const ready = available(readyTranscribers(fake.recognizer, 2).recognizer)
    expect(fake.made).toHaveLength(2)
    expect(await which(ready.createTranscriber())).toBe('decoder 0')
    expect(await which(ready.createTranscriber())).toBe('decoder 1')
    expect(fake.made).toHaveLength(2)
    expect(await which(ready.createTranscriber())).toBe('decoder 2')
    expect(fake.made).toHaveLength(3)
  })

  it('makes one for the next session when a session that took one ends, once, and none for a session beyond N', async () => {
    const fake = countingRecognizer()
    const ready = available(readyTranscribers(fake.recognizer, 1).recognizer)
    const first = await ready.createTranscriber()
    const beyond = await ready.createTranscriber()
    expect(fake.made).toHaveLength(2)
    await first.close()
    await first.close()
    await beyond.close()
    expect(fake.made).toHaveLength(3)
    expect(fake.made.map((decoder) => decoder.closed)).toEqual([1, 1, 0])
    expect(await which(ready.createTranscriber())).toBe('decoder 2')
  })

  it('on close, frees the ones no session took (even one still starting) and makes no more', async () => {
    const fake = countingRecognizer()
    fake.holdStartUps()
    const decoders = readyTranscribers(fake.recognizer, 2)
    const ready = available(decoders.recognizer)
    const taken = ready.createTranscriber()
    const closing = decoders.close()
    fake.releaseStartUps()
    await closing
    expect(fake.made.map((decoder) => decoder.closed)).toEqual([0, 1])
    await (await taken).close()
    expect(fake.made).toHaveLength(2)
    // A session that still connects while the engine closes gets a decoder of its own.
    expect(await which(ready.createTranscriber())).toBe('decoder 2')
  })

  it('makes none ahead by default, and passes a missing recogniser through', async () => {
    const fake = countingRecognizer()
    const engine = await startLocalEngine({ recognizer: fake.recognizer })
    expect(fake.made).toHaveLength(0)
    await engine.close()
    const missing: RecognizerAvailability = { available: false, reason: 'no model here' }
    expect(readyTranscribers(missing, 4).recognizer).toBe(missing)
  })

  it('an engine with decoders made ahead gives them to its sessions and frees them all when it closes', async () => {
    const fake = countingRecognizer()
    const engine = await startLocalEngine({ recognizer: fake.recognizer, readyDecoders: 2 })
    expect(fake.made).toHaveLength(2)
    const client = await EngineClient.connect(engine.url)
    await client.waitFor('session.created')
    client.send({ type: 'session.update', session: { input_audio_transcription: { model: 'azure-speech' } } })
    await client.waitFor('session.updated')
    client.appendSamples(new Int16Array(4_800), 24_000)
    client.send({ type: 'input_audio_buffer.commit' })
    const heard = await client.waitFor('conversation.item.input_audio_transcription.completed')
    expect(heard.transcript).toBe('decoder 0')
    expect(fake.made).toHaveLength(2)
    await engine.close()
    await client.waitForClose()
    // The session's decoder and the unused one are freed; none is made for the closed session.
    expect(fake.made.map((decoder) => decoder.closed)).toEqual([1, 1])
  })

  it('recognises speech with a real decoder made ahead', { timeout: 60_000 }, async () => {
    const engine = await startLocalEngine({ readyDecoders: 1 })
    const client = await EngineClient.connect(engine.url)
    try {
      await client.waitFor('session.created')
      client.send({ type: 'session.update', session: { input_audio_sampling_rate: FLITE_SAMPLE_RATE, input_audio_transcription: { model: 'azure-speech' } } })
      await client.waitFor('session.updated')
      const heard = await client.speakTurn(await synthesizeSpeech('what time is it'), FLITE_SAMPLE_RATE)
      expect(heard.transcript).toBe('what time is it')
    } finally {
      client.close()
      await engine.close()
    }
  })
})
