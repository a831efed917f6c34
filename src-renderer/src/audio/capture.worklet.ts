/**
 * AudioWorklet processor for the microphone: a thin shell around `CaptureCore`. Messages it
 * posts reuse one object each, and frame buffers are transferred (same process, no copy).
 */
import { CaptureCore, type CaptureSink } from './capture-core.js'
import { epochMs } from './worklet-clock.js'
import {
  CAPTURE_PROCESSOR,
  type CaptureCommand,
  type CaptureProcessorOptions,
  type CaptureReport,
} from './worklet-messages.js'

const scope = globalThis as unknown as AudioWorkletScope

class CaptureProcessor extends AudioWorkletProcessor implements CaptureSink {
  private core: CaptureCore
  private readonly frameReport: Extract<CaptureReport, { type: 'frame' }> = {
    type: 'frame',
    buffer: new ArrayBuffer(0),
    endFrame: 0,
    completedAtMs: 0,
  }
  private readonly levelReport: Extract<CaptureReport, { type: 'level' }> = { type: 'level', rms: 0, peak: 0 }
  private readonly transferList: ArrayBuffer[] = []

  constructor(options: AudioWorkletNodeOptions) {
    super(options)
    const init = options.processorOptions as CaptureProcessorOptions
    this.core = new CaptureCore(
      { contextRate: scope.sampleRate, outputRate: init.outputRate, frameSamples: init.frameSamples },
      init.gateOpen,
    )
    this.port.onmessage = (event: MessageEvent<CaptureCommand>) => this.handle(event.data)
  }

  private handle(command: CaptureCommand): void {
    if (command.type === 'gate') this.core.setGate(command.open)
    else if (command.type === 'recycle') for (const buffer of command.buffers) this.core.recycle(buffer)
    else {
      const { gateOpen } = this.core
      const format = { contextRate: scope.sampleRate, outputRate: command.outputRate, frameSamples: command.frameSamples }
      this.core = new CaptureCore(format, gateOpen)
    }
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0]
    if (channels !== undefined) this.core.process(channels, scope.currentFrame, this)
    return true // keep running with no input: the mic stays warm for push-to-talk
  }

  frame(buffer: ArrayBuffer, endFrame: number): void {
    this.frameReport.buffer = buffer
    this.frameReport.endFrame = endFrame
    this.frameReport.completedAtMs = epochMs()
    this.transferList[0] = buffer
    this.port.postMessage(this.frameReport, this.transferList)
  }

  level(rms: number, peak: number): void {
    this.levelReport.rms = rms
    this.levelReport.peak = peak
    this.port.postMessage(this.levelReport)
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor)
