/**
 * Keeps the API key encrypted by the OS keychain (Electron safeStorage) in the user-data folder.
 * Where no real keychain exists (Linux `basic_text`, whose key is hard-coded), it refuses to
 * persist and keeps the key in memory for this run, so nothing falsely "secure" lands on disk.
 * A key file the keychain can no longer decrypt (keychain reset, profile moved, desktop changed)
 * is moved aside with a timestamp and the key counts as not set: the user enters it again,
 * instead of every settings, preset and session command failing on every launch.
 */
import { readFile, rm } from 'node:fs/promises'
import { safeStorage } from 'electron'
import { memorySecretStore, type SecretStore } from '../app-services/settings-store.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'
import { moveAside } from '../app-data/move-aside.js'

export interface SecretStoreChoice {
  readonly store: SecretStore
  /** Why the key will not be persisted, for the log; null when it will be. */
  readonly notPersistedBecause: string | null
}

export async function openSafeStorageSecretStore(
  path: string,
  onNotice: (message: string) => void = (message) => console.warn(`[settings] ${message}`),
): Promise<SecretStoreChoice> {
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
      let decrypted: { result: string; shouldReEncrypt: boolean }
      try {
        decrypted = await safeStorage.decryptStringAsync(encrypted)
      } catch (error) {
        const why = (error as Error).message.slice(0, 200)
        await moveAside(path, `The saved API key could not be decrypted (${why}); enter it again in Settings`, onNotice)
        return null
      }
      if (decrypted.shouldReEncrypt) await store.save(decrypted.result)
      return decrypted.result
    },
    async save(secret) {
      if (secret === null) return rm(path, { force: true })
      await writeFileAtomic(path, await safeStorage.encryptStringAsync(secret), 0o600)
    },
  }
  return { store, notPersistedBecause: null }
}
