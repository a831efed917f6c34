/**
 * The Electron shell: app lifecycle, the one window, and wiring the bridge to the app's services.
 * Thin by design: everything here is either Electron API glue or a call into a tested module.
 *
 * Start-up order (test/electron/start-up.test.ts and the smoke test on the built bundle check it):
 * before `ready`, the app:// scheme is registered as privileged (Electron ignores it later) and the
 * single-instance lock is taken; after `ready`, the services and the window come first and the OS
 * keychain is opened only then, so a keychain prompt never hides a window. Any failure on the way
 * shows an error dialog naming the cause and exits with code 1, instead of leaving an invisible
 * process behind.
 */
import { join } from 'node:path'
import { BrowserWindow, app, dialog, session, shell } from 'electron'
import { CONFIG_DIR_VARIABLE, resolveAppDataDir } from '../app-data/app-data-dir.js'
import { createAppServices, type AppServices, type AppServicesOptions } from '../app-services/index.js'
import type { StoreBackendFactory } from '../presets/store-backend.js'
import { serveBridge } from '../bridge/serve-bridge.js'
import { DEVELOPMENT_CSP } from '../renderer-hosting/content-security-policy.js'
import { APP_ENTRY_URL } from './app-origin.js'
import { startAutoUpdates } from './auto-update.js'
import { registerAppScheme, serveRendererFrom } from './app-protocol.js'
import type { DesktopIntegrationOptions } from './desktop-integration.js'
import { openExternalUrl, openSignInPage } from './external-links.js'
import { createIpcTransport } from './ipc-transport.js'
import { pendingSecretStore } from './pending-secret-store.js'
import { quitAfterDispose } from './quit-after-dispose.js'
import { recoverFromRendererCrash } from './renderer-recovery.js'
import { hardenWebContents, installSessionSecurity } from './security-policy.js'
import { chooseSafeStorageProtection } from './safe-storage-cache-protection.js'
import { openSafeStorageSecretStore } from './safe-storage-secret-store.js'
import { claimSingleInstance, revealWindow } from './single-instance.js'
import { mainWindowOptions } from './window-options.js'

/** Set by `electron-vite dev` only; a packaged app always loads app://renderer. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

/** The one window; a second launch and the macOS Dock icon bring it back (single-instance.ts). */
let mainWindow: BrowserWindow | null = null

const warn = (message: string): void => console.warn(`[shell] ${message}`)

export interface ShellOptions {
  /** The app's services; tests pass ones whose dispose hangs or fails. */
  readonly createServices?: (options: AppServicesOptions) => AppServices
  /** How long quitting waits for the services to close (quit-after-dispose.ts). */
  readonly disposeLimitMs?: number
  /** The tray, the global push-to-talk key and close-to-tray; tests under Node pass their own. */
  readonly integrateDesktop?: (options: DesktopIntegrationOptions) => Promise<void>
  /** Loads the presets store's electron-store backend; tests under Node, with no Electron, pass their own. */
  readonly loadPresetBackend?: () => Promise<StoreBackendFactory | undefined>
}

function createMainWindow(services: AppServices): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  const logRejected = (channel: string, reason: string): void => console.warn(`[bridge] rejected ${channel}: ${reason}`)
  const transport = createIpcTransport(window, devServerUrl, logRejected)
  services.attach(serveBridge(transport, services.handlers, { onRejected: logRejected }))
  recoverFromRendererCrash(window, () => services.handlers.commands['session.stop']({}), warn)
  window.on('closed', () => transport.close())
  window.once('ready-to-show', () => window.show())
  window.loadURL(devServerUrl ?? APP_ENTRY_URL).catch((error: unknown) => warn(`the window could not load its page: ${String(error)}`))
  return window
}

/** Everything after `ready`; returns the services so quitting can dispose them. */
function startShell(options: ShellOptions, presetBackend: StoreBackendFactory | undefined): AppServices {
  installSessionSecurity(session.defaultSession, devServerUrl)
  if (devServerUrl) {
    session.defaultSession.webRequest.onHeadersReceived({ urls: [`${devServerUrl}/*`] }, (details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEVELOPMENT_CSP] } }),
    )
  } else {
    serveRendererFrom(join(import.meta.dirname, '../renderer'))
  }
  const userDataDir = app.getPath('userData')
  const secrets = pendingSecretStore((message) => warn(`[settings] ${message}`))
  const services = (options.createServices ?? createAppServices)({
    transportKind: 'electron',
    appVersion: app.getVersion(),
    userDataDir,
    ...(presetBackend ? { presetBackend } : {}),
    secretStore: secrets.store,
    openPath: async (path) => {
      const problem = await shell.openPath(path)
      if (problem) throw new Error(`Could not open ${path}: ${problem}`)
    },
    openExternal: openExternalUrl,
    account: {
      openBrowser: openSignInPage,
      chooseProtection: (allowBasicText) => chooseSafeStorageProtection({ allowBasicText }),
    },
  })
  mainWindow = createMainWindow(services)
  void (options.integrateDesktop ?? loadDesktopIntegration)({ services, window: mainWindow, userDataDir })
  secrets.open(openSafeStorageSecretStore(join(userDataDir, 'api-key.bin')))
  startAutoUpdates(warn)
  return services
}

/**
 * The tray, the global key and close-to-tray, loaded after the window exists (the key hook needs a
 * focused window on X11) and in a chunk of their own: a desktop that cannot offer them (no tray, a
 * hook that fails to load) is logged, and the window and the in-window key go on working.
 */
async function loadDesktopIntegration(options: DesktopIntegrationOptions): Promise<void> {
  try {
    const desktop = await import('./desktop-integration.js')
    desktop.integrateDesktop(options)
  } catch (error) {
    warn(`the tray and the global push-to-talk key are off: ${String(error)}`)
  }
}

/**
 * electron-store, loaded once the app is ready rather than at the bundle's top: it imports
 * `electron` itself, and a store that cannot load must not stop the app. Without it the presets
 * store opens the very same file with conf, electron-store's own base.
 */
async function loadPresetBackend(): Promise<StoreBackendFactory | undefined> {
  try {
    return (await import('./electron-preset-backend.js')).electronStoreBackend
  } catch (error) {
    warn(`electron-store could not load (${String(error)}); presets use conf on the same file`)
    return undefined
  }
}

/** The start-up chain failed: say why, in a dialog (there may be no window), and exit non-zero. */
function failStart(error: unknown): void {
  const cause = error instanceof Error ? error.message : String(error)
  console.error(`[shell] start-up failed: ${error instanceof Error ? error.stack : cause}`)
  dialog.showErrorBox(
    'Voice Live Desktop could not start',
    `${cause}\n\nThe app keeps its settings and logs in ${app.getPath('userData')}; check that this folder exists and is writable.`,
  )
  app.exit(1)
}

export function startElectronApp(options: ShellOptions = {}): void {
  try {
    startBeforeReady(options)
  } catch (error) {
    failStart(error) // showErrorBox is one of the few dialogs allowed before `ready`
  }
}

function startBeforeReady(options: ShellOptions): void {
  // Portable use and tests: the CLI and the harness read the same variable (app-data-dir.ts). Set
  // before the single-instance lock, which is held per data folder.
  if (process.env[CONFIG_DIR_VARIABLE]?.trim()) app.setPath('userData', resolveAppDataDir())
  registerAppScheme()
  // The one place the app takes the single-instance lock: a second launch focuses this window.
  if (!claimSingleInstance(app, () => mainWindow && revealWindow(mainWindow))) return
  app.enableSandbox()
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl))
  // The app lives in the tray: closing the window does not quit (close-to-tray.ts); Quit does.
  app.on('window-all-closed', () => {})
  app.on('activate', () => mainWindow && revealWindow(mainWindow)) // macOS: the Dock icon

  let services: AppServices | null = null
  quitAfterDispose(() => services?.dispose() ?? Promise.resolve(), warn, options.disposeLimitMs)
  app
    .whenReady()
    .then(() => (options.loadPresetBackend ?? loadPresetBackend)())
    .then((presetBackend) => {
      services = startShell(options, presetBackend)
    })
    .catch(failStart)
}
