/** PCM16 little-endian mono helpers (bytes, base64, joins, sample/ms conversions): the engine's audio representation, shared with the WAV reader. */

/** PCM16 LE bytes as samples, copied (so the result is aligned; a trailing odd byte is dropped).
 * One block copy: Node and the renderer only run on little-endian machines. */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.byteLength >> 1)
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.length * 2))
  return samples
}

/** Decode base64 PCM16 into samples. */
export function pcm16FromBase64(base64: string): Int16Array {
  return pcm16FromBytes(Buffer.from(base64, 'base64'))
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
