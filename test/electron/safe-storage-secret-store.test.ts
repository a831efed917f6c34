import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openSettingsStore } from '../../src-main/app-services/settings-store.js'
import { openSafeStorageSecretStore } from '../../src-main/electron/safe-storage-secret-store.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { itOnlyOn } from '../support/only-on.js'

vi.mock('electron', () => import('../support/electron-fake.js'))
const { safeStorage, BASIC_TEXT_IS_LINUX_ONLY } = await import('../support/electron-fake.js')

const KEY = 'c0ffee-this-is-a-fake-api-key-1234567890'

describe('safeStorage secret store', () => {
  afterEach(() => {
    safeStorage.available = true
    safeStorage.backend = 'gnome_libsecret'
  })

  it('keeps the key encrypted on disk and reads it back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'api-key.bin')
    const { store, notPersistedBecause } = await openSafeStorageSecretStore(path)
    expect(notPersistedBecause).toBeNull()
    expect(store.persistent).toBe(true)
    expect(await store.load()).toBeNull()
    await store.save(KEY)
    expect(readFileSync(path).toString('latin1')).not.toContain(KEY)
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(await (await openSafeStorageSecretStore(path)).store.load()).toBe(KEY)
    await store.save(null)
    expect(existsSync(path)).toBe(false)
  })

  itOnlyOn('linux', BASIC_TEXT_IS_LINUX_ONLY)('refuses to persist with the hard-coded basic_text key', async () => {
    safeStorage.backend = 'basic_text'
    const path = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'api-key.bin')
    const { store, notPersistedBecause } = await openSafeStorageSecretStore(path)
    expect(notPersistedBecause).toMatch(/no OS keyring/)
    expect(store.persistent).toBe(false)
    await store.save(KEY)
    expect(await store.load()).toBe(KEY) // kept for this run
    expect(existsSync(path)).toBe(false) // and never written
  })

  it('falls back to memory when the OS has no encryption', async () => {
    safeStorage.available = false
    const { store, notPersistedBecause } = await openSafeStorageSecretStore(join(tmpdir(), 'never-written.bin'))
    expect(store.persistent).toBe(false)
    expect(notPersistedBecause).toMatch(/no encryption/)
  })

  it('a key file the keychain cannot decrypt is moved aside: settings still load, the key counts as not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'))
    const path = join(dir, 'api-key.bin')
    writeFileSync(path, Buffer.from('v10-encrypted-by-a-keychain-that-is-gone'))
    const notices: string[] = []
    const { store } = await openSafeStorageSecretStore(path, (message) => notices.push(message))
    const settings = await openSettingsStore(await openPresetStore(dir), store)
    expect(settings.view().connection.apiKeySet).toBe(false)
    expect(notices).toEqual([
      expect.stringMatching(/API key could not be decrypted .*moved to .*api-key\.bin\.unreadable-/),
    ])
    expect(readdirSync(dir).filter((name) => name.startsWith('api-key.bin.unreadable-'))).toHaveLength(1)
    // Entering the key again works and is kept.
    await settings.update({ connection: { apiKey: KEY } })
    expect(await (await openSafeStorageSecretStore(path)).store.load()).toBe(KEY)
  })
})
