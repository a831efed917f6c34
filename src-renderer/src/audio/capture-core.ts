/**
 * The capture worklet's logic, free of worklet globals so Node tests can drive it: downmix,
 * resample to the session rate, cut exact-size PCM16 frames and measure the input level for a
 * meter. Every frame goes to main: push-to-talk's gate is main's (src-main/push-to-talk/), so the
 * mic stays warm and the audio after a key-up is there for the release tail.
 *
 * Every frame is written into one preallocated buffer, which the sink copies (the worklet posts it
 * without transferring: copying 960 bytes is cheaper than a message handing the buffer back), so
 * capture allocates nothing.
 */
import { PolyphaseResampler } from './polyphase-resampler.js'
import { writePcm16 } from './pcm16.js'

export interface CaptureFormat {
  /** Rate the AudioContext runs at (the device's native rate unless forced). */
  readonly contextRate: number
  /** Rate the session wants: 24 kHz or 16 kHz. */
  readonly outputRate: number
  /** Samples per frame at `outputRate` (20 ms at 24 kHz = 480). */
  readonly frameSamples: number
}

export interface CaptureSink {
  /** A full frame: `bytes` is exactly `frameSamples * 2` bytes of PCM16 LE mono. The core writes
   * the next frame into the same buffer once this returns, so keep a copy, not the buffer. */
  frame(bytes: ArrayBuffer, endFrame: number): void
  /** Level of the audio since the last report (linear 0..1), every `LEVEL_PERIOD_MS`. */
  level(rms: number, peak: number): void
}

/** A meter needs no more than 20 updates a second; fewer messages keep the main thread idle. */
export const LEVEL_PERIOD_MS = 50

export class CaptureCore {
  readonly format: CaptureFormat
  framesEmitted = 0
  private readonly resampler: PolyphaseResampler
  private readonly frame: Uint8Array
  private filled = 0
  private levelCount = 0
  private levelSumSquares = 0
  private levelPeak = 0
  private readonly levelPeriodSamples: number

  constructor(format: CaptureFormat) {
    if (format.frameSamples <= 0 || !Number.isInteger(format.frameSamples)) {
      throw new RangeError(`frameSamples must be a positive integer (got ${format.frameSamples}).`)
    }
    this.format = format
    this.resampler = new PolyphaseResampler(format.contextRate, format.outputRate)
    this.levelPeriodSamples = Math.round((format.outputRate * LEVEL_PERIOD_MS) / 1000)
    this.frame = new Uint8Array(format.frameSamples * 2)
  }

  /**
   * One render quantum of input. `channels` are the input's channels (downmixed to mono);
   * `quantumStartFrame` is the context frame of the quantum's first sample.
   */
  process(channels: readonly Float32Array[], quantumStartFrame: number, sink: CaptureSink): void {
    const channelCount = channels.length
    if (channelCount === 0) return
    const length = channels[0]!.length
    const { resampler } = this
    for (let i = 0; i < length; i++) {
      let sample = channels[0]![i]!
      for (let c = 1; c < channelCount; c++) sample += channels[c]![i]!
      if (channelCount > 1) sample /= channelCount
      resampler.push(sample)
      while (!resampler.needsInput) this.emitSample(resampler.next(), quantumStartFrame + i + 1, sink)
    }
  }

  private emitSample(sample: number, contextFrame: number, sink: CaptureSink): void {
    const magnitude = sample < 0 ? -sample : sample
    if (magnitude > this.levelPeak) this.levelPeak = magnitude
    this.levelSumSquares += sample * sample
    if (++this.levelCount === this.levelPeriodSamples) {
      sink.level(Math.sqrt(this.levelSumSquares / this.levelCount), this.levelPeak)
      this.levelCount = 0
      this.levelSumSquares = 0
      this.levelPeak = 0
    }
    writePcm16(this.frame, this.filled, sample)
    if (++this.filled === this.format.frameSamples) {
      this.filled = 0
      this.framesEmitted++
      sink.frame(this.frame.buffer as ArrayBuffer, contextFrame)
    }
  }
}
