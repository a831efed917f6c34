/**
 * Keeps the API key encrypted by the OS keychain (Electron safeStorage) in the user-data folder.
 * Where no real keychain exists (Linux `basic_text`, whose key is hard-coded), it refuses to
 * persist and keeps the key in memory for this run, so nothing falsely "secure" lands on disk.
 */
import { readFile, rm } from 'node:fs/promises'
import { safeStorage } from 'electron'
import { memorySecretStore, type SecretStore } from '../app-services/settings-store.js'
import { writeFileAtomic } from '../app-services/write-file-atomic.js'

export interface SecretStoreChoice {
  readonly store: SecretStore
  /** Why the key will not be persisted, for the log; null when it will be. */
  readonly notPersistedBecause: string | null
}

export async function openSafeStorageSecretStore(path: string): Promise<SecretStoreChoice> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return { store: memorySecretStore(), notPersistedBecause: 'the OS offers no encryption for app secrets' }
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return { store: memorySecretStore(), notPersistedBecause: 'no OS keyring was found (basic_text backend)' }
  }
  const store: SecretStore = {
    persistent: true,
    async load() {
      let encrypted: Buffer
      try {
        encrypted = await readFile(path)
      } catch {
        return null // never saved
      }
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted)
      if (shouldReEncrypt) await store.save(result)
      return result
    },
    async save(secret) {
      if (secret === null) return rm(path, { force: true })
      await writeFileAtomic(path, await safeStorage.encryptStringAsync(secret), 0o600)
    },
  }
  return { store, notPersistedBecause: null }
}
