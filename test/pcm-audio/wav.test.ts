import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resampleLinear } from '../../src-main/pcm-audio/linear-resampler.js'
import { msToSamples, samplesToMs } from '../../src-main/pcm-audio/pcm16-samples.js'
import { wavToMonoPcm16 } from '../../src-main/pcm-audio/wav-to-pcm16.js'
import {
  decodePcm16Wav,
  decodeWav,
  encodePcm16Wav,
  readPcm16Wav,
  toMonoPcm16,
  WavError,
} from '../../src-main/pcm-audio/wav.js'

const dir = mkdtempSync(path.join(tmpdir(), 'vl-wav-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A RIFF/WAVE file of these chunks in this order; each body is padded to an even size, as RIFF says. */
function riff(chunks: readonly (readonly [id: string, body: Uint8Array, declaredSize?: number])[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from(ascii('WAVE'))]
  for (const [id, body, declaredSize] of chunks) {
    parts.push(Uint8Array.from([...ascii(id), ...uint32(declaredSize ?? body.byteLength)]), body)
    if (body.byteLength % 2 === 1) parts.push(Uint8Array.of(0))
  }
  const form = Buffer.concat(parts)
  return Buffer.concat([Uint8Array.from([...ascii('RIFF'), ...uint32(form.byteLength)]), form])
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))
const uint32 = (value: number): number[] => [...new Uint8Array(Uint32Array.of(value).buffer)]

/** A fmt chunk body: 16 bytes, or 40 for WAVE_FORMAT_EXTENSIBLE (the sub-format GUID starts with the tag). */
function fmtChunk(rate: number, channels: number, bits: number, float = false, extensible = false): Uint8Array {
  const view = new DataView(new ArrayBuffer(extensible ? 40 : 16))
  const width = bits / 8
  view.setUint16(0, extensible ? 0xfffe : float ? 3 : 1, true)
  view.setUint16(2, channels, true)
  view.setUint32(4, rate, true)
  view.setUint32(8, rate * channels * width, true)
  view.setUint16(12, channels * width, true)
  view.setUint16(14, bits, true)
  if (extensible) view.setUint16(24, float ? 3 : 1, true)
  return new Uint8Array(view.buffer)
}

/** Interleaved float samples (-1..1) in any supported encoding, as a data chunk body. */
function dataChunk(samples: readonly number[], bits: number, float = false): Uint8Array {
  const width = bits / 8
  const data = new DataView(new ArrayBuffer(samples.length * width))
  samples.forEach((s, i) => {
    const at = i * width
    if (float) {
      if (bits === 64) data.setFloat64(at, s, true)
      else data.setFloat32(at, s, true)
    } else if (bits === 8) data.setUint8(at, Math.round(s * 127) + 128)
    else if (bits === 16) data.setInt16(at, Math.round(s * 32767), true)
    else if (bits === 24) {
      const v = Math.round(s * 8_388_607)
      data.setUint8(at, v & 0xff)
      data.setUint8(at + 1, (v >> 8) & 0xff)
      data.setInt8(at + 2, v >> 16)
    } else data.setInt32(at, Math.round(s * 2_147_483_647), true)
  })
  return new Uint8Array(data.buffer)
}

/** Build a WAV of interleaved float samples in any of the supported encodings (test-only writer). */
function makeWav(
  samples: number[],
  rate: number,
  channels: number,
  bits: number,
  float = false,
  extensible = false,
): Uint8Array {
  return riff([
    ['fmt ', fmtChunk(rate, channels, bits, float, extensible)],
    ['data', dataChunk(samples, bits, float)],
  ])
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
      [64, true, false],
      [24, false, true],
      [32, true, true],
    ] as const) {
      const decoded = decodeWav(makeWav(values, 16_000, 1, bits, float, extensible))
      expect({ bits: decoded.bitsPerSample, rate: decoded.sampleRate, encoding: decoded.encoding }).toEqual({
        bits,
        rate: 16_000,
        encoding: float ? 'float' : 'int',
      })
      // Every sample, and no more or fewer than were written.
      const tolerance = bits === 8 ? 1 / 128 : 1e-4
      expect(decoded.samples.length).toBe(values.length)
      expect([...decoded.samples].every((s, i) => Math.abs(s - values[i]!) <= tolerance)).toBe(true)
    }
  })

  it('maps the integer extremes of each width to exactly -1 and just under 1', () => {
    const extremes = (bits: number, low: number[], high: number[]) => {
      const data = Uint8Array.from([...low, ...high])
      return [
        ...decodeWav(
          riff([
            ['fmt ', fmtChunk(8000, 1, bits)],
            ['data', data],
          ]),
        ).samples,
      ]
    }
    expect(extremes(8, [0], [255])).toEqual([-1, 127 / 128])
    expect(extremes(16, [0x00, 0x80], [0xff, 0x7f])).toEqual([-1, 32767 / 32768])
    expect(extremes(24, [0x00, 0x00, 0x80], [0xff, 0xff, 0x7f])).toEqual([-1, 8_388_607 / 8_388_608])
    expect(extremes(24, [0xff, 0xff, 0xff], [0x01, 0x00, 0x00])).toEqual([-1 / 8_388_608, 1 / 8_388_608])
    expect(extremes(32, [0, 0, 0, 0x80], [0xff, 0xff, 0xff, 0x7f])).toEqual([
      -1,
      Math.fround(2_147_483_647 / 2_147_483_648),
    ])
  })

  it('steps over odd-sized chunks (and their pad byte), LIST and fact chunks, wherever they are', () => {
    const values = [0.5, -0.25, 0.125, -1]
    const list = Uint8Array.from(ascii('INFOabc')) // 7 bytes: odd, padded to 8
    const fact = Uint8Array.from(uint32(values.length))
    for (const chunks of [
      [
        ['LIST', list],
        ['fmt ', fmtChunk(22_050, 1, 16)],
        ['data', dataChunk(values, 16)],
      ],
      [
        ['fmt ', fmtChunk(22_050, 1, 16)],
        ['junk', Uint8Array.of(1, 2, 3)],
        ['fact', fact],
        ['data', dataChunk(values, 16)],
      ],
      [
        ['fmt ', fmtChunk(22_050, 1, 16)],
        ['LIST', list],
        ['data', dataChunk(values, 16)],
        ['LIST', list],
      ],
    ] as const) {
      const wav = decodePcm16Wav(riff(chunks), 'chunks.wav')
      expect(wav).toEqual({ sampleRate: 22_050, channels: 1, samples: Int16Array.from([16384, -8192, 4096, -32767]) })
    }
  })

  it('refuses a data chunk before the fmt chunk, and a file missing either', () => {
    const data = dataChunk([0, 0], 16)
    const fmt = fmtChunk(8000, 1, 16)
    expect(() =>
      decodeWav(
        riff([
          ['data', data],
          ['fmt ', fmt],
        ]),
        'x.wav',
      ),
    ).toThrow(new WavError('x.wav has its data chunk before the fmt chunk'))
    expect(() => decodeWav(riff([['fmt ', fmt]]), 'x.wav')).toThrow(new WavError('x.wav has no data chunk'))
    expect(() => decodeWav(riff([['LIST', Uint8Array.of(1, 2)]]), 'x.wav')).toThrow(
      new WavError('x.wav has no fmt chunk'),
    )
  })

  it('refuses a truncated header with a clear reason', () => {
    const whole = makeWav([0.5, 0.5], 8000, 1, 16)
    expect(() => decodeWav(whole.subarray(0, 11), 'cut.wav')).toThrow(
      new WavError('cut.wav is not a WAV file (no RIFF/WAVE header)'),
    )
    // The fmt chunk is cut off inside its 16 bytes.
    expect(() => decodeWav(whole.subarray(0, 30), 'cut.wav')).toThrow(new WavError('cut.wav has a truncated fmt chunk'))
    // A fmt chunk that says it is shorter than the 16 bytes every format has.
    expect(() => decodeWav(riff([['fmt ', fmtChunk(8000, 1, 16).subarray(0, 14)]]), 'short.wav')).toThrow(
      new WavError('short.wav has a truncated fmt chunk'),
    )
    // Exactly the header and fmt chunk, nothing after: no data chunk.
    expect(() => decodeWav(whole.subarray(0, 36), 'cut.wav')).toThrow(new WavError('cut.wav has no data chunk'))
  })

  it('drops a partial last frame, and reads what a streamed file holds past its declared size', () => {
    // Stereo 16-bit: 2 whole frames and half of a third.
    const data = dataChunk([0.5, -0.5, 0.25, -0.25, 1], 16)
    expect(
      decodePcm16Wav(
        riff([
          ['fmt ', fmtChunk(8000, 2, 16)],
          ['data', data],
        ]),
      ).samples,
    ).toEqual(Int16Array.from([16384, -16383, 8192, -8192]))
    // A stream written before its length was known: the size says 0xFFFFFFFF.
    const streamed = riff([
      ['fmt ', fmtChunk(8000, 1, 16)],
      ['data', dataChunk([0.5, -0.5, 0.25], 16), 0xffff_ffff],
    ])
    expect(decodePcm16Wav(streamed).samples).toEqual(Int16Array.from([16384, -16383, 8192]))
  })

  it('refuses invalid and unsupported formats, naming what is wrong', () => {
    const withFmt = (fmt: Uint8Array) =>
      riff([
        ['fmt ', fmt],
        ['data', Uint8Array.of(0, 0, 0, 0)],
      ])
    expect(() => decodeWav(withFmt(fmtChunk(8000, 0, 16)), 'f.wav')).toThrow(
      new WavError('f.wav has an invalid format (0 channels, 8000 Hz)'),
    )
    expect(() => decodeWav(withFmt(fmtChunk(999, 1, 16)), 'f.wav')).toThrow(
      new WavError('f.wav has an invalid format (1 channels, 999 Hz)'),
    )
    expect(() => decodeWav(withFmt(fmtChunk(768_001, 1, 16)), 'f.wav')).toThrow(
      new WavError('f.wav has an invalid format (1 channels, 768001 Hz)'),
    )
    expect(decodeWav(withFmt(fmtChunk(1000, 1, 16))).sampleRate).toBe(1000)
    expect(decodeWav(withFmt(fmtChunk(768_000, 1, 16))).sampleRate).toBe(768_000)
    expect(() => decodeWav(withFmt(fmtChunk(8000, 1, 12)), 'f.wav')).toThrow(
      new WavError('f.wav has 12-bit int samples, which are not supported'),
    )
    expect(() => decodeWav(withFmt(fmtChunk(8000, 1, 16, true)), 'f.wav')).toThrow(
      new WavError('f.wav has 16-bit float samples, which are not supported'),
    )
    expect(() => decodePcm16Wav(makeWav([0.5], 8000, 1, 32, true), 'f.wav')).toThrow(
      new WavError('f.wav is not 16-bit PCM'),
    )
    expect(() => decodePcm16Wav(makeWav([0.5, 0.5], 8000, 1, 24), 'f.wav')).toThrow(
      new WavError('f.wav is not 16-bit PCM'),
    )
  })

  it('writes PCM16 WAVs that read back byte for byte', () => {
    const pcm = new Uint8Array(Int16Array.from([1, -2, 32767, -32768, 0]).buffer)
    const file = path.join(dir, 'round.wav')
    writeFileSync(file, encodePcm16Wav(pcm, 24_000))
    const back = readPcm16Wav(file)
    expect(back).toEqual({ sampleRate: 24_000, channels: 1, samples: Int16Array.from([1, -2, 32767, -32768, 0]) })
  })

  it('writes the canonical 44-byte header a player reads: rates, block size and lengths', () => {
    const pcm = new Uint8Array(Int16Array.from([1, -1, 2, -2]).buffer)
    const header = [...encodePcm16Wav(pcm, 16_000, 2).subarray(0, 44)]
    expect(header).toEqual([
      ...ascii('RIFF'),
      ...uint32(36 + 8),
      ...ascii('WAVE'),
      ...ascii('fmt '),
      ...uint32(16),
      1,
      0,
      2,
      0,
      ...uint32(16_000),
      ...uint32(64_000),
      4,
      0,
      16,
      0,
      ...ascii('data'),
      ...uint32(8),
    ])
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

describe('WAV edge cases the mutation run found untested', () => {
  const fmt16 = fmtChunk(8000, 1, 16)

  it('needs both RIFF and WAVE, and takes a bare 12-byte header as a WAV with no fmt chunk', () => {
    const header = (riffId: string, form: string) => Uint8Array.from([...ascii(riffId), ...uint32(4), ...ascii(form)])
    expect(() => decodeWav(header('RIFX', 'WAVE'))).toThrow(
      new WavError('the WAV file is not a WAV file (no RIFF/WAVE header)'),
    )
    expect(() => decodeWav(header('RIFF', 'AVI '))).toThrow(
      new WavError('the WAV file is not a WAV file (no RIFF/WAVE header)'),
    )
    expect(() => decodePcm16Wav(header('RIFF', 'WAVE'))).toThrow(new WavError('the WAV file has no fmt chunk'))
    const error = (() => {
      try {
        decodeWav(header('RIFF', 'AVI '))
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(WavError)
    expect((error as Error).name).toBe('WavError')
  })

  it('reads an empty data chunk that ends the file', () => {
    expect(
      decodeWav(
        riff([
          ['fmt ', fmt16],
          ['data', new Uint8Array(0)],
        ]),
      ).samples,
    ).toEqual(new Float32Array(0))
  })

  it('refuses a fmt chunk declared shorter than 16 bytes even when more bytes follow', () => {
    const file = riff([
      ['fmt ', fmt16.subarray(0, 14)],
      ['data', Uint8Array.of(0, 0, 0, 0, 0, 0)],
    ])
    expect(() => decodeWav(file, 's.wav')).toThrow(new WavError('s.wav has a truncated fmt chunk'))
  })

  it('reads the sub-format only of WAVE_FORMAT_EXTENSIBLE, and only when it is there', () => {
    // A plain PCM fmt chunk with 24 extra bytes, one of which looks like a float sub-format.
    const padded = new Uint8Array(40)
    padded.set(fmt16)
    padded[24] = 3
    expect(
      decodePcm16Wav(
        riff([
          ['fmt ', padded],
          ['data', Uint8Array.of(1, 0)],
        ]),
      ).samples,
    ).toEqual(Int16Array.of(1))
    // Extensible, declared 40 bytes: cut after the sub-format tag, or before it.
    const extensible = fmtChunk(8000, 1, 16, false, true)
    expect(() => decodeWav(riff([['fmt ', extensible.subarray(0, 26), 40]]), 'e.wav')).toThrow(
      new WavError('e.wav has no data chunk'),
    )
    expect(() => decodeWav(riff([['fmt ', extensible.subarray(0, 20), 40]]), 'e.wav')).toThrow(
      new WavError('e.wav is compressed (format tag 65534); convert it to PCM WAV first'),
    )
  })

  it('decodes a streamed file (data size 0xFFFFFFFF) to the samples it holds', () => {
    const streamed = riff([
      ['fmt ', fmt16],
      ['data', dataChunk([0.5, -0.5], 16), 0xffff_ffff],
    ])
    expect([...decodeWav(streamed).samples]).toEqual([16384 / 32768, -16383 / 32768])
  })

  it('clips a mix beyond full scale instead of wrapping around', () => {
    expect(toMonoPcm16(Float32Array.from([3, 1, -3, -1]), 2)).toEqual(Int16Array.from([32767, -32768]))
  })
})

describe('PCM16 helpers', () => {
  it('converts between samples and milliseconds at any rate, rounded', () => {
    expect([
      samplesToMs(480, 24_000),
      samplesToMs(1, 24_000),
      samplesToMs(12, 24_000),
      samplesToMs(160, 16_000),
    ]).toEqual([20, 0, 1, 10])
    expect([msToSamples(20, 24_000), msToSamples(1, 11_025), msToSamples(0.5, 8000), msToSamples(10, 16_000)]).toEqual([
      480, 11, 4, 160,
    ])
  })

  it('resamples linearly: the same buffer at the same rate, interpolated samples otherwise', () => {
    const samples = Int16Array.from([0, 100, -100, 50])
    expect(resampleLinear(samples, 16_000, 16_000)).toBe(samples)
    expect(resampleLinear(samples, 8000, 16_000)).toEqual(Int16Array.from([0, 50, 100, 0, -100, -25, 50, 50]))
    expect(resampleLinear(samples, 16_000, 8000)).toEqual(Int16Array.from([0, -100]))
    expect(resampleLinear(Int16Array.from([0, 90, 30]), 16_000, 24_000)).toEqual(Int16Array.from([0, 60, 70, 30, 30]))
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

  it('mixes to mono by averaging the channels, rounding and clipping each sample', () => {
    expect(toMonoPcm16(Float32Array.from([0.5, -0.25, 1, 1, -1, -1, 2, 0, -2, 0]), 2)).toEqual(
      Int16Array.from([4096, 32767, -32768, 32767, -32768]),
    )
    expect(toMonoPcm16(Float32Array.from([0.5, -0.5, 0.25, 0.999]), 1)).toEqual(
      Int16Array.from([16384, -16384, 8192, 32734]),
    )
    // Three channels; a trailing partial frame is dropped.
    expect(toMonoPcm16(Float32Array.from([0.3, 0.3, 0.3, 0.9]), 3)).toEqual(Int16Array.from([9830]))
  })

  it('converts 8, 11.025 and 22.05 kHz and 64-bit float input to 24 kHz with the same duration and pitch', async () => {
    for (const [rate, bits, float] of [
      [8000, 16, false],
      [11_025, 16, false],
      [22_050, 8, false],
      [16_000, 64, true],
    ] as const) {
      const out = await wavToMonoPcm16(makeWav(tone(440, rate, 1), rate, 1, bits, float), 24_000)
      const samples = samplesOf(out.pcm16)
      expect(Math.abs(samples.length - 24_000), `${rate} Hz`).toBeLessThanOrEqual(2)
      expect(zeroCrossings(samples), `${rate} Hz`).toBeGreaterThanOrEqual(878)
      expect(zeroCrossings(samples), `${rate} Hz`).toBeLessThanOrEqual(882)
      expect(rmsOf(samples), `${rate} Hz`).toBeCloseTo(0.5 / Math.SQRT2, 2)
      expect(out.source).toEqual({
        sampleRate: rate,
        channels: 1,
        bitsPerSample: bits,
        encoding: float ? 'float' : 'int',
      })
    }
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
