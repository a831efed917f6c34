import { readFileSync, rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'

describe('speech fixtures made from the WASM voice', () => {
  it('are byte-identical when made again, at the rate and with the silences asked for', async () => {
    // A sentence no other test uses, so deleting its cached file disturbs nobody. Made twice from
    // scratch: a file left in the cache by an earlier run proves nothing about this code.
    const text = 'fixtures are made the same way every time'
    const options = { sampleRate: 16_000, padStartSec: 0.25, padEndSec: 0.5 }
    const fresh = async (): Promise<{ path: string; bytes: Buffer }> => {
      const cached = await speechWav(text, options)
      rmSync(cached)
      const path = await speechWav(text, options)
      return { path, bytes: readFileSync(path) }
    }
    const first = await fresh()
    const { path, bytes } = await fresh()
    expect(path).toBe(first.path)
    expect(bytes.equals(first.bytes)).toBe(true)

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
