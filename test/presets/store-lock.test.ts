/**
 * The lock beside presets.json when its holder is not a well-behaved writer: one left by a process
 * that crashed is taken over, so the app and the CLI keep working; a live holder makes a writer
 * wait and then say plainly what blocks it; a lock older than any write is taken over too.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { presetSchema } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, minimalPreset, removeDataDirs, storeFile, storeJson } from './support/store-dir.js'

afterEach(removeDataDirs)

const lockFile = (dir: string) => `${storeFile(dir)}.lock`
/** The pid of a process that has already exited. */
const deadPid = (): number =>
  Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']))

describe('the presets lock', () => {
  it('a lock left by a process that died is taken over; the change goes through', async () => {
    const dir = dataDir()
    writeFileSync(lockFile(dir), `${deadPid()} ${Date.now()} crashed`)
    const store = await openPresetStore(dir, { lock: { timeoutMs: 5_000 } })
    await store.create(presetSchema.parse(minimalPreset('After the crash')))
    expect(storeJson(dir).presets.map((p) => p.name)).toEqual(['After the crash'])
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([])
  })

  it('a live holder: the writer waits, then says what blocks it, and writes nothing', async () => {
    const dir = dataDir()
    writeFileSync(lockFile(dir), `${process.pid} ${Date.now()} busy`)
    await expect(openPresetStore(dir, { lock: { timeoutMs: 300 } })).rejects.toThrow(
      `The presets are locked by another process (${lockFile(dir)}); try again, or delete the lock file.`,
    )
    expect(existsSync(storeFile(dir))).toBe(false)
    expect(existsSync(lockFile(dir))).toBe(true)
  })

  it('a lock older than any write could take is taken over even if its pid is alive (reused)', async () => {
    const dir = dataDir()
    writeFileSync(lockFile(dir), `${process.pid} 0 ancient`)
    const old = new Date(Date.now() - 60_000)
    utimesSync(lockFile(dir), old, old)
    const store = await openPresetStore(dir, { lock: { timeoutMs: 5_000, staleAfterMs: 30_000 } })
    expect(store.list().length).toBeGreaterThan(0)
    expect(existsSync(join(dir, 'presets.json.lock'))).toBe(false)
  })
})
