/**
 * Store processes for tests (store-child.ts): the CLI's kind (conf) or the app's (the real
 * electron-store, with `electron` resolved to the typed fake by electron-stub-hooks.mjs).
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')
const CHILD = resolve(import.meta.dirname, 'store-child.ts')

export type StoreHost = 'app' | 'cli'
export type StoreProcess = ReturnType<typeof spawn>
export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export function storeProcess(args: string[], host: StoreHost = 'cli') {
  const hooks = host === 'app' ? ['--import', './test/support/electron-stub-hooks.mjs'] : []
  const env = { ...process.env, STORE_BACKEND: host === 'app' ? 'electron-store' : 'conf' }
  return spawn(process.execPath, ['--import', 'tsx', ...hooks, CHILD, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export function finished(child: ReturnType<typeof storeProcess>): Promise<Finished> {
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

/** Runs one store process to its end; it must succeed. Its stdout. */
export async function runStore(args: string[], host: StoreHost = 'cli'): Promise<string> {
  const result = await finished(storeProcess(args, host))
  expect(result, result.stderr).toMatchObject({ code: 0 })
  return result.stdout
}

/** `write` processes that start writing together once all are up (so their writes overlap); each must succeed. */
export async function writeAtOnce(dir: string, writers: ReturnType<typeof storeProcess>[]): Promise<void> {
  const results = writers.map(finished)
  await Promise.all(
    writers.map(
      (w) => new Promise<void>((ready) => w.stdout.on('data', (d: Buffer) => d.includes('ready') && ready())),
    ),
  )
  writeFileSync(join(dir, 'go'), '')
  for (const result of await Promise.all(results)) expect(result, result.stderr).toMatchObject({ code: 0 })
}
