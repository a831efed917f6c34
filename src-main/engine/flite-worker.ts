/**
 * Flite's worker thread (started by `flite.ts`): one synthesis at a time, writing `out.wav` into a
 * private temporary folder. Only Node built-ins here: under the electron-vite build this file is its
 * own entry (`out/main/flite-worker.js`), under tsx and vitest it runs as TypeScript through tsx's
 * loader.
 *
 * One WASI instance serves every synthesis. Instantiating Flite copies its ~17 MB of voice data
 * into a new memory, which cost ~80 ms of CPU per reply, more than the synthesis itself (a short
 * sentence then cost ~150 ms in all, ~35 ms with the instance reused). Before each run the memory
 * gets back the bytes it had when new, so every run starts from the same state (the output is
 * identical, byte for byte, to a fresh instance's) and wasi-libc's run-once guard in `_start` is
 * reset with it. The WASI imports forward to the run's own `WASI` object (its arguments and folder).
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

interface WasmMemory {
  readonly buffer: ArrayBuffer
}
interface WasmInstance {
  readonly exports: { readonly memory?: WasmMemory }
}
/** The two WebAssembly constructors the worker uses: Node has them, but this tsconfig has no DOM
 * lib to type them. */
const wasm = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object
    Instance: new (module: object, imports: Record<string, unknown>) => WasmInstance
  }
}).WebAssembly

/** A memory that has grown this far past its starting size is replaced by a fresh instance
 * (Flite's replies grow it ~4 MB once, then it stays put). */
const MAX_GROWTH_BYTES = 64 * 1024 * 1024

type WasiFunction = (...args: unknown[]) => unknown

class ReusableFlite {
  private instance: WasmInstance
  private pristine: Uint8Array
  private current: WASI | null = null

  constructor(private readonly module: object) {
    ;({ instance: this.instance, pristine: this.pristine } = this.instantiate())
  }

  private instantiate(): { instance: WasmInstance; pristine: Uint8Array } {
    const forward: Record<string, WasiFunction> = {}
    for (const name of Object.keys(new WASI({ version: 'preview1' }).wasiImport)) {
      forward[name] = (...args) => {
        const imports = this.current?.wasiImport as Record<string, WasiFunction> | undefined
        const target = imports?.[name]
        if (!target) throw new Error(`Flite called WASI ${name} outside a run`)
        return target(...args)
      }
    }
    const instance = new wasm.Instance(this.module, { wasi_snapshot_preview1: forward })
    const memory = instance.exports.memory
    if (!memory) throw new Error('Flite exports no memory')
    return { instance, pristine: new Uint8Array(memory.buffer).slice() }
  }

  /** Runs Flite's `main` with `args` in a fresh state; returns its exit code. */
  run(args: string[], dir: string, log: number): number {
    const memory = this.instance.exports.memory
    if (!memory || memory.buffer.byteLength > this.pristine.length + MAX_GROWTH_BYTES) {
      ;({ instance: this.instance, pristine: this.pristine } = this.instantiate())
    }
    const bytes = new Uint8Array((this.instance.exports.memory as WasmMemory).buffer)
    bytes.set(this.pristine)
    bytes.fill(0, this.pristine.length)
    const wasi = new WASI({ version: 'preview1', args, env: {}, preopens: { '.': dir }, stdout: log, stderr: log, returnOnExit: true })
    this.current = wasi
    try {
      return wasi.start(this.instance)
    } finally {
      this.current = null
    }
  }
}

function synthesize(flite: ReusableFlite, voice: string, text: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'voicelive-flite-'))
  const log = openSync(join(dir, 'stdout.txt'), 'w')
  try {
    const exitCode = flite.run(['flite', '-voice', voice, '-t', text, 'out.wav'], dir, log)
    if (exitCode !== 0) throw new Error(`Flite exited with code ${exitCode}`)
    return readFileSync(join(dir, 'out.wav'))
  } finally {
    closeSync(log)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** V8 first runs WASM from its baseline compiler and optimises hot functions in the background:
 * a fresh worker's first syntheses of a short sentence took 55–90 ms, later ones 20–30 ms. A new
 * worker speaks this a few times while idle, so the first reply is not the one that pays. */
const WARM_UP_TEXT = 'Hello there. Sure, I can help with that. What time is it?'
const WARM_UP_RUNS = 3

if (parentPort) {
  const port = parentPort
  const { wasmPath } = workerData as FliteWorkerData
  const flite = new ReusableFlite(new wasm.Module(readFileSync(wasmPath)))
  // One run per turn of the worker's event loop, so a real request waits for at most one.
  const warmUp = (runs: number) =>
    setImmediate(() => {
      try {
        synthesize(flite, 'slt', WARM_UP_TEXT)
      } catch {
        return // a real request will report what is wrong
      }
      if (runs > 1) warmUp(runs - 1)
    })
  warmUp(WARM_UP_RUNS)
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
