/**
 * The app on the desktop, beyond its window: the tray, the global push-to-talk key and
 * close-to-tray. Electron glue only; the logic it calls is tested elsewhere (tray.ts, close-to-tray.ts,
 * push-to-talk/global-hotkey.ts against fakes; the real key hook under Xvfb).
 *
 * The global key starts after the window exists: libuiohook's start() can die with an X error
 * (BadWindow) while no window has focus.
 */
import { join } from 'node:path'
import { Menu, Notification, Tray, app, globalShortcut, systemPreferences, type BrowserWindow } from 'electron'
import type { AccountStatus } from '../../src-shared/bridge/account-payloads.js'
import type { AppServices } from '../app-services/index.js'
import { loadUiohook, startGlobalHotkey, type GlobalHotkey, type GlobalHotkeyStatus } from '../push-to-talk/global-hotkey.js'
import { keepInTrayOnClose } from './close-to-tray.js'
import { revealWindow } from './single-instance.js'
import { createAppTray, trayIconFor, type TrayActions } from './tray.js'

export interface DesktopIntegrationOptions {
  readonly services: AppServices
  readonly window: BrowserWindow
  readonly userDataDir: string
}

/** What the tray says about the global key: the key to hold, or why it toggles or is off. */
function hotkeyNote(status: GlobalHotkeyStatus): string {
  if (status.mode === 'hold') return `Hold ${status.hotkey} to talk`
  if (status.mode === 'toggle') return `Press ${status.hotkey} to talk, again to send`
  return 'Global key off (see Settings)'
}

export function integrateDesktop(options: DesktopIntegrationOptions): void {
  const { services, window } = options
  const handlers = services.handlers.commands
  const report = (action: string) => (error: unknown) => console.warn(`[tray] ${action} failed: ${String(error)}`)

  keepInTrayOnClose({
    app,
    window,
    noticeMarker: join(options.userDataDir, 'tray-notice-shown'),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show()
    },
  })

  const actions: TrayActions = {
    // The window's audio pipeline follows the session's state, so Start from the tray has a mic.
    start: () => void handlers['session.start']({}).catch(report('start')),
    end: () => void handlers['session.stop']({}).catch(report('end')),
    selectPreset: (id) => void services.presetMenu.select(id).then((view) => tray.update({ currentPresetId: view.selectedId }), report('preset')),
    setTalkMode: (talkMode) => void services.setTalkMode(talkMode).then((view) => tray.update({ talkMode: view.talkMode }), report('talk mode')),
    toggleWindow: () => (window.isVisible() ? window.hide() : revealWindow(window)),
    // With no app registration yet, the Account panel says what to set up: show it.
    signIn: () =>
      void services.accountMenu.signIn().then((status) => {
        if (status.clientId === null) revealWindow(window)
      }, report('sign in')),
    signOut: () => void services.accountMenu.signOut().catch(report('sign out')),
    quit: () => app.quit(),
  }
  const tray = createAppTray({
    electron: { createTray: (iconPath) => new Tray(iconPath), buildMenu: (template) => Menu.buildFromTemplate(template) },
    platform: process.platform,
    // Unpacked next to the asar in a package (electron-builder.yml says why).
    iconDir: join(app.isPackaged ? `${app.getAppPath()}.unpacked` : app.getAppPath(), 'assets', 'tray'),
    listPresets: async () => (await services.presetMenu.list()).presets.map(({ id, name }) => ({ id, name })),
    actions,
    initial: {
      running: false,
      talkMode: 'hands-free',
      windowVisible: true,
      signedIn: false,
      currentPresetId: null,
      hotkeyNote: null,
    },
  })
  void Promise.all([handlers['settings.get']({}), handlers['preset.list']({})])
    .then(([settings, presets]) => tray.update({ talkMode: settings.talkMode, currentPresetId: presets.selectedId }))
    .catch(report('reading the settings'))

  const followAccount = (status: AccountStatus) => void tray.update({ signedIn: status.current !== null })
  services.accountMenu.onStatus(followAccount)
  void services.accountMenu.status().then(followAccount, report('reading the account'))

  let running = false
  services.onActivity((activity) => {
    tray.setIcon(trayIconFor(activity.session, activity.ptt, activity.assistantSpeaking))
    if (services.sessionRunning !== running) {
      running = services.sessionRunning
      void tray.update({ running })
    }
  })
  window.on('show', () => void tray.update({ windowVisible: true }))
  window.on('hide', () => void tray.update({ windowVisible: false }))

  // The key from Settings, now and whenever it changes: the old one is let go first.
  let globalKey: GlobalHotkey | null = null
  services.pushToTalk.followHotkey((hotkey) => {
    globalKey?.stop()
    globalKey = startGlobalHotkey({
      facts: {
        platform: process.platform,
        env: process.env,
        ...(process.platform === 'darwin' ? { accessibilityTrusted: systemPreferences.isTrustedAccessibilityClient(false) } : {}),
      },
      hotkey,
      target: services.pushToTalk.keys,
      loadHook: loadUiohook,
      registerShortcut: (accelerator, onPress) => globalShortcut.register(accelerator, onPress),
      unregisterShortcut: (accelerator) => globalShortcut.unregister(accelerator),
    })
    if (globalKey.status.reason) console.warn(`[push-to-talk] ${globalKey.status.reason}`)
    services.pushToTalk.setGlobalKey(globalKey.status)
    void tray.update({ hotkeyNote: hotkeyNote(globalKey.status) })
  })

  app.on('will-quit', () => {
    globalKey?.stop()
    tray.destroy()
  })
}
