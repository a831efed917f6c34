import { describe, expect, it } from 'vitest'
import { CaptureCore, type CaptureSink } from '../../src-renderer/src/audio/capture-core.js'
import { readInt16, readPcm16 } from '../../src-renderer/src/audio/pcm16.js'

interface Captured {
  frames: { bytes: Uint8Array; endFrame: number }[]
  levels: number[]
  peaks: number[]
  sink: CaptureSink
}

/** Keeps a copy of each frame, as the worklet's postMessage does. */
function collector(): Captured {
  const captured: Captured = {
    frames: [],
    levels: [],
    peaks: [],
    sink: {
      frame(buffer, endFrame) {
        captured.frames.push({ bytes: new Uint8Array(buffer.slice(0)), endFrame })
      },
      level(rms, peak) {
        captured.levels.push(rms)
        captured.peaks.push(peak)
      },
    },
  }
  return captured
}

/** Feeds `signal` in 128-sample quanta, as the audio thread does. */
function feed(core: CaptureCore, signal: Float32Array, sink: CaptureSink, channels = 1): void {
  for (let start = 0; start < signal.length; start += 128) {
    const quantum = signal.subarray(start, start + 128)
    core.process(
      Array.from({ length: channels }, () => quantum),
      start,
      sink,
    )
  }
}

const ramp = (length: number): Float32Array => Float32Array.from({ length }, (_, i) => ((i % 200) - 100) / 128)

describe('CaptureCore', () => {
  it('cuts exact 20 ms PCM16 frames carrying the input samples, in order', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    const signal = ramp(24_000)
    feed(core, signal, captured.sink)
    expect(captured.frames).toHaveLength(50)
    expect(captured.frames.every(({ bytes }) => bytes.byteLength === 960)).toBe(true)
    const frame7 = captured.frames[7]!
    expect(frame7.endFrame).toBe(8 * 480)
    for (let i = 0; i < 480; i++) expect(readPcm16(frame7.bytes, i)).toBeCloseTo(signal[7 * 480 + i]!, 4)
  })

  it('resamples 48 kHz stereo to 24 kHz frames: 50 per second of input', () => {
    const core = new CaptureCore({ contextRate: 48_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    feed(
      core,
      Float32Array.from({ length: 48_000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000)),
      captured.sink,
      2,
    )
    expect(captured.frames).toHaveLength(50)
    const last = captured.frames[49]!.bytes
    let peak = 0
    for (let i = 0; i < 480; i++) peak = Math.max(peak, Math.abs(readPcm16(last, i)))
    expect(peak).toBeCloseTo(0.5, 2)
  })

  it('downmixes channels that differ to their average, sample by sample', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    // Quanta of 120 samples, so each channel layout fills exactly one 480-sample frame.
    const constant = (value: number) => new Float32Array(120).fill(value)
    // Stereo: left 0.5, right -0.25 → 0.125; then three channels 0.6, 0.3, -0.3 → 0.2.
    for (let start = 0; start < 480; start += 120) core.process([constant(0.5), constant(-0.25)], start, captured.sink)
    for (let start = 480; start < 960; start += 120) {
      core.process([constant(0.6), constant(0.3), constant(-0.3)], start, captured.sink)
    }
    const samples = (frame: number) =>
      Array.from({ length: 480 }, (_, i) => readInt16(captured.frames[frame]!.bytes, i))
    expect(captured.frames).toHaveLength(2)
    expect(samples(0)).toEqual(Array<number>(480).fill(4096))
    expect(samples(1)).toEqual(Array<number>(480).fill(Math.round(0.2 * 32767)))
  })

  it('meters the input every 50 ms as it sends every frame (no gate here: push-to-talk gates in main)', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    feed(core, ramp(4800), captured.sink)
    expect(captured.frames).toHaveLength(10)
    expect(captured.levels).toHaveLength(4)
    expect(captured.levels[0]).toBeGreaterThan(0.4)
  })

  it('meters each 50 ms on its own: RMS and peak of that span, negative samples by their size', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    const span = 1200 // 50 ms at 24 kHz
    const signal = new Float32Array(3 * span)
    signal.fill(-0.25, 0, span) // steady: RMS and peak 0.25
    for (let i = span; i < 2 * span; i++) signal[i] = i % 2 === 0 ? 0.5 : -0.1 // RMS √((0.25+0.01)/2), peak 0.5
    feed(core, signal, captured.sink) // the last span stays silent
    expect(captured.levels).toHaveLength(3)
    expect(captured.levels[0]).toBeCloseTo(0.25, 3)
    expect(captured.peaks[0]).toBeCloseTo(0.25, 3)
    expect(captured.levels[1]).toBeCloseTo(Math.sqrt((0.25 + 0.01) / 2), 3)
    expect(captured.peaks[1]).toBeCloseTo(0.5, 3)
    expect(captured.levels[2]).toBe(0)
    expect(captured.peaks[2]).toBe(0)
  })

  it('refuses a frame size that is not a positive whole number of samples, naming it', () => {
    for (const frameSamples of [0, -480, 480.5]) {
      expect(() => new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples })).toThrow(
        `frameSamples must be a positive integer (got ${frameSamples}).`,
      )
    }
  })

  it('a quantum with no channels (a device that went away) sends nothing and does not throw', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const captured = collector()
    for (let q = 0; q < 10; q++) core.process([], q * 128, captured.sink)
    expect(captured.frames).toEqual([])
    expect(captured.levels).toEqual([])
  })

  it('writes every frame into the same buffer, so capture allocates nothing per frame', () => {
    const core = new CaptureCore({ contextRate: 24_000, outputRate: 24_000, frameSamples: 480 })
    const buffers = new Set<ArrayBuffer>()
    feed(core, ramp(48_000), { frame: (buffer) => void buffers.add(buffer), level: () => undefined })
    expect(core.framesEmitted).toBe(100)
    expect(buffers.size).toBe(1)
  })
})
