/**
 * The app's token cache protection: Electron safeStorage (Keychain, DPAPI, libsecret/kwallet).
 * On Linux's `basic_text` backend the "encryption" key is hard-coded, so the cache is persisted
 * only when the user agreed (`allowBasicText`); otherwise the caller keeps it in memory.
 */
import { safeStorage } from 'electron'
import type { CacheChoice } from '../auth/token-cache-file.js'

export async function chooseSafeStorageProtection(options: { allowBasicText: boolean }): Promise<CacheChoice> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return { persist: false, because: 'the OS offers no encryption for app secrets' }
  }
  if (
    process.platform === 'linux' &&
    safeStorage.getSelectedStorageBackend() === 'basic_text' &&
    !options.allowBasicText
  ) {
    return { persist: false, because: 'no OS keyring was found (basic_text backend)' }
  }
  return {
    persist: true,
    protection: {
      kind: 'safe-storage',
      seal: async (plaintext) => (await safeStorage.encryptStringAsync(plaintext)).toString('base64'),
      open: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
    },
  }
}
