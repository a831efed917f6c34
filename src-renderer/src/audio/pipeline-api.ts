/**
 * The audio pipeline's public face: what the app asks of it (`AudioPipeline`), its options, and
 * what it reports (levels, stats, devices, diagnostics). Kept apart from the implementation in
 * pipeline.ts so a reader sees the whole surface in one place.
 */
import type { AudioFormat } from '../../../src-shared/session-model/session-model.js'
import type { Unsubscribe } from '../../../src-shared/bridge/renderer-api.js'
import type { AudioPipelineError } from './audio-errors.js'
import type { AudioDeviceList, DevicePreferenceStore } from './devices.js'
import type { PlaybackCounters } from './playback-core.js'

/** Browser voice processing. Chromium honours these only when the mic is opened (getUserMedia). */
export interface CaptureConstraints {
  readonly echoCancellation: boolean
  readonly noiseSuppression: boolean
  readonly autoGainControl: boolean
}

/**
 * Off by default: Voice Live cancels echo and noise on the server, Chromium's echo canceller
 * ignores audio played through Web Audio (crbug 687574), and browser AGC pumps the level the
 * server's VAD sees. Users on open speakers without server echo cancellation can turn EC on.
 */
export const DEFAULT_CAPTURE_CONSTRAINTS: CaptureConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
}

export const DEFAULT_FORMAT: AudioFormat = { inputSampleRate: 24_000, outputSampleRate: 24_000, frameMs: 20 }
export const DEFAULT_PREBUFFER_MS = 40

/** Timing of individual frames and chunks, for diagnostics and the benchmark. */
export interface AudioDiagnostics {
  frameSent?(info: { readonly endFrame: number; readonly completedAtMs: number; readonly bytes: number }): void
  chunkStarted?(info: { readonly sequence: number; readonly renderedAtMs: number }): void
  flushed?(info: {
    readonly requestId: number
    readonly receivedAtFrame: number
    readonly silentFromFrame: number
    readonly silentAtMs: number
  }): void
}

export interface AudioPipelineOptions {
  readonly constraints?: Partial<CaptureConstraints>
  /** Format to use until main sends `audio.format`. */
  readonly format?: AudioFormat
  /** Capture frame length in samples, overriding `frameMs` (a peer-like 4096 for comparisons). */
  readonly frameSamples?: number
  /** Jitter buffer before playback starts, default 40 ms. */
  readonly prebufferMs?: number
  /** Also start playback once this many chunks are queued (quickstart-like); default 0 = off. */
  readonly startAfterChunks?: number
  /** Force the AudioContext rate; by default it runs at the output device's native rate. */
  readonly contextSampleRate?: number
  /** Where device choices persist; `localStorage` by default, null for nowhere. */
  readonly storage?: DevicePreferenceStore | null
  readonly diagnostics?: AudioDiagnostics
}

export interface AudioLevel {
  /** Linear RMS and peak of the last 50 ms, 0..1. */
  readonly rms: number
  readonly peak: number
}

export interface AudioStats extends PlaybackCounters {
  readonly framesSent: number
}

export interface AudioDevicesState extends AudioDeviceList {
  /** Labels of the devices in use (null = system default). */
  readonly input: string | null
  readonly output: string | null
}

export interface AudioPipeline {
  /** Opens the mic and the speaker. Rejects with an `AudioPipelineError` (e.g. `mic-denied`). */
  start(): Promise<void>
  stop(): Promise<void>
  /** Stops, and detaches from the bridge for good: call when the pipeline is thrown away. */
  dispose(): Promise<void>
  readonly running: boolean
  onLevel(listener: (level: AudioLevel) => void): Unsubscribe
  /** Problems during a session (unplugged mic, lost output device). `recovered` says if it fell back. */
  onError(listener: (error: AudioPipelineError) => void): Unsubscribe
  onDevicesChanged(listener: (devices: AudioDevicesState) => void): Unsubscribe
  listDevices(): Promise<AudioDevicesState>
  /** Choose a device by label (null = system default); persisted, applied at once if running. */
  selectInput(label: string | null): Promise<void>
  selectOutput(label: string | null): Promise<void>
  stats(): Promise<AudioStats>
  /** The running AudioContext and the node whose output is the speaker's audio, for taps (meters,
   * tests); null when stopped. */
  readonly context: AudioContext | null
  readonly playbackNode: AudioWorkletNode | null
}
