/**
 * The file underneath the presets store. Under plain Node (CLI, harness, tests) it is `conf`; in
 * the app it is `electron-store` (`src-main/electron/electron-preset-backend.ts`), which is `conf`
 * with Electron defaults. Both get the same folder, name and schema, so both use the very same
 * `presets.json`. conf re-reads the file on every `store` access and writes it atomically (temp
 * file + rename, via `atomically`); the store adds the lock, the migrations and the recovery.
 * conf's own `migrations` are not used: the maintainer does not support them (notes/architecture §5).
 */
import Conf from 'conf'
import type { STORE_JSON_SCHEMA } from './store-document.js'

export interface StoreBackend {
  /** The file's absolute path. */
  readonly path: string
  /** The whole file, parsed and checked against the JSON schema; throws if it cannot be. */
  read(): Record<string, unknown>
  /** Replaces the whole file atomically; throws (leaving the old file) if it cannot. */
  write(document: Record<string, unknown>): void
}

export interface StoreBackendOptions {
  /** The app's data folder. */
  readonly cwd: string
  /** The file's base name (`presets` → `presets.json`). */
  readonly name: string
  readonly schema: typeof STORE_JSON_SCHEMA
}

export type StoreBackendFactory = (options: StoreBackendOptions) => StoreBackend

/** conf options both backends share: no dotted keys, and never silently clear an invalid file. */
export const sharedConfOptions = { accessPropertiesByDotNotation: false, clearInvalidConfig: false } as const

/** Wraps a conf (or electron-store) instance. */
export function backendFromConf(conf: Conf<Record<string, unknown>>): StoreBackend {
  return {
    path: conf.path,
    read: () => ({ ...conf.store }),
    write: (document) => {
      conf.store = document
    },
  }
}

export const confBackend: StoreBackendFactory = ({ cwd, name, schema }) =>
  backendFromConf(new Conf<Record<string, unknown>>({ cwd, configName: name, schema, ...sharedConfOptions }))
