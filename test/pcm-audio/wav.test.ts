import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { wavToMonoPcm16 } from '../../src-main/pcm-audio/wav-to-pcm16.js'
import { decodeWav, encodePcm16Wav, readPcm16Wav, WavError } from '../../src-main/pcm-audio/wav.js'

const dir = mkdtempSync(path.join(tmpdir(), 'vl-wav-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Build a WAV of interleaved float samples in any of the supported encodings (test-only writer). */
function makeWav(
  samples: number[],
  rate: number,
  channels: number,
  bits: number,
  float = false,
  extensible = false,
): Uint8Array {
  const width = bits / 8
  const fmtSize = extensible ? 40 : 16
  const data = new DataView(new ArrayBuffer(samples.length * width))
  samples.forEach((s, i) => {
    const at = i * width
    if (float) data.setFloat32(at, s, true)
    else if (bits === 8) data.setUint8(at, Math.round(s * 127) + 128)
    else if (bits === 16) data.setInt16(at, Math.round(s * 32767), true)
    else if (bits === 24) {
      const v = Math.round(s * 8_388_607)
      data.setUint8(at, v & 0xff)
      data.setUint8(at + 1, (v >> 8) & 0xff)
      data.setInt8(at + 2, v >> 16)
    } else data.setInt32(at, Math.round(s * 2_147_483_647), true)
  })
  const out = new DataView(new ArrayBuffer(20 + fmtSize + 8 + data.byteLength))
  const bytes = new Uint8Array(out.buffer)
  const put = (at: number, text: string) => [...text].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)))
  put(0, 'RIFF')
  out.setUint32(4, bytes.length - 8, true)
  put(8, 'WAVE')
  put(12, 'fmt ')
  out.setUint32(16, fmtSize, true)
  out.setUint16(20, extensible ? 0xfffe : float ? 3 : 1, true)
  out.setUint16(22, channels, true)
  out.setUint32(24, rate, true)
  out.setUint32(28, rate * channels * width, true)
  out.setUint16(32, channels * width, true)
  out.setUint16(34, bits, true)
  if (extensible) out.setUint16(44, float ? 3 : 1, true)
  put(20 + fmtSize, 'data')
  out.setUint32(24 + fmtSize, data.byteLength, true)
  bytes.set(new Uint8Array(data.buffer), 28 + fmtSize)
  return bytes
}

const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5) =>
  Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate))

function samplesOf(pcm16: Uint8Array): Int16Array {
  return new Int16Array(pcm16.buffer.slice(pcm16.byteOffset, pcm16.byteOffset + pcm16.byteLength))
}

function rmsOf(samples: Int16Array, skip = 200): number {
  const body = samples.subarray(skip, samples.length - skip)
  return Math.sqrt(body.reduce((sum, s) => sum + (s / 32768) ** 2, 0) / body.length)
}

function zeroCrossings(samples: Int16Array): number {
  let count = 0
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) count++
  return count
}

describe('WAV reading', () => {
  it('decodes every supported sample format to the same values', () => {
    const values = [0, 0.5, -0.5, 0.25, -0.999]
    for (const [bits, float, extensible] of [
      [8, false, false],
      [16, false, false],
      [24, false, false],
      [32, false, false],
      [32, true, false],
      [24, false, true],
    ] as const) {
      const decoded = decodeWav(makeWav(values, 16_000, 1, bits, float, extensible))
      expect({ bits: decoded.bitsPerSample, rate: decoded.sampleRate }).toEqual({ bits, rate: 16_000 })
      decoded.samples.forEach((s, i) => expect(s).toBeCloseTo(values[i]!, bits === 8 ? 1 : 3))
    }
  })

  it('writes PCM16 WAVs that read back byte for byte', () => {
    const pcm = new Uint8Array(Int16Array.from([1, -2, 32767, -32768, 0]).buffer)
    const file = path.join(dir, 'round.wav')
    writeFileSync(file, encodePcm16Wav(pcm, 24_000))
    const back = readPcm16Wav(file)
    expect(back).toEqual({ sampleRate: 24_000, channels: 1, samples: Int16Array.from([1, -2, 32767, -32768, 0]) })
  })

  it('rejects non-WAV and compressed files with a clear reason', () => {
    expect(() => decodeWav(new TextEncoder().encode('hello, not audio'), 'notes.txt')).toThrow(
      new WavError('notes.txt is not a WAV file (no RIFF/WAVE header)'),
    )
    const adpcm = makeWav([0, 0], 8000, 1, 16)
    adpcm[20] = 2 // MS ADPCM format tag
    expect(() => decodeWav(adpcm, 'a.wav')).toThrow(/compressed \(format tag 2\)/)
  })
})

describe('conversion to 24 kHz mono PCM16', () => {
  it('keeps the duration, pitch and level of a 44.1 kHz stereo 24-bit file', async () => {
    const left = tone(440, 44_100, 1)
    const interleaved = left.flatMap((s) => [s, s])
    const out = await wavToMonoPcm16(makeWav(interleaved, 44_100, 2, 24), 24_000)
    const samples = samplesOf(out.pcm16)
    expect(Math.abs(samples.length - 24_000)).toBeLessThanOrEqual(2)
    expect(zeroCrossings(samples)).toBeGreaterThanOrEqual(878)
    expect(zeroCrossings(samples)).toBeLessThanOrEqual(882)
    expect(rmsOf(samples)).toBeCloseTo(0.5 / Math.SQRT2, 2)
    expect(out.source).toEqual({ sampleRate: 44_100, channels: 2, bitsPerSample: 24, encoding: 'int' })
  })

  it('averages channels', async () => {
    const interleaved = tone(300, 24_000, 0.5).flatMap((s) => [s, 0])
    const samples = samplesOf((await wavToMonoPcm16(makeWav(interleaved, 24_000, 2, 32, true), 24_000)).pcm16)
    expect(rmsOf(samples)).toBeCloseTo(0.25 / Math.SQRT2, 2)
  })

  it('filters instead of dropping samples: a 15 kHz tone does not alias into the 24 kHz output', async () => {
    const out = await wavToMonoPcm16(makeWav(tone(15_000, 48_000, 0.5), 48_000, 1, 16), 24_000)
    // Taking every other sample would fold it to 9 kHz at full level (rms ≈ 0.35).
    expect(rmsOf(samplesOf(out.pcm16))).toBeLessThan(0.02)
  })
})
