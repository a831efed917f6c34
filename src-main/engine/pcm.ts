/** PCM16 little-endian mono helpers: the engine's only audio representation. */

/** Decode base64 PCM16 into samples (copied, so the result is always aligned). */
export function pcm16FromBase64(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64')
  const samples = new Int16Array(bytes.length >> 1)
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2)
  return samples
}

export function base64FromPcm16(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64')
}

export function concatPcm16(chunks: readonly Int16Array[]): Int16Array {
  let total = 0
  for (const chunk of chunks) total += chunk.length
  const out = new Int16Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

export const samplesToMs = (samples: number, sampleRate: number): number => Math.round((samples * 1000) / sampleRate)
export const msToSamples = (ms: number, sampleRate: number): number => Math.round((ms * sampleRate) / 1000)
