/**
 * Linear-interpolation resampling of a whole PCM16 buffer: cheap and stateless, good enough for a
 * listening copy (the stereo recording's 16 kHz mic). Streams the model hears go through the Speex
 * resampler (`speex-resampler.ts`) instead.
 */
export function resampleLinear(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples
  const out = new Int16Array(Math.round((samples.length * to) / from))
  for (let i = 0; i < out.length; i++) {
    const position = (i * from) / to
    const index = Math.floor(position)
    const a = samples[index] ?? 0
    const b = samples[index + 1] ?? a
    out[i] = Math.round(a + (b - a) * (position - index))
  }
  return out
}
