import { describe, expect, it } from 'vitest'
import { PolyphaseResampler } from '../../src-renderer/src/audio/polyphase-resampler.js'
import { toneAmplitude } from './signal.js'

function resampleAll(resampler: PolyphaseResampler, input: Float32Array): Float32Array {
  const out: number[] = []
  for (const sample of input) {
    resampler.push(sample)
    while (!resampler.needsInput) out.push(resampler.next())
  }
  return Float32Array.from(out)
}

const sine = (frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate))

describe('PolyphaseResampler', () => {
  it('passes samples through unchanged at equal rates', () => {
    const input = Float32Array.from([0.1, -0.2, 0.3, 0.999, -1])
    expect(Array.from(resampleAll(new PolyphaseResampler(24_000, 24_000), input))).toEqual(Array.from(input))
  })

  it.each([
    [48_000, 24_000],
    [44_100, 24_000],
    [48_000, 16_000],
    [24_000, 48_000],
    [24_000, 44_100],
  ])('%i → %i Hz keeps the output rate, a 1 kHz tone and its level', (from, to) => {
    const output = resampleAll(new PolyphaseResampler(from, to), sine(1000, from, 1))
    expect(Math.abs(output.length - to)).toBeLessThanOrEqual(1)
    expect(toneAmplitude(output, 1000, to)).toBeCloseTo(0.5, 2)
    expect(toneAmplitude(output, 1300, to)).toBeLessThan(0.005)
  })

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    // 15 kHz at 48 kHz would fold to 9 kHz at 24 kHz if samples were simply dropped.
    const output = resampleAll(new PolyphaseResampler(48_000, 24_000), sine(15_000, 48_000, 1))
    expect(toneAmplitude(output, 9000, 24_000)).toBeLessThan(0.5 * 10 ** (-60 / 20))
  })

  it('gives the same output whatever the input chunking', () => {
    const input = sine(440, 44_100, 0.2)
    const whole = resampleAll(new PolyphaseResampler(44_100, 24_000), input)
    const chunked = new PolyphaseResampler(44_100, 24_000)
    const parts: number[] = []
    for (let start = 0; start < input.length; start += 128) {
      parts.push(...resampleAll(chunked, input.subarray(start, start + 128)))
    }
    expect(parts).toEqual(Array.from(whole))
  })

  it('rings an impulse out over the whole filter, then gives exact zeros', () => {
    const resampler = new PolyphaseResampler(44_100, 24_000)
    const taps = 2 * resampler.delayInputSamples + 1
    const whileInHistory = resampleAll(resampler, Float32Array.from({ length: taps }, (_, i) => (i === 0 ? 1 : 0)))
    expect(whileInHistory.length).toBeGreaterThan(taps / 2)
    expect(whileInHistory.every((x) => x !== 0)).toBe(true)
    expect(resampleAll(resampler, new Float32Array(441)).every((x) => x === 0)).toBe(true)
  })

  it('skips filtering silence without moving or changing what follows it', () => {
    // 147 input samples at 44.1 kHz are exactly 80 outputs at 24 kHz, so both runs stay in phase.
    const burst = sine(440, 44_100, 0.05)
    const afterSilence = (silentSamples: number, before: Float32Array): Float32Array => {
      const input = new Float32Array(before.length + silentSamples + burst.length)
      input.set(before)
      input.set(burst, before.length + silentSamples)
      return resampleAll(new PolyphaseResampler(44_100, 24_000), input)
    }
    const reference = afterSilence(147 * 2, new Float32Array(0))
    // A burst, then a silence far longer than the filter, then the same burst again.
    const interrupted = afterSilence(147 * 10, burst)
    const burstOutputs = (burst.length / 147) * 80
    const silentOutputs = interrupted.subarray(burstOutputs + 200, burstOutputs + 147 * 10 * (80 / 147) - 100)
    expect(silentOutputs.every((x) => x === 0)).toBe(true)
    expect(Array.from(interrupted.subarray(interrupted.length - reference.length))).toEqual(Array.from(reference))
    expect(interrupted.length).toBe(((burst.length * 2 + 147 * 10) / 147) * 80)
  })

  it('rejects impossible rates with a clear error', () => {
    expect(() => new PolyphaseResampler(0, 24_000)).toThrow(/positive integers/)
    for (const [from, to] of [
      [24_000, 0],
      [48_000, -24_000],
      [44_100.5, 24_000],
      [48_000, 23_999.9],
      [Number.NaN, 24_000],
    ] as const) {
      expect(() => new PolyphaseResampler(from, to), `${from} → ${to}`).toThrow(`Sample rates must be positive integers (got ${from} → ${to}).`)
    }
  })

  it.each([
    [48_000, 24_000],
    [44_100, 24_000],
  ])('%i → %i Hz: flat to 9 kHz, and 70 dB down (its design) on what would fold back from 12.5 kHz up', (from, to) => {
    const levelDb = (frequency: number) => {
      const output = resampleAll(new PolyphaseResampler(from, to), sine(frequency, from, 1))
      const heardAt = frequency < to / 2 ? frequency : to - frequency
      return 20 * Math.log10(toneAmplitude(output, heardAt, to) / 0.5)
    }
    for (const frequency of [200, 4000, 9000]) expect(Math.abs(levelDb(frequency)), `${frequency} Hz`).toBeLessThan(0.05)
    for (const frequency of [12_500, 13_000, 14_000, 20_000]) expect(levelDb(frequency), `${frequency} Hz`).toBeLessThan(-70)
  })

  it('forgets everything on reset: what follows comes out as from a new resampler', () => {
    const used = new PolyphaseResampler(44_100, 24_000)
    resampleAll(used, sine(3000, 44_100, 0.1)) // leaves a full history and a phase mid-way
    used.reset()
    const burst = sine(440, 44_100, 0.05)
    expect(Array.from(resampleAll(used, burst))).toEqual(Array.from(resampleAll(new PolyphaseResampler(44_100, 24_000), burst)))
  })
})
