/**
 * Flite's worker thread (started by `flite.ts`): one synthesis at a time, each in a fresh WASI
 * instance writing `out.wav` into a private temporary folder. Only Node built-ins here: under the
 * electron-vite build this file is its own entry (`out/main/flite-worker.js`), under tsx and vitest
 * it runs as TypeScript through tsx's loader.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WASI } from 'node:wasi'
import { parentPort, workerData } from 'node:worker_threads'

/** What `flite.ts` hands the worker when it starts it. */
export interface FliteWorkerData {
  readonly wasmPath: string
}
export interface FliteRequest {
  readonly id: number
  readonly text: string
  readonly voice: string
}
export type FliteReply = { id: number; wav: Uint8Array } | { id: number; error: string }

/** The two WebAssembly constructors the worker uses: Node has them, but this tsconfig has no DOM
 * lib to type them. */
const wasm = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object
    Instance: new (module: object, imports: Record<string, unknown>) => object
  }
}).WebAssembly

function synthesize(flite: object, voice: string, text: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-flite-'))
  const log = openSync(join(dir, 'stdout.txt'), 'w')
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['flite', '-voice', voice, '-t', text, 'out.wav'],
      env: {},
      preopens: { '.': dir },
      stdout: log,
      stderr: log,
      returnOnExit: true,
    })
    const instance = new wasm.Instance(flite, { wasi_snapshot_preview1: wasi.wasiImport })
    const exitCode = wasi.start(instance)
    if (exitCode !== 0) throw new Error(`Flite exited with code ${exitCode}`)
    return readFileSync(join(dir, 'out.wav'))
  } finally {
    closeSync(log)
    rmSync(dir, { recursive: true, force: true })
  }
}

if (parentPort) {
  const port = parentPort
  const { wasmPath } = workerData as FliteWorkerData
  const flite = new wasm.Module(readFileSync(wasmPath))
  port.on('message', ({ id, text, voice }: FliteRequest) => {
    try {
      const wav = synthesize(flite, voice, text)
      const reply: FliteReply = { id, wav }
      // readFileSync gives the file its own buffer (never a pooled slice), so it can be moved, not copied.
      port.postMessage(reply, [wav.buffer as ArrayBuffer])
    } catch (error) {
      const reply: FliteReply = { id, error: error instanceof Error ? error.message : String(error) }
      port.postMessage(reply)
    }
  })
}
