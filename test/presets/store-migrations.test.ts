/**
 * Each migration, from fixtures of the older formats (test/presets/fixtures/): the first release's
 * data folder (current-preset.json + settings.json), a version-1 store beside its settings.json
 * (a user of the first presets release), and a store holding a first-format preset.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memorySecretStore, openSettingsStore } from '../../src-main/app-services/settings-store.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { confBackend, type StoreBackendFactory } from '../../src-main/presets/store-backend.js'
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
    // Nothing lost: every setting is in the store, and both old files are kept beside it, renamed.
    expect(store.settings()).toEqual(JSON.parse(settingsBefore))
    expect(existsSync(join(dir, 'current-preset.json'))).toBe(false)
    expect(JSON.parse(readFileSync(join(dir, 'current-preset.migrated.json'), 'utf8'))).toMatchObject({
      instructions: 'You are a pirate. Answer in pirate speak.',
    })
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
    expect(readFileSync(join(dir, 'settings.migrated.json'), 'utf8')).toBe(settingsBefore)
    // What the Settings panel then shows.
    const settings = await openSettingsStore(store, memorySecretStore())
    expect(settings.view()).toMatchObject({
      connection: { profile: 'api-key', endpoint: 'https://example.services.ai.azure.com', apiKeySet: false },
      audio: { inputDeviceLabel: 'USB Mic', echoCancellation: true, autoGainControl: true },
      talkMode: 'push-to-talk',
      recordAudio: false,
    })
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
      schemaVersion: 3,
      presets: [],
      lastUsedPresetId: 'casual-chat',
      drafts: [],
      settings: {},
    })
    expect(store.current().name).toBe('Casual chat')
  })
})

describe('store migrations 1 → 2 (settings.json into the store) and 2 → 3 (a draft per preset)', () => {
  it('a version-1 store gains every setting of settings.json, and its draft is kept', async () => {
    const dir = fromFixture('v1-with-settings')
    const settingsBefore = readFileSync(join(dir, 'settings.json'), 'utf8')
    const problems: string[] = []
    const logged: string[] = []
    const store = await openPresetStore(dir, { onProblem: (m) => problems.push(m), onMigrated: (l) => logged.push(l) })
    expect(problems).toEqual([])
    expect(logged).toEqual(['store 1 → 2: settings.json into presets.json', 'store 2 → 3: one draft per preset'])
    await openPresetStore(dir, { onMigrated: (l) => logged.push(l) })
    expect(logged).toHaveLength(2)
    const onDisk = JSON.parse(readFileSync(storeFile(dir), 'utf8'))
    expect(onDisk).toMatchObject({ schemaVersion: 3, settings: JSON.parse(settingsBefore) })
    expect(onDisk).not.toHaveProperty('draft')
    expect(store.selection()).toMatchObject({
      preset: { name: 'Tutor', instructions: 'Correct my Spanish.' },
      draft: { name: 'Tutor', instructions: 'Correct my Spanish, gently.' },
    })
    expect(readFileSync(join(dir, 'settings.migrated.json'), 'utf8')).toBe(settingsBefore)
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
    const settings = await openSettingsStore(store, memorySecretStore())
    expect(settings.view()).toMatchObject({
      target: { kind: 'agent', name: 'concierge', project: 'hotel', version: '3' },
      connection: { profile: 'microsoft-account', endpoint: 'https://hotel.services.ai.azure.com' },
      audio: { inputDeviceLabel: 'Headset Microphone', outputDeviceLabel: 'Headset Earphone', noiseSuppression: true },
    })
  })

  it('an unreadable settings.json is reported and left in place; the presets still migrate', async () => {
    const dir = fromFixture('v0-settings-unreadable')
    const problems: string[] = []
    const store = await openPresetStore(dir, { onProblem: (m) => problems.push(m) })
    expect(problems).toEqual([
      expect.stringMatching(/^settings.json could not be migrated \(not JSON: .*\); it was left in place$/),
    ])
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toMatch(/^\{ "target"/)
    expect(store.settings()).toEqual({})
    expect(store.current().instructions).toBe('You are a pirate. Answer in pirate speak.')
  })

  it('a write that fails leaves both old files where they were, to be migrated on the next start', async () => {
    const dir = fromFixture('v0-edited')
    const full: StoreBackendFactory = (options) => ({
      ...confBackend(options),
      write: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
      },
    })
    await expect(openPresetStore(dir, { backend: full })).rejects.toThrow(/could not be saved .*ENOSPC/)
    expect(readdirSync(dir).sort()).toEqual(['current-preset.json', 'settings.json'])
    // The disk has room again: the next start migrates them.
    const store = await openPresetStore(dir)
    expect(store.settings()).toMatchObject({ talkMode: 'push-to-talk' })
    expect(
      readdirSync(dir)
        .filter((name) => name.endsWith('.migrated.json'))
        .sort(),
    ).toEqual(['current-preset.migrated.json', 'settings.migrated.json'])
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
    const newer = JSON.stringify({ schemaVersion: 4, presets: [], lastUsedPresetId: 'casual-chat' })
    writeFileSync(storeFile(dir), newer)
    await expect(openPresetStore(dir)).rejects.toThrow(/written by a newer Voice Live Desktop \(format 4\)/)
    expect(readFileSync(storeFile(dir), 'utf8')).toBe(newer)
  })
})
