/**
 * The store across real processes: two writers at once lose no update, and a disk that fills up
 * in the middle of a write leaves the old file whole.
 */
import { execFile, spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { presetSchema } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, minimalPreset, removeDataDirs, storeFile, storeJson } from './support/store-dir.js'

const CHILD = resolve(import.meta.dirname, 'support/store-child.ts')
const ROOT = resolve(import.meta.dirname, '../..')
afterEach(removeDataDirs)

function child(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
}

function finished(process: ReturnType<typeof child>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  process.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((done) => process.on('close', (code) => done({ code, stdout, stderr })))
}

describe('the presets store used by two processes', () => {
  it('two processes creating presets at the same time lose none', async () => {
    const dir = dataDir()
    await openPresetStore(dir)
    const COUNT = 15
    const writers = [child(['write', dir, 'CLI', String(COUNT)]), child(['write', dir, 'App', String(COUNT)])]
    const results = writers.map(finished)
    // Both are up and waiting before either starts, so their writes overlap.
    await Promise.all(
      writers.map(
        (w) => new Promise<void>((ready) => w.stdout.on('data', (d: Buffer) => d.includes('ready') && ready())),
      ),
    )
    writeFileSync(join(dir, 'go'), '')
    for (const result of await Promise.all(results)) expect(result, result.stderr).toMatchObject({ code: 0 })

    const names = storeJson(dir).presets.map((p) => p.name)
    expect(names).toHaveLength(2 * COUNT)
    for (let i = 0; i < COUNT; i++) expect(names).toEqual(expect.arrayContaining([`CLI ${i}`, `App ${i}`]))
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([])
  }, 60_000)

  it('a disk that fills up mid-write leaves the old file intact and is reported', async () => {
    const dir = dataDir()
    const store = await openPresetStore(dir)
    await store.create(presetSchema.parse(minimalPreset('Keep me')))
    const before = readFileSync(storeFile(dir), 'utf8')
    const stdout = await new Promise<string>((done, fail) =>
      execFile(process.execPath, ['--import', 'tsx', CHILD, 'full-disk', dir], { cwd: ROOT }, (error, out) =>
        error ? fail(error) : done(out),
      ),
    )
    expect(stdout.trim()).toMatch(
      /^The presets could not be saved to .*presets\.json \(ENOSPC: no space left on device, write\); the file was left as it was\.$/,
    )
    expect(readFileSync(storeFile(dir), 'utf8')).toBe(before)
    // No half-written temporary file is left behind either.
    expect(readdirSync(dir).sort()).toEqual(['presets.json'])
    expect((await openPresetStore(dir)).problems).toEqual([])
  }, 60_000)
})
