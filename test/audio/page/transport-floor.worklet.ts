/**
 * Benchmark-only: the least any worklet design must do. It posts a 960-byte frame to the main
 * thread every 20 ms of input, as the pipeline does, but without resampling, framing or playback;
 * its output is silence. What the real pipeline costs beyond this is its own audio work.
 * (Named for the transport floor; the worklet floor uses it too, with the frames dropped.)
 */
const scope = globalThis as unknown as AudioWorkletScope

class TransportFloorProcessor extends AudioWorkletProcessor {
  private readonly frame = new ArrayBuffer(960)
  private readonly framePeriod = Math.round(scope.sampleRate * 0.02)
  private sinceFrame = 0

  constructor(options: AudioWorkletNodeOptions) {
    super(options)
    this.port.onmessage = () => undefined // playback chunks arrive, and are dropped
  }

  process(inputs: Float32Array[][]): boolean {
    this.sinceFrame += inputs[0]?.[0]?.length ?? 128
    if (this.sinceFrame >= this.framePeriod) {
      this.sinceFrame -= this.framePeriod
      this.port.postMessage(this.frame)
    }
    return true
  }
}

registerProcessor('transport-floor', TransportFloorProcessor)

export {} // a module, so its `scope` is its own
