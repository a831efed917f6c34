/**
 * Messages between the pipeline (main thread) and its duplex AudioWorklet processor.
 * Both sides live in this repo and in the same renderer process, so these are plain types,
 * not schemas; anything from outside (the bridge) is validated before it gets here.
 */
import type { PlaybackCounters } from './playback-core.js'

export const AUDIO_PROCESSOR = 'voice-live-audio'

export interface CaptureProcessorOptions {
  readonly outputRate: number
  readonly frameSamples: number
}

export type CaptureCommand = { readonly type: 'capture-format'; readonly outputRate: number; readonly frameSamples: number }

export type CaptureReport =
  | {
      type: 'frame'
      buffer: ArrayBuffer
      /** Context frame just after the frame's last sample. */
      endFrame: number
      /** Worklet clock (ms since the epoch) when the frame was complete, for latency figures. */
      completedAtMs: number
    }
  | { type: 'level'; rms: number; peak: number }

export interface PlaybackProcessorOptions {
  readonly sourceRate: number
  readonly prebufferMs: number
  readonly startAfterChunks: number
  readonly capacitySeconds: number
  /** Report when each chunk starts playing (diagnostics and benchmarks only). */
  readonly reportChunkStarts: boolean
}

export type PlaybackCommand =
  | { readonly type: 'chunk'; readonly itemId: string; readonly pcm: Uint8Array }
  | { readonly type: 'flush'; readonly requestId: number }
  | { readonly type: 'stats' }
  /** The session's output rate changed: start over with an empty ring at the new rate. */
  | { readonly type: 'playback-format'; readonly sourceRate: number }

export interface AudioProcessorOptions {
  readonly capture: CaptureProcessorOptions
  readonly playback: PlaybackProcessorOptions
}

export type WorkletCommand = CaptureCommand | PlaybackCommand

export type PlaybackReport =
  | {
      type: 'position'
      requestId: number | null
      itemId: string | null
      playedSamples: number
      /** For flush replies: the frame the flush arrived at, the first silent frame, and when
       * that silent quantum was rendered (worklet clock, ms since the epoch). */
      receivedAtFrame: number
      silentFromFrame: number
      silentAtMs: number
    }
  | { type: 'chunk-started'; sequence: number; contextFrame: number; renderedAtMs: number }
  | ({ type: 'stats' } & PlaybackCounters)

export type WorkletReport = CaptureReport | PlaybackReport
