/**
 * A SecretStore that exists before the OS keychain is open. The shell creates the window first
 * (a macOS keychain prompt can block for as long as the user takes to answer it, and a window that
 * never appears looks like a hung app), hands this store to the app's services, and opens the
 * keychain afterwards. Every load/save waits for the keychain; the services' handlers already wait
 * for the settings, which load the key through this store, so nothing races the prompt.
 *
 * A keychain that fails to open (locked, broken, denied) never fails the app: the key is then kept
 * in memory for this run, and `problem` says why.
 */
import { memorySecretStore, type SecretStore } from '../app-services/index.js'
import type { SecretStoreChoice } from './safe-storage-secret-store.js'

export interface PendingSecretStore {
  readonly store: SecretStore
  /** Hand over the opening keychain; call once, after the window exists. */
  open(opening: Promise<SecretStoreChoice>): void
}

export function pendingSecretStore(problem: (message: string) => void): PendingSecretStore {
  let open!: (opening: Promise<SecretStoreChoice>) => void
  const opened: Promise<SecretStore> = new Promise<Promise<SecretStoreChoice>>((resolve) => (open = resolve)).then(
    (opening) => opening,
  ).then(
    (choice) => {
      if (choice.notPersistedBecause) problem(`the API key is kept for this run only: ${choice.notPersistedBecause}`)
      return choice.store
    },
    (error: unknown) => {
      problem(`the OS keychain could not be opened (${error instanceof Error ? error.message : String(error)}); the API key is kept for this run only`)
      return memorySecretStore()
    },
  )
  let ready: SecretStore | null = null
  void opened.then((store) => (ready = store))
  return {
    store: {
      // Read by the settings view only after a load() has waited for the keychain.
      get persistent() {
        return ready?.persistent ?? false
      },
      load: async () => (await opened).load(),
      save: async (secret) => (await opened).save(secret),
    },
    open,
  }
}
