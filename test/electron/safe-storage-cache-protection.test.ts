/**
 * The app's token cache protection over Electron safeStorage (faked): the file holds no token,
 * reads back, and Linux's basic_text backend persists only when the user agreed.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TokenCacheContext } from '@azure/msal-node'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { tokenCacheFile } from '../../src-main/auth/token-cache-file.js'
import { chooseSafeStorageProtection } from '../../src-main/electron/safe-storage-cache-protection.js'
import { itOnlyOn } from '../support/only-on.js'

vi.mock('electron', () => import('../support/electron-fake.js'))
const { safeStorage, BASIC_TEXT_IS_LINUX_ONLY } = await import('../support/electron-fake.js')

const CACHE = '{"RefreshToken":{"k":{"secret":"rt-SECRET-refresh-token"}}}'

describe('safeStorage token cache protection', () => {
  afterEach(() => {
    safeStorage.available = true
    safeStorage.backend = 'gnome_libsecret'
  })

  it('encrypts the cache file and reads it back', async () => {
    const choice = await chooseSafeStorageProtection({ allowBasicText: false })
    if (!choice.persist) throw new Error(choice.because)
    const path = join(mkdtempSync(join(tmpdir(), 'vl-app-cache-')), 'cache.json')
    const plugin = tokenCacheFile({ path, protection: choice.protection })
    const written = { cacheHasChanged: true, tokenCache: { serialize: () => CACHE, deserialize: () => undefined } }
    await plugin.afterCacheAccess(written as unknown as TokenCacheContext)
    expect(readFileSync(path, 'utf8')).not.toContain('rt-SECRET')
    const received: string[] = []
    const read = {
      cacheHasChanged: false,
      tokenCache: { serialize: () => '', deserialize: (json: string) => received.push(json) },
    }
    await plugin.beforeCacheAccess(read as unknown as TokenCacheContext)
    expect(received).toEqual([CACHE])
  })

  itOnlyOn('linux', BASIC_TEXT_IS_LINUX_ONLY)('basic_text: not persisted unless the user agreed', async () => {
    safeStorage.backend = 'basic_text'
    expect(await chooseSafeStorageProtection({ allowBasicText: false })).toEqual({
      persist: false,
      because: 'no OS keyring was found (basic_text backend)',
    })
    expect((await chooseSafeStorageProtection({ allowBasicText: true })).persist).toBe(true)
  })

  it('no OS encryption: not persisted', async () => {
    safeStorage.available = false
    expect((await chooseSafeStorageProtection({ allowBasicText: true })).persist).toBe(false)
  })
})
