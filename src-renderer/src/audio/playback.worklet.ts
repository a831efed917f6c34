/**
 * AudioWorklet processor for the speaker: a thin shell around `PlaybackCore`. A flush is applied
 * the moment its message arrives (between quanta), so the next quantum is already silent; the
 * reply goes out from that quantum, carrying the frame where silence began.
 */
import { PlaybackCore, type PlaybackSink } from './playback-core.js'
import { epochMs } from './worklet-clock.js'
import {
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackProcessorOptions,
  type PlaybackReport,
} from './worklet-messages.js'

const scope = globalThis as unknown as AudioWorkletScope

type PositionReport = Extract<PlaybackReport, { type: 'position' }>

class PlaybackProcessor extends AudioWorkletProcessor implements PlaybackSink {
  private readonly core: PlaybackCore
  private readonly reportChunkStarts: boolean
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
    const init = options.processorOptions as PlaybackProcessorOptions
    this.reportChunkStarts = init.reportChunkStarts
    this.core = new PlaybackCore({
      contextRate: scope.sampleRate,
      sourceRate: init.sourceRate,
      prebufferMs: init.prebufferMs,
      startAfterChunks: init.startAfterChunks,
      capacitySeconds: init.capacitySeconds,
    })
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => this.handle(event.data)
  }

  private handle(command: PlaybackCommand): void {
    if (command.type === 'chunk') this.core.enqueue(command.itemId, command.pcm, scope.currentFrame)
    else if (command.type === 'flush') {
      this.pendingFlush.receivedAtFrame = scope.currentFrame
      this.core.flush(command.requestId, this)
    } else this.port.postMessage({ type: 'stats', ...this.core.counters() } satisfies PlaybackReport)
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0]
    const first = channels?.[0]
    if (channels === undefined || first === undefined) return true
    if (this.flushPending) this.sendPendingFlush()
    this.core.render(first, scope.currentFrame, this)
    for (let c = 1; c < channels.length; c++) channels[c]!.set(first)
    return true
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
    if (!this.reportChunkStarts) return
    this.chunkReport.sequence = sequence
    this.chunkReport.contextFrame = contextFrame
    this.chunkReport.renderedAtMs = epochMs()
    this.port.postMessage(this.chunkReport)
  }
}

registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor)
