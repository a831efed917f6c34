/**
 * WAV files: read any PCM WAV (8/16/24/32-bit integer, 32/64-bit float, WAVE_FORMAT_EXTENSIBLE,
 * any rate and channel count) and write PCM16. The one WAV parser of the repo (tests use it too).
 */
import { readFileSync } from 'node:fs'
import { pcm16FromBytes } from './pcm16-samples.js'

export class WavError extends Error {
  override readonly name = 'WavError'
}

export interface WavFormat {
  readonly sampleRate: number
  readonly channels: number
  readonly bitsPerSample: number
  readonly encoding: 'int' | 'float'
}

interface WavLayout extends WavFormat {
  readonly dataOffset: number
  readonly dataBytes: number
}

const FORMAT_PCM = 1
const FORMAT_FLOAT = 3
const FORMAT_EXTENSIBLE = 0xfffe

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end))
}

/** Find the fmt and data chunks; `name` is used in error messages (usually the file path). */
function layout(bytes: Uint8Array, name: string): WavLayout {
  if (bytes.byteLength < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 12) !== 'WAVE') {
    throw new WavError(`${name} is not a WAV file (no RIFF/WAVE header)`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let format: WavFormat | null = null
  let offset = 12
  while (offset + 8 <= bytes.byteLength) {
    const id = ascii(bytes, offset, offset + 4)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength) throw new WavError(`${name} has a truncated fmt chunk`)
      let tag = view.getUint16(body, true)
      const channels = view.getUint16(body + 2, true)
      const sampleRate = view.getUint32(body + 4, true)
      const bitsPerSample = view.getUint16(body + 14, true)
      if (tag === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= bytes.byteLength) {
        tag = view.getUint16(body + 24, true) // first two bytes of the sub-format GUID
      }
      const encoding = tag === FORMAT_PCM ? 'int' : tag === FORMAT_FLOAT ? 'float' : null
      if (!encoding) {
        throw new WavError(`${name} is compressed (format tag ${tag}); convert it to PCM WAV first`)
      }
      const supported = encoding === 'int' ? [8, 16, 24, 32] : [32, 64]
      if (!supported.includes(bitsPerSample)) {
        throw new WavError(`${name} has ${bitsPerSample}-bit ${encoding} samples, which are not supported`)
      }
      if (channels < 1 || sampleRate < 1000 || sampleRate > 768_000) {
        throw new WavError(`${name} has an invalid format (${channels} channels, ${sampleRate} Hz)`)
      }
      format = { sampleRate, channels, bitsPerSample, encoding }
    } else if (id === 'data') {
      if (!format) throw new WavError(`${name} has its data chunk before the fmt chunk`)
      // Streamed WAVs may declare a larger (or 0xFFFFFFFF) size: use what the file holds.
      const available = Math.min(size, bytes.byteLength - body)
      const frameBytes = (format.bitsPerSample / 8) * format.channels
      return { ...format, dataOffset: body, dataBytes: available - (available % frameBytes) }
    }
    offset = body + size + (size % 2)
  }
  throw new WavError(format ? `${name} has no data chunk` : `${name} has no fmt chunk`)
}

export interface DecodedWav extends WavFormat {
  /** Interleaved samples, -1..1. */
  readonly samples: Float32Array
}

/** Decode any supported WAV to interleaved float samples. Throws `WavError` with a clear reason. */
export function decodeWav(bytes: Uint8Array, name = 'the WAV file'): DecodedWav {
  const wav = layout(bytes, name)
  const view = new DataView(bytes.buffer, bytes.byteOffset + wav.dataOffset, wav.dataBytes)
  const width = wav.bitsPerSample / 8
  const count = wav.dataBytes / width
  const samples = new Float32Array(count)
  for (let i = 0, at = 0; i < count; i++, at += width) {
    if (wav.encoding === 'float') {
      samples[i] = width === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true)
    } else if (width === 1) {
      samples[i] = (view.getUint8(at) - 128) / 128
    } else if (width === 2) {
      samples[i] = view.getInt16(at, true) / 32768
    } else if (width === 3) {
      const value = (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) >>> 0
      samples[i] = ((value << 8) >> 8) / 8_388_608
    } else {
      samples[i] = view.getInt32(at, true) / 2_147_483_648
    }
  }
  const { sampleRate, channels, bitsPerSample, encoding } = wav
  return { sampleRate, channels, bitsPerSample, encoding, samples }
}

export interface Pcm16Wav {
  readonly sampleRate: number
  readonly channels: number
  /** Interleaved PCM16 samples, exactly as stored. */
  readonly samples: Int16Array
}

/** Read a 16-bit PCM WAV file exactly (no conversion); other formats are an error. */
export function readPcm16Wav(path: string): Pcm16Wav {
  return decodePcm16Wav(readFileSync(path), path)
}

/** Decode 16-bit PCM WAV bytes exactly (no conversion); other formats are an error. */
export function decodePcm16Wav(bytes: Uint8Array, name = 'the WAV file'): Pcm16Wav {
  const wav = layout(bytes, name)
  if (wav.encoding !== 'int' || wav.bitsPerSample !== 16) throw new WavError(`${name} is not 16-bit PCM`)
  const samples = pcm16FromBytes(bytes.subarray(wav.dataOffset, wav.dataOffset + wav.dataBytes))
  return { sampleRate: wav.sampleRate, channels: wav.channels, samples }
}

/** Mix interleaved float samples down to mono PCM16 (average of the channels, clipped). */
export function toMonoPcm16(samples: Float32Array, channels: number): Int16Array {
  const frames = Math.floor(samples.length / channels)
  const out = new Int16Array(frames)
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0
    for (let channel = 0; channel < channels; channel++) sum += samples[frame * channels + channel]!
    const value = sum / channels
    out[frame] = Math.round(value >= 1 ? 32767 : value <= -1 ? -32768 : value < 0 ? value * 32768 : value * 32767)
  }
  return out
}

/** A canonical 44-byte-header PCM16 WAV around `pcm16` (little-endian bytes). */
export function encodePcm16Wav(pcm16: Uint8Array, sampleRate: number, channels = 1): Uint8Array {
  const out = new Uint8Array(44 + pcm16.byteLength)
  const view = new DataView(out.buffer)
  const writeAscii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i)
  }
  writeAscii(0, 'RIFF')
  view.setUint32(4, 36 + pcm16.byteLength, true)
  writeAscii(8, 'WAVE')
  writeAscii(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, FORMAT_PCM, true)
  view.setUint16(22, channels, true)
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * channels * 2, true)
  view.setUint16(32, channels * 2, true)
  view.setUint16(34, 16, true)
  writeAscii(36, 'data')
  view.setUint32(40, pcm16.byteLength, true)
  out.set(pcm16, 44)
  return out
}
