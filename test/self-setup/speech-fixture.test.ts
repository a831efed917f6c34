import { readFileSync, rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'

describe('speech fixtures made from the WASM voice', () => {
  it('are byte-identical when made again, at the rate and with the silences asked for', async () => {
    // A sentence no other test uses, so deleting its cached file disturbs nobody.
    const text = 'fixtures are made the same way every time'
    const path = await speechWav(text, { sampleRate: 16_000, padStartSec: 0.25, padEndSec: 0.5 })
    const first = readFileSync(path)
    rmSync(path)
    expect(await speechWav(text, { sampleRate: 16_000, padStartSec: 0.25, padEndSec: 0.5 })).toBe(path)
    expect(readFileSync(path).equals(first)).toBe(true)

    const { sampleRate, channels, samples } = readPcm16Wav(path)
    expect({ sampleRate, channels }).toEqual({ sampleRate: 16_000, channels: 1 })
    const start = samples.subarray(0, 4_000)
    const end = samples.subarray(samples.length - 8_000)
    // Quiet as a microphone: at most one step of noise, never exact digital silence.
    for (const pad of [start, end]) {
      expect(Math.max(...pad.map(Math.abs))).toBe(1)
    }
    expect(rms(samples.subarray(4_000, samples.length - 8_000))).toBeGreaterThan(0.02)
  })
})
