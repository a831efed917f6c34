/**
 * The app's presets backend (src-main/electron/electron-preset-backend.ts) with the real
 * electron-store, run under plain Node in child processes whose `electron` is the typed fake
 * (test/support/electron-stub-hooks.mjs): the app on electron-store and the CLI on conf open the
 * very same presets.json and see each other's presets and settings, the migrations run on the
 * electron-store path, and the lock holds between an electron-store writer and a conf writer.
 */
import { cpSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, removeDataDirs, storeFile, storeJson } from '../presets/support/store-dir.js'
import { runStore, storeProcess, writeAtOnce, type StoreHost } from '../presets/support/store-processes.js'

const ROOT = resolve(import.meta.dirname, '../..')
const FIXTURES = resolve(ROOT, 'test/presets/fixtures')
afterEach(removeDataDirs)

interface Shown {
  names: string[]
  selected: string
  settings: Record<string, unknown>
  file: string
  electronStoreSetUp: boolean
}
const show = async (host: StoreHost, dir: string): Promise<Shown> =>
  JSON.parse(await runStore(['show', dir], host)) as Shown

describe('the app on electron-store and the CLI on conf, on one presets.json', () => {
  it('open the same file and see each other’s presets and settings', async () => {
    const dir = dataDir()
    await runStore(['create', dir, 'Hecho en la app'], 'app')
    const cli = await show('cli', dir)
    expect(cli).toMatchObject({
      names: ['Hecho en la app'],
      selected: 'Hecho en la app',
      settings: { connection: { endpoint: 'https://Hecho en la app.example' } },
      file: storeFile(dir),
      electronStoreSetUp: false,
    })

    await runStore(['create', dir, 'From the CLI'], 'cli')
    const app = await show('app', dir)
    // The real electron-store ran (it registered its renderer helper on the fake ipcMain).
    expect(app).toMatchObject({
      names: ['Hecho en la app', 'From the CLI'],
      selected: 'From the CLI',
      settings: { connection: { endpoint: 'https://From the CLI.example' } },
      file: storeFile(dir),
      electronStoreSetUp: true,
    })
    expect(readdirSync(dir).sort()).toEqual(['presets.json'])
  }, 60_000)

  it('the migrations run on the electron-store path: a first-release folder moves into the store', async () => {
    const dir = dataDir()
    cpSync(join(FIXTURES, 'v0-edited'), dir, { recursive: true })
    const app = await show('app', dir)
    expect(app).toMatchObject({
      names: ['Casual chat (edited)'],
      selected: 'Casual chat (edited)',
      settings: { connection: { profile: 'api-key' }, talkMode: 'push-to-talk', recordAudio: false },
      electronStoreSetUp: true,
    })
    expect(readdirSync(dir).sort()).toEqual(['current-preset.migrated.json', 'presets.json', 'settings.migrated.json'])
    expect((await openPresetStore(dir)).current().instructions).toBe('You are a pirate. Answer in pirate speak.')
  }, 60_000)

  it('an electron-store writer and a conf writer at the same time lose no update (the lock)', async () => {
    const dir = dataDir()
    await openPresetStore(dir)
    const COUNT = 12
    await writeAtOnce(dir, [
      storeProcess(['write', dir, 'App', String(COUNT)], 'app'),
      storeProcess(['write', dir, 'CLI', String(COUNT)]),
    ])
    const names = storeJson(dir).presets.map((p) => p.name)
    expect(names).toHaveLength(2 * COUNT)
    for (let i = 0; i < COUNT; i++) expect(names).toEqual(expect.arrayContaining([`App ${i}`, `CLI ${i}`]))
  }, 90_000)
})
