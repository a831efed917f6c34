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

/** Parse a mono PCM16 RIFF/WAVE file (what Flite writes). */
export function parseWav(bytes: Buffer): { sampleRate: number; samples: Int16Array } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file')
  }
  let offset = 12
  let sampleRate = 0
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4)
    const size = bytes.readUInt32LE(offset + 4)
    const body = offset + 8
    if (id === 'fmt ') {
      if (bytes.readUInt16LE(body + 2) !== 1 || bytes.readUInt16LE(body + 14) !== 16) {
        throw new Error('WAV is not mono 16-bit PCM')
      }
      sampleRate = bytes.readUInt32LE(body + 4)
    } else if (id === 'data') {
      const end = Math.min(body + size, bytes.length)
      const samples = new Int16Array((end - body) >> 1)
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(body + i * 2)
      return { sampleRate, samples }
    }
    offset = body + size + (size % 2)
  }
  throw new Error('WAV has no data chunk')
}
