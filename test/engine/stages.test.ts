import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { describe, expect, it, vi } from 'vitest'
import { createFrameVad, VAD_FRAME_SAMPLES } from '../../src-main/engine/frame-vad.js'
import { FLITE_SAMPLE_RATE, prepareSpeech, synthesizeSpeech } from '../../src-main/engine/flite.js'
import type { LibraryHandle } from 'koffi'
import { pocketSphinx, type NativeAccess } from '../../src-main/engine/pocketsphinx.js'
import { createResampler } from '../../src-main/pcm-audio/speex-resampler.js'
import { replyFor } from '../../src-main/engine/responder.js'
import { readPcm16Wav, rms } from '../support/wav.js'
import { silenceWav, speechWav } from '../support/speech-fixture.js'

function sine(frequency: number, rate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: rate * seconds }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / rate)))
}

/** Dominant frequency by counting upward zero crossings. */
function frequencyOf(samples: Int16Array, rate: number): number {
  let crossings = 0
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] ?? 0) < 0 && (samples[i] ?? 0) >= 0) crossings++
  return (crossings * rate) / samples.length
}

/** Real koffi, with every native call written down as `name sync|async [samples]`. */
function recordingNativeCalls(calls: string[]): NativeAccess {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle }
  type Native = ((...args: unknown[]) => unknown) & { async(...args: unknown[]): void }
  const record = (signature: string, fn: Native): Native => {
    const name = /(\w+)\(/.exec(signature)?.[1] ?? signature
    const size = (args: unknown[]) => (name === 'ps_process_raw' ? ` ${String(args[2])}` : '')
    const recorded = (...args: unknown[]) => {
      calls.push(`${name} sync${size(args)}`)
      return fn(...args)
    }
    recorded.async = (...args: unknown[]) => {
      calls.push(`${name} async${size(args)}`)
      fn.async(...args)
    }
    return recorded
  }
  return {
    platform: 'linux',
    loadLibrary: (path) => {
      const library = koffi.load(path)
      const func = (signature: string) => record(signature, library.func(signature) as unknown as Native)
      return new Proxy(library, { get: (target, key) => (key === 'func' ? func : Reflect.get(target, key)) })
    },
  }
}

describe('Speex resampler', () => {
  it('keeps pitch and duration when going 24 kHz → 16 kHz in chunks', async () => {
    const resampler = await createResampler(24_000, 16_000)
    const input = sine(440, 24_000, 1)
    const parts: Int16Array[] = []
    for (let i = 0; i < input.length; i += 480) parts.push(resampler.process(input.subarray(i, i + 480), i + 480 >= input.length))
    resampler.close()
    const output = Int16Array.from(parts.flatMap((part) => [...part]))
    expect(Math.abs(output.length - 16_000)).toBeLessThanOrEqual(4)
    expect(frequencyOf(output.subarray(800, 15_000), 16_000)).toBeCloseTo(440, -1)
  })
})

describe('WebRTC frame VAD', () => {
  it('hears speech frames in a speech WAV and none in silence', async () => {
    const vad = await createFrameVad()
    const count = (samples: Int16Array) => {
      let voiced = 0
      for (let i = 0; i + VAD_FRAME_SAMPLES <= samples.length; i += VAD_FRAME_SAMPLES) if (vad.isSpeech(samples.subarray(i, i + VAD_FRAME_SAMPLES))) voiced++
      return voiced
    }
    const speech = readPcm16Wav(await speechWav('turn off the lights in the kitchen', { sampleRate: 16_000 })).samples
    const silence = readPcm16Wav(await silenceWav(1, 16_000)).samples
    expect(count(speech)).toBeGreaterThan(50)
    expect(count(silence)).toBe(0)
    vad.close()
  })
})

describe('Flite synthesis and PocketSphinx recognition', () => {
  it('speaks a sentence that the recogniser understands (round trip)', async () => {
    const speech = await synthesizeSpeech('turn off the lights in the kitchen')
    expect(speech.length / FLITE_SAMPLE_RATE).toBeGreaterThan(1)
    expect(rms(speech)).toBeGreaterThan(0.02)
    const recognizer = pocketSphinx()
    if (!recognizer.available) throw new Error(recognizer.reason)
    const transcriber = await recognizer.createTranscriber()
    transcriber.start()
    for (let i = 0; i < speech.length; i += 1600) transcriber.feed(speech.subarray(i, i + 1600))
    expect((await transcriber.finish()).text).toBe('turn off the lights in the kitchen')
    await transcriber.close()
  })

  it('makes its derived dictionary and language model again when the cache folder was cleaned under it', async () => {
    const speech = await synthesizeSpeech('hello there')
    // A folder of its own: other test files' engines use the shared one meanwhile.
    const cacheRoot = mkdtempSync(join(tmpdir(), 'recogniser-cache-'))
    const recognizer = pocketSphinx(undefined, undefined, cacheRoot)
    if (!recognizer.available) throw new Error(recognizer.reason)
    await (await recognizer.createTranscriber()).close()
    const derived = readdirSync(cacheRoot)
    expect(derived).toHaveLength(1)
    rmSync(join(cacheRoot, derived[0]!), { recursive: true })
    const transcriber = await recognizer.createTranscriber()
    transcriber.start()
    transcriber.feed(speech)
    expect((await transcriber.finish()).text).toBe('hello there')
    await transcriber.close()
    expect(readdirSync(cacheRoot)).toEqual(derived)
    rmSync(cacheRoot, { recursive: true })
  })

  it('never touches a freed decoder when a session closes while a transcript is being finished', async () => {
    const speech = await synthesizeSpeech('what time is it')
    const recognizer = pocketSphinx()
    if (!recognizer.available) throw new Error(recognizer.reason)
    // finish() after close() used to queue ps_get_hyp behind ps_free (a use-after-free): now it
    // is refused. A finish() already under way when close() comes still gets its transcript.
    const closing = await recognizer.createTranscriber()
    closing.start()
    closing.feed(speech)
    const [closed, late] = await Promise.allSettled([closing.close(), closing.finish()])
    expect(closed.status).toBe('fulfilled')
    expect(late.status === 'rejected' ? String(late.reason) : 'finished on a freed decoder').toMatch(/transcriber is closed/)

    const finishing = await recognizer.createTranscriber()
    finishing.start()
    finishing.feed(speech)
    const [finished] = await Promise.allSettled([finishing.finish(), finishing.close()])
    expect(finished.status === 'fulfilled' ? finished.value.text : String(finished.reason)).toMatch(/time is it/)
    // The process is alive and a new decoder still works.
    const fresh = await recognizer.createTranscriber()
    fresh.start()
    fresh.feed(speech)
    expect((await fresh.finish()).text).toMatch(/time is it/)
    await fresh.close()
  })

  it('starts and warms up Flite ahead of the first reply without keeping the process alive', async () => {
    // An engine that starts (warmUpSpeech) and is never spoken to must not hold its process open.
    const script = "const { warmUpSpeech } = await import('./src-main/engine/flite.ts'); warmUpSpeech(); console.log('started')"
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)))
    const timer = setTimeout(() => child.kill(), 15_000)
    const [code] = (await once(child, 'exit')) as [number | null]
    clearTimeout(timer)
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'started' })
  }, 30_000)

  it('synthesises a reply that several sessions guessed, or asked for at once, only once, and each gets it whole', async () => {
    const guessed = 'Sure, I can help with that, said to everyone at once.'
    const asked = 'And this was asked for by two at once.'
    const [guessedAlone, askedAlone] = [await synthesizeSpeech(guessed), await synthesizeSpeech(asked)]
    const requests = vi.spyOn(Worker.prototype, 'postMessage')
    try {
      for (let session = 0; session < 3; session++) prepareSpeech(guessed)
      const replies = await Promise.all([synthesizeSpeech(guessed), synthesizeSpeech(guessed), synthesizeSpeech(guessed)])
      // A guess is kept for later askers too, and the same guess again is not made again.
      prepareSpeech(guessed)
      replies.push(await synthesizeSpeech(guessed))
      expect(requests).toHaveBeenCalledTimes(1)
      expect(replies).toEqual([guessedAlone, guessedAlone, guessedAlone, guessedAlone])
      // Words nobody guessed: two asks at once share one synthesis, and a later ask makes its own.
      expect(await Promise.all([synthesizeSpeech(asked), synthesizeSpeech(asked)])).toEqual([askedAlone, askedAlone])
      expect(requests).toHaveBeenCalledTimes(2)
      expect(await synthesizeSpeech(asked)).toEqual(askedAlone)
      expect(requests).toHaveBeenCalledTimes(3)
    } finally {
      requests.mockRestore()
    }
  })

  it('survives many sessions synthesizing at once, each getting its own whole sentence', async () => {
    // Concurrent Flite WASI instances used to crash the process (segfault); calls are now queued.
    const texts = ['one two three', 'turn off the lights', 'hello there', 'what time is it', 'goodbye', 'the quick brown fox']
    const together = await Promise.all(texts.map((text) => synthesizeSpeech(text)))
    for (const [index, text] of texts.entries()) {
      expect(together[index]).toEqual(await synthesizeSpeech(text))
    }
  })

  it('catches up on audio that came in a burst in one native call, and keeps utterances apart', async () => {
    const first = await synthesizeSpeech('what time is it')
    const second = await synthesizeSpeech('turn off the lights in the kitchen')
    const calls: string[] = []
    const recognizer = pocketSphinx(undefined, recordingNativeCalls(calls))
    if (!recognizer.available) throw new Error(recognizer.reason)
    const transcriber = await recognizer.createTranscriber()
    // Everything is queued at once, as when a session's audio arrives while its decoder is busy.
    const say = (speech: Int16Array) => {
      transcriber.start()
      for (let i = 0; i < speech.length; i += 320) transcriber.feed(speech.subarray(i, i + 320))
      return transcriber.finish()
    }
    const heard = [say(first), say(second)]
    expect((await heard[0])?.text).toBe('what time is it')
    expect((await heard[1])?.text).toBe('turn off the lights in the kitchen')
    const processed = () => calls.filter((call) => call.startsWith('ps_process_raw'))
    // One call per utterance, not one per 20 ms; the second never joined the first's batch.
    expect(processed()).toEqual([`ps_process_raw async ${first.length}`, `ps_process_raw async ${second.length}`])

    // Audio that comes once a batch is on its way to the decoder starts a batch of its own.
    const half = 320 * Math.floor(first.length / 640)
    transcriber.start()
    transcriber.feed(first.subarray(0, half))
    await vi.waitFor(() => expect(processed()).toHaveLength(3))
    transcriber.feed(first.subarray(half))
    expect((await transcriber.finish()).text).toBe('what time is it')
    expect(processed().slice(2)).toEqual([`ps_process_raw async ${half}`, `ps_process_raw async ${first.length - half}`])
    await transcriber.close()
    // The calls that take milliseconds (model set-up, the lattice, freeing) stay off the event loop.
    const slow = ['ngram_model_read', 'ngram_model_set_init', 'ps_set_lm', 'ps_init', 'ps_end_utt', 'ps_get_hyp', 'ps_seg_iter', 'ps_free']
    expect(calls.filter((call) => slow.includes(call.split(' ')[0]!) && call.includes(' sync'))).toEqual([])
    expect(new Set(calls.filter((call) => slow.includes(call.split(' ')[0]!)).map((call) => call.split(' ')[0]))).toEqual(new Set(slow))
  })

  it('says plainly when the model is missing instead of faking a transcript', () => {
    const recognizer = pocketSphinx('/nonexistent/model')
    expect(recognizer.available).toBe(false)
    if (!recognizer.available) expect(recognizer.reason).toMatch(/model file .* is missing/)
  })
})

describe('reply rules', () => {
  const now = new Date('2026-01-02T09:05:00Z')
  it.each([
    ['hello there', /^Hello!/],
    ['what time is it', /^It is 09:05 UTC\.$/],
    ['can you help me', /local test engine/],
    ['the quick brown fox', /^You said: the quick brown fox\.$/],
    ['', /did not catch/],
  ])('answers %j', (heard, expected) => {
    expect(replyFor({ heard, now })).toMatch(expected)
  })
  it('prefers the script, then a function output, then the missing-recogniser notice', () => {
    expect(replyFor({ heard: 'hello' }, 'Scripted.')).toBe('Scripted.')
    expect(replyFor({ heard: null, functionOutput: '{"temp":21}' })).toBe('The function returned: {"temp":21}')
    expect(replyFor({ heard: '[none]', recognizerMissing: 'no lib' })).toMatch(/no speech recogniser is available/)
  })
})
