/**
 * Recognition benchmark: word error rate of the local engine on short utterances of the kind its
 * rule table answers (greetings, the time, help, goodbye) and a few free sentences, spoken by
 * several synthetic voices (bench/voices.ts) at both session rates, 24 and 16 kHz.
 *
 * Every utterance goes the way a user's speech goes: over the WebSocket into an in-process engine
 * (`startLocalEngine`), through its resampler, server VAD and PocketSphinx, and the figure is
 * scored on the `conversation.item.input_audio_transcription.completed` transcript. One session
 * per voice and rate, as one speaker would hold one session. Audio is sent faster than real time:
 * the transcript does not depend on pacing.
 *
 * Prints JSON Lines: `wer` per voice, per rate and overall (the overall line has no extra field),
 * and `intent_match`: the share of utterances whose heard text gets the reply its real words get.
 * `WER_BENCH_VERBOSE=1` logs each utterance (said → heard) to stderr.
 */
import { startLocalEngine } from '../src-main/engine/server.js'
import { replyFor } from '../src-main/engine/responder.js'
import { concatPcm16, msToSamples } from '../src-main/pcm-audio/pcm16-samples.js'
import { EngineClient } from '../test/engine/engine-client.js'
import { QUICK } from './bench-mode.js'
import { emitFigure } from './figures.js'
import { eSpeakNgVoice, fliteVoice, type TestVoice } from './voices.js'
import { wordErrors, words } from './word-error-rate.js'

const UTTERANCES = [
  'hello',
  'hello there',
  'hi there',
  'good morning',
  'good evening',
  'what time is it',
  'what is the time',
  'tell me the time please',
  'hello there what time is it',
  'do you know what time it is',
  'help',
  'can you help me',
  'what can you do',
  'i need some help',
  'goodbye',
  'bye for now',
  'the weather is nice today',
  'please turn on the lights',
  'i would like a cup of coffee',
  'call my mother tomorrow',
  'open the window in the kitchen',
  'thank you very much',
  'play some music',
  'where is the nearest station',
]
/** Quick mode: one greeting, one question about the time, one free sentence. */
const QUICK_UTTERANCES = ['hello there', 'what time is it', 'thank you very much']

const VOICES: readonly TestVoice[] = [fliteVoice('slt'), fliteVoice('rms'), eSpeakNgVoice('en-us'), eSpeakNgVoice('en-gb-x-rp')]
const RATES = [24_000, 16_000]
const PAD_BEFORE_MS = 500
const PAD_AFTER_MS = 1_000
/** A quiet room rather than digital silence: white noise at about −60 dBFS. */
const NOISE_AMPLITUDE = 30

interface Scored {
  readonly voice: string
  readonly rate: number
  readonly errors: number
  readonly referenceWords: number
  readonly intentMatches: boolean
}

/** Deterministic noise (a 32-bit LCG), so every run hears the same room. */
function roomNoise(length: number, seed: number): Int16Array {
  const noise = new Int16Array(length)
  let state = seed >>> 0
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    noise[i] = Math.round((state / 2 ** 32 - 0.5) * 2 * NOISE_AMPLITUDE)
  }
  return noise
}

function inRoom(speech: Int16Array, rate: number, seed: number): Int16Array {
  const padded = concatPcm16([new Int16Array(msToSamples(PAD_BEFORE_MS, rate)), speech, new Int16Array(msToSamples(PAD_AFTER_MS, rate))])
  const noise = roomNoise(padded.length, seed)
  for (let i = 0; i < padded.length; i++) padded[i] = Math.max(-32768, Math.min(32767, (padded[i] ?? 0) + (noise[i] ?? 0)))
  return padded
}

const NOW = new Date(Date.UTC(2026, 0, 1, 12, 0))
const replyTo = (heard: string) => replyFor({ heard, now: NOW })

async function runVoice(url: string, voice: TestVoice, rate: number, utterances: readonly string[]): Promise<Scored[]> {
  const client = await EngineClient.connect(url)
  try {
    await client.waitFor('session.created')
    client.send({
      type: 'session.update',
      session: {
        input_audio_sampling_rate: rate,
        input_audio_transcription: { model: 'azure-speech' },
        turn_detection: { type: 'server_vad', create_response: false },
      },
    })
    await client.waitFor('session.updated')
    const scored: Scored[] = []
    for (const [index, said] of utterances.entries()) {
      const after = client.events.length
      client.appendSamples(inRoom(await voice.speak(said, rate), rate, index + 1), rate)
      const event = await client.waitFor('conversation.item.input_audio_transcription.completed', () => true, 60_000, after)
      const heard = String(event.transcript)
      const reference = words(said)
      const errors = wordErrors(reference, words(heard))
      if (process.env['WER_BENCH_VERBOSE'] === '1') process.stderr.write(`wer: ${voice.name} ${rate} "${said}" → "${heard}" (${errors})\n`)
      scored.push({ voice: voice.name, rate, errors, referenceWords: reference.length, intentMatches: replyTo(said) === replyTo(heard) })
    }
    return scored
  } finally {
    client.close()
  }
}

function emit(name: 'wer' | 'intent_match', unit: string, scored: readonly Scored[], extra: Record<string, string | number> = {}): void {
  const value =
    name === 'wer'
      ? (100 * scored.reduce((sum, s) => sum + s.errors, 0)) / scored.reduce((sum, s) => sum + s.referenceWords, 0)
      : (100 * scored.filter((s) => s.intentMatches).length) / scored.length
  emitFigure('engine', name, 'ours', unit, { value: Math.round(value * 10) / 10 }, extra)
}

async function main(): Promise<void> {
  const engine = await startLocalEngine()
  const utterances = QUICK ? QUICK_UTTERANCES : UTTERANCES
  const results: Scored[] = []
  try {
    // The two rates of a voice run side by side: two sessions, one per core. All eight at once
    // left transcripts waiting over a minute on this loaded machine (decoder start-up is serial).
    for (const voice of VOICES) {
      for (const scored of await Promise.all(RATES.map((rate) => runVoice(engine.url, voice, rate, utterances)))) results.push(...scored)
    }
  } finally {
    await engine.close()
  }
  for (const voice of VOICES) emit('wer', '%', results.filter((s) => s.voice === voice.name), { voice: voice.name })
  for (const rate of RATES) emit('wer', '%', results.filter((s) => s.rate === rate), { rate_hz: rate })
  emit('wer', '%', results)
  emit('intent_match', '%', results)
}

await main()
