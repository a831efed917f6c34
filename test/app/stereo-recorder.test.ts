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

describe('stereo recording in push-to-talk', () => {
  it('keeps the pauses between held turns, so the two sides stay in time', () => {
    let clockMs = 0
    const recorder = createStereoRecorder(1_000, 1_000, () => clockMs) // 1 sample per ms keeps it readable
    clockMs = 4
    recorder.addMic(pcm(1, 1, 1, 1)) // 0–4 ms: the user holds the key
    clockMs = 1_000 // a second with the key up: no frames at all
    recorder.addAssistant(pcm(5, 5)) // the answer plays now, not right after the user's words
    clockMs = 2_004
    recorder.addMic(pcm(2, 2, 2, 2)) // held again
    const { left, right } = channels(recorder.toWav())
    expect(left.length).toBe(2_004)
    expect(left.slice(0, 4)).toEqual([1, 1, 1, 1])
    expect(left.slice(2_000)).toEqual([2, 2, 2, 2])
    expect(left.slice(4, 2_000).every((s) => s === 0)).toBe(true)
    expect(right.indexOf(5)).toBe(750) // the wall clock, less the jitter allowance of 250 ms
  })

  it('does not chop the mic stream for ordinary frame jitter', () => {
    let clockMs = 0
    const recorder = createStereoRecorder(1_000, 1_000, () => clockMs)
    for (let frame = 1; frame <= 50; frame++) {
      clockMs = frame * 20 + (frame % 3) * 15 // up to 30 ms late
      recorder.addMic(pcm(...new Array<number>(20).fill(frame)))
    }
    const { left } = channels(recorder.toWav())
    expect(left.length).toBe(1_000)
    expect(left.includes(0)).toBe(false)
  })
})
