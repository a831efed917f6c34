/**
 * The tray: an icon that shows the state (idle, connecting, listening, assistant speaking,
 * push-to-talk held, error) and a menu with Start/End, the presets, hands-free vs push-to-talk,
 * show/hide window, sign in/out and Quit. Every action the icon's click does is also in the menu
 * (on Linux the icon appears only with a menu, and a click may mean nothing).
 *
 * The Electron classes come in as a parameter typed with Electron's own types, so the tests' fakes
 * (test/electron/tray.test.ts) `satisfy` the real shapes and cannot drift. On Linux a changed menu
 * only shows after `setContextMenu` again, so the whole menu is rebuilt on every change.
 */
import { join } from 'node:path'
import type { Menu, MenuItemConstructorOptions, Tray } from 'electron'
import type { SessionState } from '../../src-shared/session-model/session-model.js'
import type { PttPhase, TalkMode } from '../push-to-talk/push-to-talk-machine.js'

export const TRAY_ICON_STATES = ['idle', 'connecting', 'listening', 'speaking', 'held', 'error'] as const
export type TrayIconState = (typeof TRAY_ICON_STATES)[number]

const TOOLTIPS: Readonly<Record<TrayIconState, string>> = {
  idle: 'Voice Live Desktop: ready',
  connecting: 'Voice Live Desktop: connecting…',
  listening: 'Voice Live Desktop: listening',
  speaking: 'Voice Live Desktop: the assistant is speaking',
  held: 'Voice Live Desktop: talking (push-to-talk held)',
  error: 'Voice Live Desktop: the session failed',
}

/** The icon for the session's state, the push-to-talk phase, and whether the assistant is heard. */
export function trayIconFor(session: SessionState['status'], ptt: PttPhase, assistantSpeaking: boolean): TrayIconState {
  if (session === 'error') return 'error'
  if (session === 'connecting' || session === 'reconnecting') return 'connecting'
  if (session !== 'live') return 'idle'
  if (ptt === 'held' || ptt === 'tail') return 'held'
  return assistantSpeaking ? 'speaking' : 'listening'
}

/** What the menu shows; the app keeps it and hands the tray every change. */
export interface TrayMenuState {
  readonly running: boolean
  readonly talkMode: TalkMode
  readonly windowVisible: boolean
  /** null where sign-in is not offered. */
  readonly signedIn: boolean | null
  readonly currentPresetId: string | null
  /** e.g. "Hold Control+Alt+Space to talk", or why the global key toggles. */
  readonly hotkeyNote: string | null
}

export interface TrayActions {
  start(): void
  end(): void
  selectPreset(id: string): void
  setTalkMode(mode: TalkMode): void
  toggleWindow(): void
  signIn(): void
  signOut(): void
  quit(): void
}

/**
 * The Electron parts the tray uses, typed by Electron itself (`MenuHandle` is Electron's `Menu` in
 * the app). Icons go by path: `Tray` loads them, and on macOS picks up `Template` and `@2x` itself.
 */
export interface TrayElectron<MenuHandle = Menu> {
  readonly createTray: (iconPath: string) => Pick<Tray, 'setImage' | 'setToolTip' | 'on' | 'destroy'> & {
    setContextMenu(menu: MenuHandle): void
  }
  readonly buildMenu: (template: MenuItemConstructorOptions[]) => MenuHandle
}

export interface AppTrayOptions<MenuHandle = Menu> {
  readonly electron: TrayElectron<MenuHandle>
  readonly platform: NodeJS.Platform
  /** assets/tray, with `tray-<state>.png` and the macOS `tray-<state>Template.png` (+ @2x). */
  readonly iconDir: string
  readonly listPresets: () => Promise<ReadonlyArray<{ readonly id: string; readonly name: string }>>
  readonly actions: TrayActions
  readonly initial: TrayMenuState
}

export interface AppTray {
  setIcon(state: TrayIconState): void
  update(change: Partial<TrayMenuState>): Promise<void>
  destroy(): void
}

/** The icon file for a state: template images on macOS (it tints them), an ICO on Windows (it picks
 * the size for the display's scaling), coloured PNGs (with @2x) on Linux. */
export function trayIconPath(iconDir: string, platform: NodeJS.Platform, state: TrayIconState): string {
  if (platform === 'win32') return join(iconDir, `tray-${state}.ico`)
  return join(iconDir, `tray-${state}${platform === 'darwin' ? 'Template' : ''}.png`)
}

export function trayMenuTemplate(
  state: TrayMenuState,
  presets: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [
    state.running ? { label: 'End', click: () => actions.end() } : { label: 'Start', click: () => actions.start() },
    {
      label: 'Preset',
      // A session keeps its settings; a new preset applies to the next Start.
      enabled: !state.running && presets.length > 0,
      submenu: presets.map((preset) => ({
        label: preset.name,
        type: 'radio' as const,
        checked: preset.id === state.currentPresetId,
        click: () => actions.selectPreset(preset.id),
      })),
    },
    { type: 'separator' },
    {
      label: 'Hands-free',
      type: 'radio',
      checked: state.talkMode === 'hands-free',
      enabled: !state.running,
      click: () => actions.setTalkMode('hands-free'),
    },
    {
      label: 'Push-to-talk',
      type: 'radio',
      checked: state.talkMode === 'push-to-talk',
      enabled: !state.running,
      click: () => actions.setTalkMode('push-to-talk'),
    },
  ]
  if (state.hotkeyNote) template.push({ label: state.hotkeyNote, enabled: false })
  template.push(
    { type: 'separator' },
    { label: state.windowVisible ? 'Hide window' : 'Show window', click: () => actions.toggleWindow() },
  )
  if (state.signedIn !== null) {
    template.push(
      state.signedIn ? { label: 'Sign out', click: () => actions.signOut() } : { label: 'Sign in…', click: () => actions.signIn() },
    )
  }
  template.push({ type: 'separator' }, { label: 'Quit Voice Live Desktop', click: () => actions.quit() })
  return template
}

export function createAppTray<MenuHandle>(options: AppTrayOptions<MenuHandle>): AppTray {
  const { electron, platform, iconDir, actions } = options
  const image = (state: TrayIconState) => trayIconPath(iconDir, platform, state)
  const tray = electron.createTray(image('idle'))
  tray.setToolTip(TOOLTIPS.idle)
  let state = options.initial
  let icon: TrayIconState = 'idle'
  let destroyed = false
  // Windows and macOS: a click shows or hides the window (the menu has the same item).
  if (platform !== 'linux') tray.on('click', () => actions.toggleWindow())

  const rebuild = async () => {
    let presets: ReadonlyArray<{ readonly id: string; readonly name: string }> = []
    try {
      presets = await options.listPresets()
    } catch {
      // The menu still works without its preset list; the window shows the store's error.
    }
    if (!destroyed) tray.setContextMenu(electron.buildMenu(trayMenuTemplate(state, presets, actions)))
  }
  void rebuild()

  return {
    setIcon(next) {
      if (next === icon || destroyed) return
      icon = next
      tray.setImage(image(next))
      tray.setToolTip(TOOLTIPS[next])
    },
    update(change) {
      state = { ...state, ...change }
      return rebuild()
    },
    destroy() {
      destroyed = true
      tray.destroy()
    },
  }
}
