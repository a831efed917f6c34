/**
 * The store across real processes: two writers at once lose no update, and a disk that fills up
 * in the middle of a write leaves the old file whole.
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { presetSchema } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, minimalPreset, removeDataDirs, storeFile, storeJson } from './support/store-dir.js'
import { storeProcess, writeAtOnce } from './support/store-processes.js'

const CHILD = resolve(import.meta.dirname, 'support/store-child.ts')
const ROOT = resolve(import.meta.dirname, '../..')
afterEach(removeDataDirs)

describe('the presets store used by two processes', () => {
  it('two processes creating presets at the same time lose none', async () => {
    const dir = dataDir()
    await openPresetStore(dir)
    const COUNT = 15
    await writeAtOnce(dir, [
      storeProcess(['write', dir, 'CLI', String(COUNT)]),
      storeProcess(['write', dir, 'App', String(COUNT)]),
    ])

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
