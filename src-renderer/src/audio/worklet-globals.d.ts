/**
 * Typings for the AudioWorkletGlobalScope, which TypeScript's DOM lib does not describe, plus the
 * AudioContext output-device API (Chromium 110+, so Electron) that the lib lacks.
 * The scope's bare globals (`sampleRate`, `currentFrame`) are read through `AudioWorkletScope`
 * rather than declared globally, so UI code cannot use them by mistake.
 */

declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort
  constructor(options?: AudioWorkletNodeOptions)
  abstract process(
    inputs: Float32Array[][],
    outputs: Float32Array[][],
    parameters: Record<string, Float32Array>,
  ): boolean
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void

interface AudioWorkletScope {
  readonly sampleRate: number
  readonly currentFrame: number
  readonly currentTime: number
}

interface AudioContext {
  /** Chromium's output device selection for Web Audio; absent in some browsers. */
  setSinkId?(sinkId: string): Promise<void>
  readonly sinkId?: string
}
