/**
 * The tray, the single-instance lock and close-to-tray, run against fakes that `satisfy` Electron's
 * own `Tray` and `App` shapes (electron.d.ts), so a renamed or retyped Electron API breaks the
 * typecheck here instead of the app. Also: the committed icons are exactly what the script draws.
 */
import { EventEmitter } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { App, BrowserWindow, MenuItemConstructorOptions, Tray } from 'electron'
import { afterEach, describe, expect, it } from 'vitest'
import { CLOSE_TO_TRAY_NOTICE, keepInTrayOnClose } from '../../src-main/electron/close-to-tray.js'
import { claimSingleInstance, revealWindow } from '../../src-main/electron/single-instance.js'
import {
  createAppTray,
  trayIconFor,
  trayIconPath,
  type TrayActions,
  type TrayMenuState,
} from '../../src-main/electron/tray.js'
// @ts-expect-error: a plain .mjs script without type declarations
import { renderTrayIcons, TRAY_ICON_DIR, TRAY_STATES } from '../../scripts/tray-icons.mjs'

/** Any of Electron's listener signatures can be stored where this is expected. */
type Listener = (...args: never[]) => void

interface FakeMenu {
  readonly template: MenuItemConstructorOptions[]
}

function fakeTray() {
  const events = new EventEmitter()
  const calls: string[] = []
  let menu: FakeMenu | null = null
  const tray = {
    setImage(image: Parameters<Tray['setImage']>[0]) {
      calls.push(`image ${String(image)}`)
    },
    setToolTip(toolTip: string) {
      calls.push(`tooltip ${toolTip}`)
    },
    setContextMenu(next: FakeMenu) {
      menu = next
    },
    on(event: string, listener: Listener) {
      events.on(event, listener as (...args: unknown[]) => void)
      return this as unknown as Tray
    },
    destroy() {
      calls.push('destroy')
    },
  } satisfies Pick<Tray, 'setImage' | 'setToolTip' | 'on' | 'destroy'> & { setContextMenu(menu: FakeMenu): void }
  return { tray, calls, click: () => events.emit('click'), menu: () => menu }
}

const initial: TrayMenuState = {
  running: false,
  talkMode: 'push-to-talk',
  windowVisible: true,
  signedIn: false,
  currentPresetId: 'assistant',
  hotkeyNote: 'Hold Control+Alt+Space to talk',
}

function setup(platform: NodeJS.Platform = 'linux', listPresets = async () => [
  { id: 'assistant', name: 'Assistant' },
  { id: 'greeter', name: 'Greeter' },
]) {
  const fake = fakeTray()
  const done: string[] = []
  const actions: TrayActions = {
    start: () => done.push('start'),
    end: () => done.push('end'),
    selectPreset: (id) => done.push(`preset ${id}`),
    setTalkMode: (mode) => done.push(`mode ${mode}`),
    toggleWindow: () => done.push('toggle-window'),
    signIn: () => done.push('sign-in'),
    signOut: () => done.push('sign-out'),
    quit: () => done.push('quit'),
  }
  let created: string | null = null
  const tray = createAppTray<FakeMenu>({
    electron: {
      createTray: (iconPath) => {
        created = iconPath
        return fake.tray
      },
      buildMenu: (template) => ({ template }),
    },
    platform,
    iconDir: '/icons',
    listPresets,
    actions,
    initial,
  })
  const menu = () => fake.menu()?.template ?? []
  const item = (label: string) => {
    const found = menu()
      .flatMap((entry) => [entry, ...(Array.isArray(entry.submenu) ? entry.submenu : [])])
      .find((entry) => entry.label === label)
    if (!found) throw new Error(`no menu item ${label} in ${menu().map((entry) => entry.label).join(', ')}`)
    return found
  }
  const click = (label: string) => (item(label).click as () => void)()
  return { tray, fake, done, menu, item, click, created: () => created }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('tray', () => {
  it('starts idle, and its menu has Start, the presets, the talk modes, the window, sign-in and Quit', async () => {
    const { fake, menu, item, click, done, created } = setup()
    await settle()
    expect(created()).toBe('/icons/tray-idle.png')
    expect(fake.calls).toEqual(['tooltip Voice Live Desktop: ready'])
    expect(menu().map((entry) => entry.label ?? `-${entry.type}-`)).toEqual([
      'Start',
      'Preset',
      '-separator-',
      'Hands-free',
      'Push-to-talk',
      'Hold Control+Alt+Space to talk',
      '-separator-',
      'Hide window',
      'Sign in…',
      '-separator-',
      'Quit Voice Live Desktop',
    ])
    expect(item('Assistant')).toMatchObject({ type: 'radio', checked: true })
    expect(item('Push-to-talk')).toMatchObject({ checked: true, enabled: true })
    for (const label of ['Start', 'Greeter', 'Hands-free', 'Hide window', 'Sign in…', 'Quit Voice Live Desktop']) click(label)
    expect(done).toEqual(['start', 'preset greeter', 'mode hands-free', 'toggle-window', 'sign-in', 'quit'])
  })

  it('while a session runs: End, and the preset and talk mode are locked until it ends', async () => {
    const { tray, item, click, done } = setup()
    await tray.update({ running: true, signedIn: true, windowVisible: false })
    expect(item('Preset').enabled).toBe(false)
    expect(item('Hands-free').enabled).toBe(false)
    click('End')
    click('Show window')
    click('Sign out')
    expect(done).toEqual(['end', 'toggle-window', 'sign-out'])
  })

  it('without sign-in and without a preset store, those items are left out or disabled, never broken', async () => {
    const { tray, menu, item } = setup('linux', async () => {
      throw new Error('presets store is not ready')
    })
    await tray.update({ signedIn: null, hotkeyNote: null })
    expect(menu().some((entry) => entry.label?.startsWith('Sign'))).toBe(false)
    expect(item('Preset')).toMatchObject({ enabled: false, submenu: [] })
  })

  it('shows each state with its own icon and tooltip; template images on macOS', () => {
    const { tray, fake } = setup('darwin')
    tray.setIcon('held')
    tray.setIcon('held') // unchanged: not set again
    tray.setIcon('speaking')
    expect(fake.calls.slice(1)).toEqual([
      'image /icons/tray-heldTemplate.png',
      'tooltip Voice Live Desktop: talking (push-to-talk held)',
      'image /icons/tray-speakingTemplate.png',
      'tooltip Voice Live Desktop: the assistant is speaking',
    ])
    expect(trayIconPath('/icons', 'win32', 'error')).toBe('/icons/tray-error.ico')
    expect(trayIconPath('/icons', 'linux', 'error')).toBe('/icons/tray-error.png')
  })

  it('a click shows or hides the window on Windows and macOS (on Linux the menu does)', () => {
    const mac = setup('darwin')
    mac.fake.click()
    expect(mac.done).toEqual(['toggle-window'])
    const linux = setup('linux')
    linux.fake.click()
    expect(linux.done).toEqual([])
  })

  it('picks the icon from the session, push-to-talk and the assistant', () => {
    expect(trayIconFor('idle', 'off', false)).toBe('idle')
    expect(trayIconFor('connecting', 'off', false)).toBe('connecting')
    expect(trayIconFor('reconnecting', 'off', true)).toBe('connecting')
    expect(trayIconFor('live', 'idle', false)).toBe('listening')
    expect(trayIconFor('live', 'idle', true)).toBe('speaking')
    expect(trayIconFor('live', 'held', true)).toBe('held')
    expect(trayIconFor('live', 'tail', false)).toBe('held')
    expect(trayIconFor('error', 'off', false)).toBe('error')
  })

  it('the committed icons are exactly what scripts/tray-icons.mjs draws, one per state and style', () => {
    const drawn = renderTrayIcons() as Map<string, Buffer>
    expect([...drawn.keys()].sort()).toEqual(readdirSync(TRAY_ICON_DIR as string).sort())
    for (const [name, bytes] of drawn) expect(readFileSync(join(TRAY_ICON_DIR as string, name)).equals(bytes), name).toBe(true)
    expect(TRAY_STATES).toEqual(['idle', 'connecting', 'listening', 'speaking', 'held', 'error'])
    // 16 px and 32 px RGBA PNGs (IHDR width at byte 16)
    expect(drawn.get('tray-held.png')?.readUInt32BE(16)).toBe(16)
    expect(drawn.get('tray-heldTemplate@2x.png')?.readUInt32BE(16)).toBe(32)
    // Windows: one ICO per state with 16, 24 and 32 px PNG entries, each pointing at a real PNG
    const ico = drawn.get('tray-held.ico')!
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 3])
    const entries = [0, 1, 2].map((i) => ({ width: ico.readUInt8(6 + 16 * i), length: ico.readUInt32LE(14 + 16 * i), at: ico.readUInt32LE(18 + 16 * i) }))
    expect(entries.map((entry) => entry.width)).toEqual([16, 24, 32])
    for (const { width, length, at } of entries) {
      const png = ico.subarray(at, at + length)
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect(png.readUInt32BE(16)).toBe(width)
    }
    expect(entries.at(-1)!.at + entries.at(-1)!.length).toBe(ico.length)
  })
})

function fakeApp(hasLock: boolean) {
  const events = new EventEmitter()
  const calls: string[] = []
  const app = {
    requestSingleInstanceLock() {
      calls.push('lock')
      return hasLock
    },
    on(event: string, listener: Listener) {
      events.on(event, listener as (...args: unknown[]) => void)
      return this as unknown as App
    },
    quit() {
      calls.push('quit')
    },
  } satisfies Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>
  return { app, calls, emit: (event: string, ...args: unknown[]) => events.emit(event, ...args) }
}

function fakeWindow() {
  const events = new EventEmitter()
  const calls: string[] = []
  let minimized = true
  const window = {
    isMinimized: () => minimized,
    restore: () => {
      minimized = false
      calls.push('restore')
    },
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
    hide: () => calls.push('hide'),
    on(event: string, listener: Listener) {
      events.on(event, listener as (...args: unknown[]) => void)
      return this as unknown as BrowserWindow
    },
  } satisfies Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus' | 'hide' | 'on'>
  const close = () => {
    let prevented = false
    events.emit('close', { preventDefault: () => (prevented = true) })
    return prevented
  }
  return { window, calls, close }
}

describe('single instance', () => {
  it('the first launch keeps the lock; a second launch focuses its window', () => {
    const { app, calls, emit } = fakeApp(true)
    const win = fakeWindow()
    expect(claimSingleInstance(app, () => revealWindow(win.window))).toBe(true)
    expect(calls).toEqual(['lock'])
    emit('second-instance', {}, ['voice-live-desktop'], '/home/user')
    expect(win.calls).toEqual(['restore', 'show', 'focus'])
  })

  it('a second launch quits at once', () => {
    const { app, calls } = fakeApp(false)
    expect(claimSingleInstance(app, () => {})).toBe(false)
    expect(calls).toEqual(['lock', 'quit'])
  })
})

describe('close to tray', () => {
  let dir = ''
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('closing hides the window, and the notice comes once ever; Quit really closes', () => {
    dir = mkdtempSync(join(tmpdir(), 'tray-'))
    const marker = join(dir, 'tray-notice-shown')
    const notices: string[] = []
    const app = fakeApp(true)
    const win = fakeWindow()
    keepInTrayOnClose({ app: app.app, window: win.window, noticeMarker: marker, notify: (title) => notices.push(title) })

    expect(win.close()).toBe(true)
    expect(win.calls).toEqual(['hide'])
    expect(notices).toEqual([CLOSE_TO_TRAY_NOTICE.title])
    expect(existsSync(marker)).toBe(true)
    expect(win.close()).toBe(true)
    expect(notices).toHaveLength(1)

    // A new run with the same data folder: no notice again.
    const again = fakeWindow()
    keepInTrayOnClose({ app: app.app, window: again.window, noticeMarker: marker, notify: (title) => notices.push(title) })
    again.close()
    expect(notices).toHaveLength(1)

    app.emit('before-quit')
    expect(win.close()).toBe(false)
  })
})
