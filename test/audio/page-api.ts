/**
 * What the audio test page (`page/main.ts`) exposes as `window.audioTest`. Declared here without
 * DOM types so the Node-side tests and benchmark can use it; the page implements it.
 */
import type { PlaybackCounters } from '../../src-renderer/src/audio/playback-core.js'

export interface PageStartOptions {
  readonly contextSampleRate?: number
  readonly prebufferMs?: number
  readonly startAfterChunks?: number
  readonly frameSamples?: number
  /** Per-frame, per-chunk and per-flush timing callbacks (default on). Production has none, so
   * the benchmark's CPU phases turn them off to measure what the app pays. */
  readonly diagnostics?: boolean
}

export interface PageDiagnostics {
  frames: { endFrame: number; completedAtMs: number; bytes: number }[]
  chunkStarts: { sequence: number; renderedAtMs: number }[]
  flushes: { requestId: number; receivedAtFrame: number; silentFromFrame: number; silentAtMs: number }[]
  errors: { kind: string; message: string; recovered: boolean }[]
  levels: number
}

export type PageStartResult = { ok: true; contextRate: number } | { ok: false; kind: string; message: string }

interface DeviceInfo {
  readonly deviceId: string
  readonly label: string
}

export interface AudioTestApi {
  start(options?: PageStartOptions): Promise<PageStartResult>
  startRecorder(): Promise<void>
  /** What the playback node rendered, as PCM16 values, and the context frame of the first one. */
  recorded(): Promise<{ firstFrame: number; samples: number[] }>
  diagnostics(): PageDiagnostics
  resetDiagnostics(): void
  stats(): Promise<PlaybackCounters & { framesSent: number }>
  listDevices(): Promise<{ inputs: readonly DeviceInfo[]; outputs: readonly DeviceInfo[]; input: string | null; output: string | null }>
  setPreference(direction: 'input' | 'output', label: string): void
  /** The AudioContext's own latency figures, in ms. */
  latency(): { baseLatencyMs: number; outputLatencyMs: number }
  /** Suspends the pipeline's AudioContext, as a hidden or throttled window may; returns the state after. */
  suspendContext(): Promise<string>
  contextState(): string
  /** Fires `ended` on the open mic track, as Chromium does when the device is unplugged. */
  unplugMic(): boolean
  /** Fires `devicechange`, as Chromium does when a device is plugged in or out. */
  announceDeviceChange(): boolean
  stop(): Promise<void> | undefined
}
