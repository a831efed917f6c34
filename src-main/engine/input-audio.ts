/**
 * One session's input audio buffer: what `input_audio_buffer.append` adds, converted to 16 kHz
 * for the VAD and the recogniser, with the session clock (ms of audio since the session began).
 */
import { createFrameVad, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE, type FrameVad } from './frame-vad.js'
import { concatPcm16, msToSamples } from '../pcm-audio/pcm16-samples.js'
import { createResampler, type Resampler } from '../pcm-audio/speex-resampler.js'
import { TurnDetector, type TurnDetectorSettings, type TurnEvent } from './turn-detector.js'

/** Longer than the largest prefix padding plus speech duration the session accepts. */
const KEEP_WHILE_SILENT_MS = 21_000

export interface CommittedAudio {
  readonly startMs: number
  readonly endMs: number
  /** The committed span at 16 kHz, ready for the recogniser. */
  readonly samples16k: Int16Array
}

export class InputAudio {
  /** 16 kHz audio of the current buffer, and the session time at which it starts. */
  private chunks16k: Int16Array[] = []
  private buffered16k = 0
  /** Samples appended at the session rate since the buffer began (see `bufferedMs`). */
  private appendedSinceStart = 0
  private bufferStartMs: number
  private pendingFrame: Int16Array = new Int16Array(0)
  private detector: TurnDetector | null = null

  private constructor(
    private readonly resampler: Resampler,
    private readonly vad: FrameVad,
    startMs: number,
    turn: TurnDetectorSettings | null,
  ) {
    this.bufferStartMs = startMs
    this.setTurnDetection(turn)
  }

  static async create(sampleRate: number, turn: TurnDetectorSettings | null, startMs = 0): Promise<InputAudio> {
    const resampler = await createResampler(sampleRate, VAD_SAMPLE_RATE)
    const vad = await createFrameVad()
    return new InputAudio(resampler, vad, startMs, turn)
  }

  get sampleRate(): number {
    return this.resampler.inputRate
  }

  /** Session time at the end of the audio received so far. */
  get nowMs(): number {
    return this.bufferStartMs + (this.buffered16k * 1000) / VAD_SAMPLE_RATE
  }

  /**
   * Audio appended since the buffer began, counted as the service counts it: at the session rate,
   * with what is still in the resampler or in a partial VAD frame. (Counting whole 16 kHz frames
   * made exactly 100 ms appended read as 90 ms, and its commit was refused as too small.)
   */
  get bufferedMs(): number {
    return (this.appendedSinceStart * 1000) / this.resampler.inputRate
  }

  get isSpeaking(): boolean {
    return this.detector?.isSpeaking ?? false
  }

  /** While server VAD hears a turn: where its speech ends so far, and the silence since (ms). */
  get speechEnd(): { readonly endMs: number; readonly silentMs: number } | null {
    return this.detector?.speechEnd ?? null
  }

  setTurnDetection(turn: TurnDetectorSettings | null): void {
    if (!turn) this.detector = null
    else if (this.detector) this.detector.update(turn)
    else this.detector = new TurnDetector(turn, Math.round(this.nowMs))
  }

  /** Add input audio at the session rate; returns the VAD's turn events, in order. */
  append(samples: Int16Array): TurnEvent[] {
    this.appendedSinceStart += samples.length
    const converted = this.resampler.process(samples)
    const frames = concatPcm16([this.pendingFrame, converted])
    const events: TurnEvent[] = []
    let offset = 0
    for (; offset + VAD_FRAME_SAMPLES <= frames.length; offset += VAD_FRAME_SAMPLES) {
      const frame = frames.subarray(offset, offset + VAD_FRAME_SAMPLES) // `frames` is ours and never written again
      this.chunks16k.push(frame)
      this.buffered16k += frame.length
      const event = this.detector?.push(this.vad.isSpeech(frame))
      if (event) events.push(event)
    }
    this.pendingFrame = frames.subarray(offset)
    if (events.length === 0) this.trimSilence()
    return events
  }

  /** 16 kHz audio of the buffer from session time `fromMs` to now. */
  audioSince(fromMs: number): Int16Array {
    return this.span(Math.max(0, msToSamples(fromMs - this.bufferStartMs, VAD_SAMPLE_RATE)), Infinity)
  }

  /** Take the buffer (or its span from `fromMs` to `toMs`) as a committed item and start a new one. */
  commit(fromMs = this.bufferStartMs, toMs = this.nowMs): CommittedAudio {
    const start = Math.max(0, msToSamples(fromMs - this.bufferStartMs, VAD_SAMPLE_RATE))
    const end = Math.max(start, msToSamples(toMs - this.bufferStartMs, VAD_SAMPLE_RATE))
    const committed = { startMs: Math.round(fromMs), endMs: Math.round(toMs), samples16k: this.span(start, end) }
    this.restart()
    return committed
  }

  /** Buffer samples `start` to `end` (clamped to what is buffered), joining only the frames that
   * hold them: every chunk is one VAD frame, so frames are found by division, not by scanning. */
  private span(start: number, end: number): Int16Array {
    const first = Math.floor(start / VAD_FRAME_SAMPLES)
    const joined = concatPcm16(this.chunks16k.slice(first, Math.ceil(end / VAD_FRAME_SAMPLES)))
    const offset = first * VAD_FRAME_SAMPLES
    return joined.subarray(start - offset, end - offset)
  }

  /** Drop the buffer (`input_audio_buffer.clear`), keeping the session clock running. */
  clear(): void {
    this.restart()
  }

  close(): void {
    this.resampler.close()
    this.vad.close()
  }

  private restart(): void {
    this.bufferStartMs = this.nowMs
    this.chunks16k = []
    this.buffered16k = 0
    this.appendedSinceStart = 0
    this.detector?.reset()
  }

  /**
   * With server VAD, audio long before the current speech can never join an item; keep only the
   * last KEEP_WHILE_SILENT_MS so a silent hour does not hold an hour of audio.
   */
  private trimSilence(): void {
    if (!this.detector || this.detector.isSpeaking) return
    const excess = this.chunks16k.length - KEEP_WHILE_SILENT_MS / (1000 * VAD_FRAME_SAMPLES / VAD_SAMPLE_RATE)
    if (excess <= 0) return
    this.chunks16k.splice(0, excess)
    this.buffered16k -= excess * VAD_FRAME_SAMPLES
    this.bufferStartMs += (excess * VAD_FRAME_SAMPLES * 1000) / VAD_SAMPLE_RATE
  }
}
