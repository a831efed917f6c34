/**
 * The Electron shell: app lifecycle, the one window, and wiring the bridge to the app's services.
 * Thin by design: everything here is either Electron API glue or a call into a tested module.
 */
import { join } from 'node:path'
import { BrowserWindow, app, session } from 'electron'
import { serveBridge, type BridgeHandlers } from '../bridge/serve-bridge.js'
import { DEVELOPMENT_CSP } from '../renderer-hosting/content-security-policy.js'
import { APP_ENTRY_URL } from './app-origin.js'
import { registerAppScheme, serveRendererFrom } from './app-protocol.js'
import { openExternalUrl } from './external-links.js'
import { createIpcTransport } from './ipc-transport.js'
import { hardenWebContents, installSessionSecurity } from './security-policy.js'
import { mainWindowOptions } from './window-options.js'

/** Set by `electron-vite dev` only; a packaged app always loads app://renderer. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

function createHandlers(): BridgeHandlers {
  return {
    commands: {
      'app.info': async () => ({
        name: app.getName(),
        version: app.getVersion(),
        transport: 'electron',
        features: { tray: false, globalHotkey: false, secureStorage: false },
      }),
      'session.start': async () => {
        throw new Error('Voice sessions are not wired into the app yet.')
      },
      'session.stop': async () => ({}),
      'shell.open-external': async ({ url }) => {
        await openExternalUrl(url)
        return {}
      },
    },
    sends: {
      'audio.mic-frame': () => undefined,
      'audio.playback-position': () => undefined,
    },
  }
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  const transport = createIpcTransport(window, devServerUrl, (channel, reason) =>
    console.warn(`[bridge] rejected ${channel}: ${reason}`),
  )
  serveBridge(transport, createHandlers(), {
    onRejected: (channel, reason) => console.warn(`[bridge] rejected ${channel}: ${reason}`),
  })
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

  void app.whenReady().then(() => {
    installSessionSecurity(session.defaultSession, devServerUrl)
    if (devServerUrl) {
      session.defaultSession.webRequest.onHeadersReceived({ urls: [`${devServerUrl}/*`] }, (details, callback) =>
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEVELOPMENT_CSP] } }),
      )
    } else {
      serveRendererFrom(join(import.meta.dirname, '../renderer'))
    }
    createMainWindow()
  })
}
