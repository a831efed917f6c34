/**
 * The presets store under plain Node (conf on a real file): what a user keeps, finds and loses
 * (nothing) across reopenings, and the rules for built-ins.
 */
import Conf from 'conf'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { presetSchema } from '../../src-shared/preset/preset.js'
import { openPresetStore, PresetStoreError } from '../../src-main/presets/preset-store.js'
import { confBackend, type StoreBackendFactory } from '../../src-main/presets/store-backend.js'
import { BUILT_IN_NAMES, dataDir, minimalPreset, removeDataDirs, storeFile, storeJson } from './support/store-dir.js'

afterEach(removeDataDirs)

const tutor = presetSchema.parse({
  ...minimalPreset('Tutor'),
  voice: { type: 'azure-standard', name: 'en-US-AvaNeural', rate: '0.9' },
})

describe('the presets store', () => {
  it('round trip: what one opening saves, the next one (and plain conf) reads back', async () => {
    const dir = dataDir()
    const first = await openPresetStore(dir)
    const saved = await first.create(tutor)
    await first.select('tutor')

    const second = await openPresetStore(dir)
    expect(second.find(saved.id)).toEqual(saved)
    expect(second.selection().preset.id).toBe(saved.id)
    expect(second.list().map((p) => p.name)).toEqual([...BUILT_IN_NAMES, 'Tutor'])
    // The same file conf (and so electron-store) opens by name in the data folder.
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'presets' })
    expect(conf.path).toBe(storeFile(dir))
    expect(conf.get('lastUsedPresetId')).toBe(saved.id)
  })

  it('remembers the last used preset and its unsaved edits; reset drops them', async () => {
    const dir = dataDir()
    const store = await openPresetStore(dir)
    expect(store.selection().preset.name).toBe('Casual chat')
    await store.select('Greeter')
    await store.edit({ ...store.current(), instructions: 'Say hello in French.' })
    const reopened = await openPresetStore(dir)
    expect(reopened.selection()).toMatchObject({ builtIn: true, preset: { id: 'greeter' } })
    expect(reopened.current().instructions).toBe('Say hello in French.')
    await reopened.discardEdits()
    expect(reopened.current().instructions).toBe('You are the receptionist of a small company. Be warm and brief.')
  })

  it('selecting another preset (the tray does, without asking) keeps the edits of the one left', async () => {
    const dir = dataDir()
    const store = await openPresetStore(dir)
    const saved = await store.create(tutor)
    await store.select(saved.id)
    await store.edit({ ...store.current(), instructions: 'Correct my Spanish.' })
    await store.select('Greeter')
    expect(store.selection()).toMatchObject({ preset: { id: 'greeter' }, draft: null })
    // The picker marks the preset that still has edits.
    expect(
      store
        .list()
        .filter((p) => p.unsaved)
        .map((p) => p.name),
    ).toEqual(['Tutor'])
    await store.edit({ ...store.current(), instructions: 'Say hello in French.' })
    const reopened = await openPresetStore(dir)
    await reopened.select('Tutor')
    expect(reopened.current().instructions).toBe('Correct my Spanish.')
    expect(
      reopened
        .list()
        .filter((p) => p.unsaved)
        .map((p) => p.name),
    ).toEqual(['Greeter', 'Tutor'])
    await reopened.discardEdits()
    expect(reopened.current().instructions).toBe('Be brief.')
    expect(
      reopened
        .list()
        .filter((p) => p.unsaved)
        .map((p) => p.name),
    ).toEqual(['Greeter'])
  })

  it('an edit that lands after another preset was selected stays with the preset it was made to', async () => {
    const store = await openPresetStore(dataDir())
    const saved = await store.create(tutor)
    await store.select(saved.id)
    const editing = store.current()
    await store.select('Greeter')
    await store.edit({ ...editing, instructions: 'Typed just before the switch.' })
    expect(store.selection()).toMatchObject({ preset: { id: 'greeter' }, draft: null })
    await store.select(saved.id)
    expect(store.current()).toMatchObject({ name: 'Tutor', instructions: 'Typed just before the switch.' })
  })

  it('built-ins are read-only: not saved over, renamed or deleted, but duplicated as "Name (2)"', async () => {
    const store = await openPresetStore(dataDir())
    await store.edit({ ...store.current(), instructions: 'changed' })
    await expect(store.save()).rejects.toMatchObject({ kind: 'read-only' })
    await expect(store.rename('casual-chat', 'Mine')).rejects.toThrow(
      '"Casual chat" is a built-in preset and cannot be renamed.',
    )
    await expect(store.remove('Casual chat')).rejects.toThrow(
      '"Casual chat" is a built-in preset and cannot be deleted.',
    )
    const copy = await store.duplicate('casual-chat')
    expect(copy.name).toBe('Casual chat (2)')
    expect(store.selection().preset.id).toBe(copy.id)
    expect((await store.duplicate('casual-chat')).name).toBe('Casual chat (3)')
  })

  it('saves edits into a user preset, saves as new, renames, deletes and restores (undo)', async () => {
    const dir = dataDir()
    const store = await openPresetStore(dir)
    const saved = await store.create(tutor)
    await store.select(saved.id)
    await store.edit({ ...store.current(), instructions: 'Correct my Spanish.' })
    expect(store.selection().draft).not.toBeNull()
    await store.save()
    expect(store.find('Tutor')?.instructions).toBe('Correct my Spanish.')
    expect(store.selection().draft).toBeNull()

    await store.saveAs('Tutor')
    expect(store.selection().preset.name).toBe('Tutor (2)')
    await expect(store.rename('Tutor (2)', 'tutor')).rejects.toThrow('A preset named "tutor" already exists.')
    const renamed = await store.rename('Tutor (2)', 'Профессор 教授')
    expect(storeJson(dir).presets.map((p) => p.name)).toEqual(['Tutor', 'Профессор 教授'])

    const { preset, index } = await store.remove(saved.id)
    expect(store.find('Tutor')).toBeUndefined()
    await store.restore(preset, index)
    expect(storeJson(dir).presets.map((p) => p.id)).toEqual([saved.id, renamed.id])
  })

  it('retries a write that meets a transient EBUSY (antivirus, indexer) and then succeeds', async () => {
    let failures = 2
    const flaky: StoreBackendFactory = (options) => {
      const real = confBackend(options)
      return {
        ...real,
        write(document) {
          if (failures-- > 0) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' })
          real.write(document)
        },
      }
    }
    const dir = dataDir()
    const store = await openPresetStore(dir, { backend: flaky })
    await store.create(tutor)
    expect(failures).toBeLessThan(0)
    expect(storeJson(dir).presets.map((p) => p.name)).toEqual(['Tutor'])
  })

  it('a write that keeps failing leaves the old file and says why', async () => {
    const dir = dataDir()
    await (await openPresetStore(dir)).create(tutor)
    const before = readFileSync(storeFile(dir), 'utf8')
    let failing = false
    const full: StoreBackendFactory = (options) => {
      const real = confBackend(options)
      return {
        ...real,
        write(document) {
          if (failing) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
          real.write(document)
        },
      }
    }
    const store = await openPresetStore(dir, { backend: full })
    failing = true
    const error = await store.create({ ...tutor, name: 'Other' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PresetStoreError)
    expect((error as Error).message).toMatch(/could not be saved .*ENOSPC.*the file was left as it was/)
    expect(readFileSync(storeFile(dir), 'utf8')).toBe(before)
  })
})
