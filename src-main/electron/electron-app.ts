/**
 * The Electron shell: app lifecycle, the one window, and wiring the bridge to the app's services.
 * Thin by design: everything here is either Electron API glue or a call into a tested module.
 */
import { join } from 'node:path'
import { BrowserWindow, app, session, shell } from 'electron'
import { createAppServices, type AppServices } from '../app-services/index.js'
import { serveBridge } from '../bridge/serve-bridge.js'
import { DEVELOPMENT_CSP } from '../renderer-hosting/content-security-policy.js'
import { APP_ENTRY_URL } from './app-origin.js'
import { registerAppScheme, serveRendererFrom } from './app-protocol.js'
import { openExternalUrl } from './external-links.js'
import { createIpcTransport } from './ipc-transport.js'
import { hardenWebContents, installSessionSecurity } from './security-policy.js'
import { openSafeStorageSecretStore } from './safe-storage-secret-store.js'
import { mainWindowOptions } from './window-options.js'

/** Set by `electron-vite dev` only; a packaged app always loads app://renderer. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

async function createServices(): Promise<AppServices> {
  const userDataDir = app.getPath('userData')
  const secrets = await openSafeStorageSecretStore(join(userDataDir, 'api-key.bin'))
  if (secrets.notPersistedBecause) console.warn(`[settings] the API key is kept for this run only: ${secrets.notPersistedBecause}`)
  return createAppServices({
    transportKind: 'electron',
    appVersion: app.getVersion(),
    userDataDir,
    secretStore: secrets.store,
    openPath: async (path) => {
      const problem = await shell.openPath(path)
      if (problem) throw new Error(`Could not open ${path}: ${problem}`)
    },
    openExternal: openExternalUrl,
  })
}

function createMainWindow(services: AppServices): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  const logRejected = (channel: string, reason: string): void => console.warn(`[bridge] rejected ${channel}: ${reason}`)
  const transport = createIpcTransport(window, devServerUrl, logRejected)
  services.attach(serveBridge(transport, services.handlers, { onRejected: logRejected }))
  window.on('closed', () => transport.close())
  window.once('ready-to-show', () => window.show())
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL)
  return window
}

export function startElectronApp(): void {
  registerAppScheme()
  app.enableSandbox()
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl))
  app.on('window-all-closed', () => app.quit())

  void app.whenReady().then(async () => {
    installSessionSecurity(session.defaultSession, devServerUrl)
    if (devServerUrl) {
      session.defaultSession.webRequest.onHeadersReceived({ urls: [`${devServerUrl}/*`] }, (details, callback) =>
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEVELOPMENT_CSP] } }),
      )
    } else {
      serveRendererFrom(join(import.meta.dirname, '../renderer'))
    }
    const services = await createServices()
    app.on('will-quit', () => void services.dispose())
    createMainWindow(services)
  })
}
