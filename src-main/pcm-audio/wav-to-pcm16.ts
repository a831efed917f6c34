/** Any PCM WAV → the mono PCM16 stream Voice Live takes, resampled with a real filter (Speex). */
import { readFile } from 'node:fs/promises'
import { createResampler } from './speex-resampler.js'
import { decodeWav, toMonoPcm16 } from './wav.js'

export interface ConvertedAudio {
  /** PCM16 little-endian mono at `sampleRate`. */
  readonly pcm16: Uint8Array
  readonly sampleRate: number
  /** What the file was, for messages and logs. */
  readonly source: { sampleRate: number; channels: number; bitsPerSample: number; encoding: 'int' | 'float' }
}

export async function wavToMonoPcm16(bytes: Uint8Array, sampleRate: number, name?: string): Promise<ConvertedAudio> {
  const wav = decodeWav(bytes, name)
  const mono = toMonoPcm16(wav.samples, wav.channels)
  const resampler = await createResampler(wav.sampleRate, sampleRate)
  try {
    const out = resampler.process(mono, true)
    return {
      pcm16: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
      sampleRate,
      source: {
        sampleRate: wav.sampleRate,
        channels: wav.channels,
        bitsPerSample: wav.bitsPerSample,
        encoding: wav.encoding,
      },
    }
  } finally {
    resampler.close()
  }
}

export async function readWavFileAsMonoPcm16(path: string, sampleRate: number): Promise<ConvertedAudio> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new Error(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return wavToMonoPcm16(bytes, sampleRate, path)
}
