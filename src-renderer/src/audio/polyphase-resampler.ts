/**
 * Streaming polyphase FIR resampler (Kaiser-windowed sinc) for rational rate ratios such as
 * 48000→24000 (1:2) or 44100→24000 (80:147). It runs inside AudioWorklets, so everything is
 * allocated in the constructor and the per-sample methods allocate nothing.
 *
 * The caller drives it one sample at a time, which fits both directions:
 *  - capture pushes every input sample, then takes outputs while `needsInput` is false;
 *  - playback takes outputs, pushing one ring-buffer sample whenever `needsInput` is true.
 * Equal rates pass samples through unchanged (a one-tap unit filter), so tests can be exact.
 * Once the whole history is zeros, outputs are zeros without the dot product: playback idles on
 * silence most of a conversation, and that silence then costs no filtering.
 */

/** Stopband attenuation the Kaiser window is shaped for, in dB. */
const STOPBAND_DB = 70
/** Filter length in input samples for interpolation; decimation scales it by the rate ratio. */
const BASE_TAPS = 48
/** Passband edge as a fraction of the lower Nyquist frequency; the rest is transition band. */
const CUTOFF_FRACTION = 0.9

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/** Modified Bessel function of the first kind, order 0 (power series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1
  let term = 1
  const quarterSquare = (x * x) / 4
  for (let k = 1; k < 50; k++) {
    term *= quarterSquare / (k * k)
    sum += term
    if (term < sum * 1e-12) break
  }
  return sum
}

export class PolyphaseResampler {
  readonly inputRate: number
  readonly outputRate: number
  /** Upsampling factor L and downsampling factor M of the reduced ratio. */
  private readonly up: number
  private readonly down: number
  private readonly taps: number
  /** Coefficients by phase: phase p, tap k at `p * taps + k`. */
  private readonly bank: Float32Array
  /** Input history, written twice so each dot product reads one contiguous run. */
  private readonly history: Float32Array
  private newest = 0
  /** Zeros pushed since the last non-zero sample; at `taps` or more the history is all zeros. */
  private zeroRun: number
  /** Position of the next output within the current input sample, in units of 1/up. */
  private phase: number

  constructor(inputRate: number, outputRate: number) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`Sample rates must be positive integers (got ${inputRate} → ${outputRate}).`)
    }
    const divisor = gcd(inputRate, outputRate)
    this.inputRate = inputRate
    this.outputRate = outputRate
    this.up = outputRate / divisor
    this.down = inputRate / divisor
    this.taps = this.up === this.down ? 1 : Math.ceil(BASE_TAPS * Math.max(1, this.down / this.up))
    this.bank = this.designBank()
    this.history = new Float32Array(this.taps * 2)
    this.zeroRun = this.taps
    this.phase = this.up
  }

  /** Input samples an output lags behind: half the filter, in input samples. */
  get delayInputSamples(): number {
    return (this.taps - 1) / 2
  }

  get needsInput(): boolean {
    return this.phase >= this.up
  }

  push(sample: number): void {
    this.newest = (this.newest + 1) % this.taps
    this.history[this.newest] = sample
    this.history[this.newest + this.taps] = sample
    this.zeroRun = sample === 0 ? this.zeroRun + 1 : 0
    this.phase -= this.up
  }

  /** The next output sample. Only valid while `needsInput` is false. */
  next(): number {
    const { bank, history, taps } = this
    if (this.zeroRun >= taps) {
      this.phase += this.down
      return 0
    }
    // history[newest + taps - k] for k = 0..taps-1 walks back from the newest sample.
    const base = this.phase * taps
    const start = this.newest + taps
    let sum = 0
    for (let k = 0; k < taps; k++) sum += bank[base + k]! * history[start - k]!
    this.phase += this.down
    return sum
  }

  /** Forget all history (e.g. after a flush), so no old audio rings out. */
  reset(): void {
    this.history.fill(0)
    this.zeroRun = this.taps
    this.phase = this.up
  }

  private designBank(): Float32Array {
    const { up, down, taps } = this
    const bank = new Float32Array(up * taps)
    if (taps === 1) {
      bank[0] = 1
      return bank
    }
    const length = up * taps
    const centre = (length - 1) / 2
    // Cutoff in cycles per upsampled sample: below both Nyquist frequencies.
    const cutoff = (0.5 * CUTOFF_FRACTION) / Math.max(up, down)
    const beta = 0.1102 * (STOPBAND_DB - 8.7)
    const windowNorm = besselI0(beta)
    for (let j = 0; j < length; j++) {
      const t = j - centre
      const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t)
      const ratio = (2 * j) / (length - 1) - 1
      const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / windowNorm
      // Gain `up` restores the level lost to the zeros inserted by upsampling.
      const phase = j % up
      const tap = Math.floor(j / up)
      bank[phase * taps + tap] = up * sinc * window
    }
    return bank
  }
}
