/** Tiny PCM16 WAV reader for assertions on audio the tests produce. */
import { readFileSync } from 'node:fs'

export interface Pcm16Wav {
  readonly sampleRate: number
  readonly channels: number
  readonly samples: Int16Array
}

export function readPcm16Wav(path: string): Pcm16Wav {
  const bytes = readFileSync(path)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a RIFF/WAVE file`)
  }
  let offset = 12
  let sampleRate = 0
  let channels = 0
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === 'fmt ') {
      channels = view.getUint16(body + 2, true)
      sampleRate = view.getUint32(body + 4, true)
      if (view.getUint16(body + 14, true) !== 16) throw new Error(`${path} is not 16-bit PCM`)
    } else if (id === 'data') {
      const end = Math.min(body + size, bytes.length)
      const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset + body, bytes.byteOffset + end))
      return { sampleRate, channels, samples }
    }
    offset = body + size + (size % 2)
  }
  throw new Error(`${path} has no data chunk`)
}

export function rms(samples: Int16Array): number {
  let sum = 0
  for (const s of samples) sum += (s / 32768) ** 2
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length)
}
