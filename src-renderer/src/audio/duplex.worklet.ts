/**
 * The pipeline's one AudioWorklet processor, duplex: its input is the microphone, its output the
 * speaker. Chromium calls one `process()` per render quantum for both directions (with two nodes it
 * made two calls, which cost more than the DSP itself). The logic lives in `CaptureCore` and
 * `PlaybackCore`; this shell routes messages to them and reuses one object per kind of report.
 *
 * Frames are posted as copies of the capture core's one buffer: a 960-byte copy costs less than
 * transferring the buffer and a message bringing it back. A flush is applied the
 * moment its message arrives (between quanta), so the next quantum is already silent; the reply
 * goes out from that quantum, carrying the frame where silence began.
 */
import { CaptureCore, type CaptureSink } from './capture-core.js'
import { PlaybackCore, type PlaybackSink } from './playback-core.js'
import { epochMs } from './worklet-clock.js'
import {
  AUDIO_PROCESSOR,
  type AudioProcessorOptions,
  type CaptureReport,
  type PlaybackProcessorOptions,
  type PlaybackReport,
  type WorkletCommand,
} from './worklet-messages.js'

const scope = globalThis as unknown as AudioWorkletScope

type PositionReport = Extract<PlaybackReport, { type: 'position' }>

function playbackCore(options: PlaybackProcessorOptions): PlaybackCore {
  return new PlaybackCore({
    contextRate: scope.sampleRate,
    sourceRate: options.sourceRate,
    prebufferMs: options.prebufferMs,
    startAfterChunks: options.startAfterChunks,
    capacitySeconds: options.capacitySeconds,
  })
}

class DuplexProcessor extends AudioWorkletProcessor implements CaptureSink, PlaybackSink {
  private capture: CaptureCore
  private playback: PlaybackCore
  private playbackOptions: PlaybackProcessorOptions
  private readonly frameReport: Extract<CaptureReport, { type: 'frame' }> = {
    type: 'frame',
    buffer: new ArrayBuffer(0),
    endFrame: 0,
    completedAtMs: 0,
  }
  private readonly levelReport: Extract<CaptureReport, { type: 'level' }> = { type: 'level', rms: 0, peak: 0 }
  private readonly positionReport: PositionReport = {
    type: 'position',
    requestId: null,
    itemId: null,
    playedSamples: 0,
    receivedAtFrame: 0,
    silentFromFrame: 0,
    silentAtMs: 0,
  }
  private readonly chunkReport: Extract<PlaybackReport, { type: 'chunk-started' }> = {
    type: 'chunk-started',
    sequence: 0,
    contextFrame: 0,
    renderedAtMs: 0,
  }
  /** A flush reply waiting for the first silent quantum. */
  private readonly pendingFlush: PositionReport = { ...this.positionReport }
  private flushPending = false

  constructor(options: AudioWorkletNodeOptions) {
    super(options)
    const init = options.processorOptions as AudioProcessorOptions
    this.capture = new CaptureCore({
      contextRate: scope.sampleRate,
      outputRate: init.capture.outputRate,
      frameSamples: init.capture.frameSamples,
    })
    this.playbackOptions = init.playback
    this.playback = playbackCore(init.playback)
    this.port.onmessage = (event: MessageEvent<WorkletCommand>) => this.handle(event.data)
  }

  private handle(command: WorkletCommand): void {
    switch (command.type) {
      case 'chunk':
        this.playback.enqueue(command.itemId, command.pcm, scope.currentFrame)
        break
      case 'flush':
        this.pendingFlush.receivedAtFrame = scope.currentFrame
        this.playback.flush(command.requestId, this)
        break
      case 'capture-format': {
        const format = { contextRate: scope.sampleRate, outputRate: command.outputRate, frameSamples: command.frameSamples }
        this.capture = new CaptureCore(format)
        break
      }
      case 'playback-format':
        // A new output rate starts a fresh ring, as a new output device would.
        this.playbackOptions = { ...this.playbackOptions, sourceRate: command.sourceRate }
        this.playback = playbackCore(this.playbackOptions)
        break
      case 'stats':
        this.port.postMessage({ type: 'stats', ...this.playback.counters() } satisfies PlaybackReport)
        break
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const frame = scope.currentFrame
    const input = inputs[0]
    if (input !== undefined) this.capture.process(input, frame, this)
    const channels = outputs[0]
    const first = channels?.[0]
    if (channels === undefined || first === undefined) return true
    if (this.flushPending) this.sendPendingFlush()
    this.playback.render(first, frame, this)
    for (let c = 1; c < channels.length; c++) channels[c]!.set(first)
    return true // keep running with no input: the mic stays warm for push-to-talk
  }

  frame(buffer: ArrayBuffer, endFrame: number): void {
    this.frameReport.buffer = buffer
    this.frameReport.endFrame = endFrame
    this.frameReport.completedAtMs = epochMs()
    this.port.postMessage(this.frameReport)
  }

  level(rms: number, peak: number): void {
    this.levelReport.rms = rms
    this.levelReport.peak = peak
    this.port.postMessage(this.levelReport)
  }

  position(requestId: number | null, itemId: string | null, playedSamples: number): void {
    const report = requestId === null ? this.positionReport : this.pendingFlush
    report.requestId = requestId
    report.itemId = itemId
    report.playedSamples = playedSamples
    if (requestId === null) {
      report.receivedAtFrame = scope.currentFrame
      report.silentFromFrame = scope.currentFrame
      this.port.postMessage(report)
    } else {
      if (this.flushPending) this.sendPendingFlush() // two flushes in one quantum: answer both
      this.flushPending = true
    }
  }

  private sendPendingFlush(): void {
    this.flushPending = false
    this.pendingFlush.silentFromFrame = scope.currentFrame
    this.pendingFlush.silentAtMs = epochMs()
    this.port.postMessage(this.pendingFlush)
  }

  chunkStarted(sequence: number, contextFrame: number): void {
    if (!this.playbackOptions.reportChunkStarts) return
    this.chunkReport.sequence = sequence
    this.chunkReport.contextFrame = contextFrame
    this.chunkReport.renderedAtMs = epochMs()
    this.port.postMessage(this.chunkReport)
  }
}

registerProcessor(AUDIO_PROCESSOR, DuplexProcessor)
