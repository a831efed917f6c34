/**
 * Server VAD turn logic, fed one voiced/unvoiced decision per 10 ms frame. Pure: no audio, no I/O.
 *
 * WebRTC VAD gives a yes/no per frame, while Voice Live's `threshold` tunes a speech probability.
 * The probability here is the fraction of voiced frames in the last PROBABILITY_WINDOW_MS, so
 * `threshold` keeps its meaning: higher needs denser speech before a turn starts or continues.
 *   - speech starts once the probability has stayed ≥ threshold while voiced frames spanned
 *     `speech_duration_ms` (the smoothing window's tail does not count); the reported
 *     `audio_start_ms` is the first voiced frame of that run minus `prefix_padding_ms`;
 *   - speech stops once the probability stays below threshold for `silence_duration_ms`; the
 *     reported `audio_end_ms` is the end of the last voiced frame.
 * Times are milliseconds of audio since the session's buffer started.
 */
import { VAD_FRAME_MS } from './frame-vad.js'

export interface TurnDetectorSettings {
  readonly threshold: number
  readonly prefixPaddingMs: number
  readonly silenceDurationMs: number
  readonly speechDurationMs: number
}

export type TurnEvent =
  | { readonly type: 'speech_started'; readonly audioStartMs: number }
  | { readonly type: 'speech_stopped'; readonly audioEndMs: number }

export const PROBABILITY_WINDOW_MS = 100
const WINDOW_FRAMES = PROBABILITY_WINDOW_MS / VAD_FRAME_MS

export class TurnDetector {
  private readonly window: boolean[] = []
  private frameIndex: number
  private speaking = false
  /** Where the current run at or above threshold really began (null: no run). */
  private runOnsetMs: number | null = null
  private lastVoicedEndMs = 0
  /** End of the last voiced frame while the probability was at or above threshold. */
  private speechEndMs = 0
  /** Speech may not start before the end of the previous turn. */
  private floorMs: number

  constructor(
    private settings: TurnDetectorSettings,
    startMs = 0,
  ) {
    this.frameIndex = Math.floor(startMs / VAD_FRAME_MS)
    this.floorMs = startMs
  }

  get isSpeaking(): boolean {
    return this.speaking
  }

  /** While speaking: the end of the speech so far, and how long the silence after it has lasted. */
  get speechEnd(): { readonly endMs: number; readonly silentMs: number } | null {
    return this.speaking ? { endMs: this.speechEndMs, silentMs: this.frameIndex * VAD_FRAME_MS - this.speechEndMs } : null
  }

  update(settings: TurnDetectorSettings): void {
    this.settings = settings
  }

  /** Forget any speech in progress (after `input_audio_buffer.clear` or a commit). */
  reset(): void {
    this.window.length = 0
    this.speaking = false
    this.runOnsetMs = null
    this.floorMs = this.frameIndex * VAD_FRAME_MS
  }

  push(voiced: boolean): TurnEvent | null {
    const frameStartMs = this.frameIndex * VAD_FRAME_MS
    this.frameIndex++
    const frameEndMs = frameStartMs + VAD_FRAME_MS
    this.window.push(voiced)
    if (this.window.length > WINDOW_FRAMES) this.window.shift()
    if (voiced) this.lastVoicedEndMs = frameEndMs

    const voicedCount = this.window.filter(Boolean).length
    const probability = voicedCount / WINDOW_FRAMES
    const active = voicedCount > 0 && probability >= this.settings.threshold

    if (!this.speaking) {
      if (!active) {
        this.runOnsetMs = null
        return null
      }
      // The window lags the signal: the speech really began at the window's first voiced frame.
      this.runOnsetMs ??= frameEndMs - (this.window.length - this.window.indexOf(true)) * VAD_FRAME_MS
      if (this.lastVoicedEndMs - this.runOnsetMs < this.settings.speechDurationMs) return null
      this.speaking = true
      this.speechEndMs = this.lastVoicedEndMs
      const audioStartMs = Math.max(this.floorMs, this.runOnsetMs - this.settings.prefixPaddingMs)
      this.runOnsetMs = null
      return { type: 'speech_started', audioStartMs }
    }

    if (active) {
      this.speechEndMs = this.lastVoicedEndMs
      return null
    }
    if (frameEndMs - this.speechEndMs < this.settings.silenceDurationMs) return null
    this.speaking = false
    this.floorMs = frameEndMs
    return { type: 'speech_stopped', audioEndMs: this.speechEndMs }
  }
}
