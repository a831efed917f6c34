/**
 * Auto-update from the release feed (electron-updater, GitHub Releases as configured under
 * `publish` in electron-builder.yml). Off in development (`app.isPackaged` is false under
 * `npm start`, and there is no app-update.yml to read). Quiet when it cannot reach the feed:
 * offline, behind a proxy or rate-limited, the app simply carries on and the log says why.
 * electron-updater is required only here and only in a packaged app, so it never loads in tests
 * or the start-up smoke test.
 */
import { createRequire } from 'node:module'
import { app } from 'electron'
import type { AppUpdater as ElectronUpdater } from 'electron-updater'

/** The part of electron-updater's AppUpdater used here (`on` without its `this`-typed return). */
export type AppUpdater = Pick<ElectronUpdater, 'logger' | 'checkForUpdatesAndNotify'> & {
  on(event: 'error', listener: (error: Error) => void): unknown
}

const requireUpdater = (): AppUpdater =>
  (createRequire(import.meta.url)('electron-updater') as { autoUpdater: AppUpdater }).autoUpdater

export function startAutoUpdates(warn: (message: string) => void, loadUpdater: () => AppUpdater = requireUpdater): void {
  if (!app.isPackaged) return
  const quietly = (error: unknown): void =>
    warn(`update check skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
  try {
    const updater = loadUpdater()
    updater.logger = null // its own logger prints whole HTTP errors to stderr; one line in ours is enough
    updater.on('error', quietly)
    // Downloads in the background and installs on the next quit; the OS notification says so.
    updater.checkForUpdatesAndNotify().catch(quietly)
  } catch (error) {
    quietly(error)
  }
}
