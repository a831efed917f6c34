/** Test-only tap: records what the playback node renders, with the context frame of each quantum. */
const scope = globalThis as unknown as AudioWorkletScope

class RecorderProcessor extends AudioWorkletProcessor {
  private samples = new Float32Array(24_000 * 30)
  private length = 0
  private firstFrame = -1

  constructor(options: AudioWorkletNodeOptions) {
    super(options)
    this.port.onmessage = () => {
      this.port.postMessage({ firstFrame: this.firstFrame, samples: this.samples.slice(0, this.length) })
    }
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0]
    if (this.firstFrame < 0) this.firstFrame = scope.currentFrame
    const block = input ?? new Float32Array(128)
    if (this.length + block.length <= this.samples.length) {
      this.samples.set(block, this.length)
      this.length += block.length
    }
    return true
  }
}

registerProcessor('test-recorder', RecorderProcessor)
