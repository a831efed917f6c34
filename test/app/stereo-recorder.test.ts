import { describe, expect, it } from 'vitest'
import { createStereoRecorder } from '../../src-main/app-services/stereo-recorder.js'

const pcm = (...samples: number[]) => new Uint8Array(Int16Array.from(samples).buffer)

function channels(wav: Uint8Array): { left: number[]; right: number[]; rate: number; channelCount: number } {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength)
  const left: number[] = []
  const right: number[] = []
  for (let offset = 44; offset < wav.byteLength; offset += 4) {
    left.push(view.getInt16(offset, true))
    right.push(view.getInt16(offset + 2, true))
  }
  return { left, right, rate: view.getUint32(24, true), channelCount: view.getUint16(22, true) }
}

describe('stereo session recording', () => {
  it('puts the mic on the left and the assistant on the right, after what was already heard', () => {
    const recorder = createStereoRecorder(24_000)
    recorder.addMic(pcm(1, 2, 3, 4))
    recorder.addAssistant(pcm(10, 20)) // arrives after 4 mic samples: starts there
    recorder.addAssistant(pcm(30)) // queued right after the previous chunk
    recorder.addMic(pcm(5, 6, 7, 8))
    const { left, right, rate, channelCount } = channels(recorder.toWav())
    expect({ rate, channelCount }).toEqual({ rate: 24_000, channelCount: 2 })
    expect(left).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(right).toEqual([0, 0, 0, 0, 10, 20, 30, 0])
  })

  it('erases assistant audio that was queued but not heard when playback is flushed', () => {
    const recorder = createStereoRecorder(24_000)
    recorder.addMic(pcm(1, 1))
    recorder.addAssistant(pcm(9, 9, 9, 9, 9, 9)) // faster than real time: 4 samples ahead of the mic
    recorder.addMic(pcm(1, 1)) // two of them were heard
    recorder.flushAssistant()
    recorder.addMic(pcm(1, 1))
    recorder.addAssistant(pcm(7))
    const { right } = channels(recorder.toWav())
    expect(right).toEqual([0, 0, 9, 9, 0, 0, 7])
  })

  it('converts a 16 kHz mic to the 24 kHz recording', () => {
    const recorder = createStereoRecorder(24_000, 16_000)
    recorder.addMic(pcm(...new Array<number>(320).fill(1000))) // 20 ms at 16 kHz
    expect(recorder.durationSeconds()).toBeCloseTo(0.02, 5)
  })
})
