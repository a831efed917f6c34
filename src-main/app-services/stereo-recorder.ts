/**
 * Records a session as a stereo WAV: the microphone on the left, the assistant on the right.
 * "Now" is the later of the mic stream (it arrives in real time) and the wall clock (which keeps
 * going while push-to-talk holds the mic back, so those pauses become silence). Assistant audio
 * arrives faster than real time, so it is laid out after what is already queued, and a flush
 * (barge-in) erases whatever had been queued but not yet heard.
 */
import { resampleLinear } from '../pcm-audio/linear-resampler.js'
import { encodePcm16Wav } from '../pcm-audio/wav.js'

/** 30 minutes at 24 kHz per channel (about 170 MB): beyond that the recording stops growing. */
const MAX_SECONDS = 30 * 60
/** A mic silence longer than this (push-to-talk released) is recorded as a pause. */
const PAUSE_SECONDS = 0.25

export interface StereoRecorder {
  readonly sampleRate: number
  addMic(pcm: Uint8Array): void
  addAssistant(pcm: Uint8Array): void
  /** Playback was cut at this moment: drop queued assistant audio that was never heard. */
  flushAssistant(): void
  /** Seconds recorded so far. */
  durationSeconds(): number
  toWav(): Uint8Array
}

const toSamples = (pcm: Uint8Array): Int16Array => {
  const copy = new Uint8Array(pcm) // aligned, and independent of the caller's buffer
  return new Int16Array(copy.buffer, 0, copy.byteLength >> 1)
}

/**
 * The WAV is written at the assistant's rate (`sampleRate`); the mic is converted if it differs.
 * `nowMs` is a monotonic clock; without one, the mic stream alone keeps time.
 */
export function createStereoRecorder(sampleRate: number, micRate = sampleRate, nowMs?: () => number): StereoRecorder {
  const startMs = nowMs?.() ?? 0
  const wallClock = (): number => (nowMs ? Math.floor(((nowMs() - startMs) * sampleRate) / 1000) : 0)
  const capacity = sampleRate * MAX_SECONDS
  let left = new Int16Array(sampleRate * 10)
  let right = new Int16Array(sampleRate * 10)
  let micLength = 0
  /** Frames arrive with jitter; only a longer silence of the mic (push-to-talk) is a pause. */
  const pauseSamples = Math.round(sampleRate * PAUSE_SECONDS)
  const now = (): number => Math.min(capacity, Math.max(micLength, wallClock() - pauseSamples))
  let assistantEnd = 0

  const ensure = (length: number): number => {
    const wanted = Math.min(length, capacity)
    if (wanted > left.length) {
      const size = Math.min(capacity, Math.max(wanted, left.length * 2))
      const grow = (old: Int16Array) => {
        const next = new Int16Array(size)
        next.set(old)
        return next
      }
      left = grow(left)
      right = grow(right)
    }
    return wanted
  }

  return {
    sampleRate,
    addMic(pcm) {
      const samples = resampleLinear(toSamples(pcm), micRate, sampleRate)
      // A frame that completes now started one frame ago; a long gap before it was a pause.
      const gap = wallClock() - samples.length - micLength
      const start = gap > pauseSamples ? micLength + gap : micLength
      const end = ensure(start + samples.length)
      left.set(samples.subarray(0, Math.max(0, end - start)), Math.min(start, end))
      micLength = end
    },
    addAssistant(pcm) {
      const samples = toSamples(pcm)
      const start = Math.max(assistantEnd, now())
      const end = ensure(start + samples.length)
      right.set(samples.subarray(0, Math.max(0, end - start)), start)
      assistantEnd = Math.max(assistantEnd, end)
    },
    flushAssistant() {
      const heard = now()
      if (assistantEnd > heard) right.fill(0, heard, assistantEnd)
      assistantEnd = Math.min(assistantEnd, heard)
    },
    durationSeconds: () => Math.max(micLength, assistantEnd) / sampleRate,
    toWav() {
      const frames = Math.max(micLength, assistantEnd)
      const interleaved = new Int16Array(frames * 2)
      for (let i = 0; i < frames; i++) {
        interleaved[i * 2] = left[i] ?? 0
        interleaved[i * 2 + 1] = right[i] ?? 0
      }
      return encodePcm16Wav(new Uint8Array(interleaved.buffer), sampleRate, 2)
    },
  }
}
