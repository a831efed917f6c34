/**
 * The presets store's file in the app: electron-store (conf with Electron's defaults) on
 * `<userData>/presets.json`, the very file the CLI and the harness open with conf. The folder is
 * passed explicitly (`resolveAppDataDir`, which honours VOICE_LIVE_CONFIG_DIR), so all hosts agree.
 * electron-store also answers its renderer helper's `electron-store-get-data` sync message; our
 * preload never sends it, so it adds no reach for the page.
 */
import ElectronStore from 'electron-store'
import { backendFromConf, sharedConfOptions, type StoreBackendFactory } from '../presets/store-backend.js'

export const electronStoreBackend: StoreBackendFactory = ({ cwd, name, schema }) =>
  backendFromConf(new ElectronStore<Record<string, unknown>>({ cwd, name, schema, ...sharedConfOptions }))
