import type { BrowserWindowConstructorOptions } from 'electron'

/** The main window's options; kept as data so a test can assert every security-relevant field. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 780,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Voice Live Desktop',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Push-to-talk from the tray works while the window is hidden: keep audio and timers running.
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
    },
  }
}
