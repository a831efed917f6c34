/** Signal helpers for the audio tests and benchmark. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodePcm16Wav } from '../../src-main/pcm-audio/wav.js'
import { FIXTURE_DIR } from '../support/speech-fixture.js'
import { rms } from '../support/wav.js'

/** PCM16 LE bytes of `samples`. */
export function pcm16Bytes(samples: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(samples.length * 2)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true)
  return bytes
}

/** Concatenated PCM16 LE frames as samples. */
export function pcm16Samples(frames: readonly Uint8Array[]): Int16Array {
  const total = frames.reduce((sum, frame) => sum + frame.byteLength, 0)
  const samples = new Int16Array(total / 2)
  let offset = 0
  for (const frame of frames) {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
    for (let i = 0; i < frame.byteLength / 2; i++) samples[offset++] = view.getInt16(i * 2, true)
  }
  return samples
}

/** A pattern with no zero samples, so silence is unambiguous in what the speaker rendered. */
export function markerPattern(length: number, seed: number): number[] {
  return Array.from({ length }, (_, i) => (i % 2 === 0 ? 1 : -1) * (1000 + ((i * 7919 + seed * 104_729) % 20_000)))
}

/** RMS of each `window`-sample block. */
export function envelope(samples: ArrayLike<number>, window: number): number[] {
  const out: number[] = []
  for (let start = 0; start + window <= samples.length; start += window) {
    let sum = 0
    for (let i = start; i < start + window; i++) sum += samples[i]! ** 2
    out.push(Math.sqrt(sum / window))
  }
  return out
}

/** Pearson correlation of `a[i]` with `b[i + lag]` over their overlap. */
export function correlationAt(a: ArrayLike<number>, b: ArrayLike<number>, lag: number): number {
  let n = 0
  let sa = 0
  let sb = 0
  let saa = 0
  let sbb = 0
  let sab = 0
  for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
    const x = a[i]!
    const y = b[i + lag]!
    n++
    sa += x
    sb += y
    saa += x * x
    sbb += y * y
    sab += x * y
  }
  const cov = sab - (sa * sb) / n
  return cov / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n))
}

/** The lag in [from, to] where `a` best matches `b`, and that correlation. */
export function bestLag(a: ArrayLike<number>, b: ArrayLike<number>, from: number, to: number): { lag: number; r: number } {
  let best = { lag: from, r: -Infinity }
  for (let lag = from; lag <= to; lag++) {
    const r = correlationAt(a, b, lag)
    if (r > best.r) best = { lag, r }
  }
  return best
}

/**
 * How well `a` matches `b` window by window: for each `window`-sample stretch of `a` where `b` is
 * not silent, the best correlation within `slack` samples of `lag`. One glitch on an overloaded
 * machine (a dropped or repeated buffer) spoils a window or shifts the rest by a little; a bad
 * resampler spoils every window.
 */
export function windowedMatch(a: Int16Array, b: Int16Array, lag: number, window: number, slack: number): number[] {
  const matches: number[] = []
  for (let start = Math.max(0, -lag); start + window <= a.length && start + lag + window <= b.length; start += window) {
    if (rms(b.subarray(start + lag, start + lag + window)) < 0.01) continue // silence: no shape to match
    matches.push(bestLag(a.subarray(start, start + window), b, start + lag - slack, start + lag + slack).r)
  }
  return matches
}

/** Amplitude of `frequency` in `signal` (single-bin DFT), ignoring the filter's start-up. */
export function toneAmplitude(signal: ArrayLike<number>, frequency: number, rate: number): number {
  const from = 1000
  let re = 0
  let im = 0
  for (let i = from; i < signal.length; i++) {
    re += signal[i]! * Math.cos((2 * Math.PI * frequency * i) / rate)
    im -= signal[i]! * Math.sin((2 * Math.PI * frequency * i) / rate)
  }
  return (2 * Math.hypot(re, im)) / (signal.length - from)
}

/** Path to a mono PCM16 WAV of sine tones (each at `amplitude`) after `padStartSec` of silence,
 * cached with the speech fixtures. */
export function toneWav(frequencies: readonly number[], seconds: number, sampleRate: number, amplitude = 0.25, padStartSec = 0.3): string {
  mkdirSync(FIXTURE_DIR, { recursive: true })
  const target = join(FIXTURE_DIR, `tones-${frequencies.join('+')}-${seconds}s-${sampleRate}-${amplitude}-${padStartSec}.wav`)
  if (existsSync(target)) return target
  const pad = Math.round(padStartSec * sampleRate)
  const samples = Array.from({ length: pad + Math.round(seconds * sampleRate) }, (_, i) => {
    const t = (i - pad) / sampleRate
    return i < pad ? 0 : Math.round(frequencies.reduce((sum, f) => sum + amplitude * Math.sin(2 * Math.PI * f * t), 0) * 32767)
  })
  const tmp = `${target}.${process.pid}.tmp.wav`
  writeFileSync(tmp, encodePcm16Wav(pcm16Bytes(samples), sampleRate))
  renameSync(tmp, target)
  return target
}
