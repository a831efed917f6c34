/** WAV helpers for assertions on audio the tests produce. The parser is the app's own (no copies). */
export { readPcm16Wav, type Pcm16Wav } from '../../src-main/pcm-audio/wav.js'

export function rms(samples: Int16Array): number {
  let sum = 0
  for (const s of samples) sum += (s / 32768) ** 2
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length)
}
