/**
 * Each migration, from fixtures of the older formats (test/presets/fixtures/): the first release's
 * data folder (current-preset.json + settings.json) and a store holding a first-format preset.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, removeDataDirs, storeFile } from './support/store-dir.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
afterEach(removeDataDirs)

function fromFixture(name: string): string {
  const dir = dataDir()
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  return dir
}

describe('store migration 0 → 1 (first start after the upgrade)', () => {
  it('an edited current preset becomes a selected user preset, with the talk settings it used', async () => {
    const dir = fromFixture('v0-edited')
    const settingsBefore = readFileSync(join(dir, 'settings.json'), 'utf8')
    const problems: string[] = []
    const store = await openPresetStore(dir, { onProblem: (m) => problems.push(m) })
    expect(problems).toEqual([])
    const { preset, builtIn } = store.selection()
    expect(builtIn).toBe(false)
    expect(preset).toMatchObject({
      name: 'Casual chat (edited)',
      version: 1,
      instructions: 'You are a pirate. Answer in pirate speak.',
      talkMode: 'push-to-talk',
      captureProcessing: { echoCancellation: true, noiseSuppression: false, autoGainControl: true },
      voice: { name: 'en-US-Ava:DragonHDLatestNeural', temperature: 0.8 },
    })
    // Nothing lost: the old file is kept beside the store, settings.json is untouched.
    expect(existsSync(join(dir, 'current-preset.json'))).toBe(false)
    expect(JSON.parse(readFileSync(join(dir, 'current-preset.migrated.json'), 'utf8'))).toMatchObject({
      instructions: 'You are a pirate. Answer in pirate speak.',
    })
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(settingsBefore)
    // It runs once: a second start finds the store and changes nothing.
    const file = readFileSync(storeFile(dir), 'utf8')
    await openPresetStore(dir)
    expect(readFileSync(storeFile(dir), 'utf8')).toBe(file)
  })

  it('an unedited built-in (first-release name) just selects that built-in', async () => {
    const dir = fromFixture('v0-builtin')
    const store = await openPresetStore(dir)
    expect(store.selection()).toMatchObject({ builtIn: true, preset: { id: 'push-to-talk-assistant' } })
    expect(store.list().filter((p) => !p.builtIn)).toEqual([])
  })

  it('an unreadable legacy preset is reported and left where it was', async () => {
    const dir = fromFixture('v0-invalid')
    const problems: string[] = []
    const store = await openPresetStore(dir, { onProblem: (m) => problems.push(m) })
    expect(problems).toEqual([
      expect.stringMatching(/^current-preset.json could not be migrated \(instructions: .*\); it was left in place$/),
    ])
    expect(existsSync(join(dir, 'current-preset.json'))).toBe(true)
    expect(store.selection().preset.id).toBe('casual-chat')
  })

  it('a fresh data folder gets a store with the default built-in selected', async () => {
    const dir = dataDir()
    const store = await openPresetStore(dir)
    expect(JSON.parse(readFileSync(storeFile(dir), 'utf8'))).toEqual({
      schemaVersion: 1,
      presets: [],
      lastUsedPresetId: 'casual-chat',
      draft: null,
    })
    expect(store.current().name).toBe('Casual chat')
  })
})

describe('preset migration 0 → 1 (a stored or imported first-format preset)', () => {
  it('gains a version, defaults, and push-to-talk from its turn detection', async () => {
    const dir = dataDir()
    cpSync(join(FIXTURES, 'v1-with-v0-preset.json'), storeFile(dir))
    const store = await openPresetStore(dir)
    expect(store.current()).toMatchObject({
      id: 'walkie-talkie-1a2b3c',
      name: 'Walkie-talkie',
      version: 1,
      talkMode: 'push-to-talk',
      captureProcessing: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      inputSampleRate: 24_000,
    })
    // Written back in the current format.
    expect(JSON.parse(readFileSync(storeFile(dir), 'utf8')).presets[0]).toMatchObject({
      version: 1,
      talkMode: 'push-to-talk',
    })
  })

  it('refuses a store written by a newer version instead of overwriting it', async () => {
    const dir = dataDir()
    const newer = JSON.stringify({ schemaVersion: 2, presets: [], lastUsedPresetId: 'casual-chat' })
    cpSync(join(FIXTURES, 'v1-with-v0-preset.json'), storeFile(dir))
    const { writeFileSync } = await import('node:fs')
    writeFileSync(storeFile(dir), newer)
    await expect(openPresetStore(dir)).rejects.toThrow(/written by a newer Voice Live Desktop \(format 2\)/)
    expect(readFileSync(storeFile(dir), 'utf8')).toBe(newer)
  })
})
