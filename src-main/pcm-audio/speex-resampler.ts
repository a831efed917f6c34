/**
 * Streaming PCM16 resampler on the Speex resampler (WASM, BSD). One instance per stream: it keeps
 * filter state between calls, so consecutive chunks join without clicks.
 */
import createSpeex from '@echogarden/speex-resampler-wasm'
import { concatPcm16 } from './pcm16-samples.js'

type SpeexModule = Awaited<ReturnType<typeof createSpeex>>

let speexModule: Promise<SpeexModule> | undefined
const loadSpeex = (): Promise<SpeexModule> => (speexModule ??= createSpeex())

/** Speex quality 0–10; 5 is its "desktop" default and transparent for speech. */
const QUALITY = 5

export interface Resampler {
  readonly inputRate: number
  readonly outputRate: number
  /** Resample the next chunk. With `final`, also drain the filter's delay line. */
  process(input: Int16Array, final?: boolean): Int16Array
  close(): void
}

export async function createResampler(inputRate: number, outputRate: number): Promise<Resampler> {
  if (inputRate === outputRate) {
    return { inputRate, outputRate, process: (input) => input.slice(), close: () => {} }
  }
  const speex = await loadSpeex()
  const errorPointer = speex._malloc(4)
  const state = speex._speex_resampler_init(1, inputRate, outputRate, QUALITY, errorPointer)
  const error = speex.HEAP32[errorPointer >> 2]
  speex._free(errorPointer)
  if (!state || error !== 0) throw new Error(`Speex resampler init failed (${inputRate}→${outputRate} Hz, error ${error})`)
  // Without skip_zeros the output starts with the filter's delay as silence and runs long.
  speex._speex_resampler_skip_zeros(state)
  const latency = speex._speex_resampler_get_input_latency(state)
  let closed = false

  function run(input: Int16Array): Int16Array {
    if (input.length === 0) return new Int16Array(0)
    const capacity = Math.ceil((input.length * outputRate) / inputRate) + 64
    const inPointer = speex._malloc(input.length * 2)
    const outPointer = speex._malloc(capacity * 2)
    const lengths = speex._malloc(8)
    try {
      speex.HEAP16.set(input, inPointer >> 1)
      speex.HEAPU32[lengths >> 2] = input.length
      speex.HEAPU32[(lengths >> 2) + 1] = capacity
      speex._speex_resampler_process_int(state, 0, inPointer, lengths, outPointer, lengths + 4)
      const produced = speex.HEAPU32[(lengths >> 2) + 1] ?? 0
      return speex.HEAP16.slice(outPointer >> 1, (outPointer >> 1) + produced)
    } finally {
      speex._free(inPointer)
      speex._free(outPointer)
      speex._free(lengths)
    }
  }

  return {
    inputRate,
    outputRate,
    process(input, final = false) {
      if (closed) throw new Error('resampler is closed')
      const body = run(input)
      if (!final) return body
      return concatPcm16([body, run(new Int16Array(latency))])
    },
    close() {
      if (closed) return
      closed = true
      speex._speex_resampler_destroy(state)
    },
  }
}
