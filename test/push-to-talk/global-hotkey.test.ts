/**
 * Choosing and starting the global key: hold through the hook where key-up exists, toggle through
 * the press-only shortcut where it does not (each with the reason the user sees), never a throw.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import {
  loadUiohook,
  planGlobalKey,
  startGlobalHotkey,
  type GlobalHotkeyDeps,
  type HookKeyEvent,
  type KeyHookModule,
} from '../../src-main/push-to-talk/global-hotkey.js'
import { DEFAULT_HOTKEY, formatHotkey, hotkeyFromKeyboardEvent, parseHotkey, type Hotkey } from '../../src-shared/hotkey/hotkey.js'

const KEYS = { Space: 57, F9: 67, Ctrl: 29, CtrlRight: 3613, Alt: 56, AltRight: 3640, Shift: 42, ShiftRight: 54, Meta: 3675, MetaRight: 3676 }

function fakeHook(options: { failStart?: string } = {}) {
  const emitter = new EventEmitter()
  const calls: string[] = []
  const hookModule: KeyHookModule = {
    UiohookKey: KEYS,
    uIOhook: {
      on: (event, listener) => emitter.on(event, listener),
      removeListener: (event, listener) => emitter.removeListener(event, listener),
      start: () => {
        calls.push('start')
        if (options.failStart) throw new Error(options.failStart)
      },
      stop: () => calls.push('stop'),
    },
  }
  const key = (type: 'keydown' | 'keyup', keycode: number, mods: Partial<HookKeyEvent> = {}) =>
    emitter.emit(type, { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods })
  return { hookModule, key, calls, listeners: () => emitter.listenerCount('keydown') + emitter.listenerCount('keyup') }
}

const hotkey = (accelerator: string): Hotkey => {
  const parsed = parseHotkey(accelerator)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.hotkey
}

const X11 = { platform: 'linux' as const, env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' } }

function deps(overrides: Partial<GlobalHotkeyDeps> = {}) {
  const events: string[] = []
  const shortcuts = new Map<string, () => void>()
  const hook = fakeHook()
  const all: GlobalHotkeyDeps = {
    facts: X11,
    hotkey: hotkey(DEFAULT_HOTKEY),
    target: {
      down: (source) => events.push(`down:${source}`),
      up: (source) => events.push(`up:${source}`),
      toggle: (source) => events.push(`toggle:${source}`),
    },
    loadHook: () => hook.hookModule,
    registerShortcut: (accelerator, onPress) => {
      shortcuts.set(accelerator, onPress)
      return true
    },
    unregisterShortcut: (accelerator) => shortcuts.delete(accelerator),
    ...overrides,
  }
  return { all, events, shortcuts, hook }
}

describe('the hotkey', () => {
  it('parses and prints accelerators in one canonical form', () => {
    expect(formatHotkey(hotkey('ctrl+option+space'))).toBe('Control+Alt+Space')
    expect(formatHotkey(hotkey('Super+Shift+k'))).toBe('Shift+Super+K')
    expect(formatHotkey(hotkey('F13'))).toBe('F13')
  })

  it('refuses keys that would fire while typing, or that the hook does not know, saying why', () => {
    expect(parseHotkey('Space')).toEqual({ ok: false, error: expect.stringContaining('Space alone would fire while you type') })
    expect(parseHotkey('Shift+A')).toMatchObject({ ok: false })
    expect(parseHotkey('Control+Enter')).toEqual({ ok: false, error: expect.stringContaining('"Enter" cannot be the push-to-talk key') })
    expect(parseHotkey('Hyper+Space')).toEqual({ ok: false, error: expect.stringContaining('"Hyper" is not a modifier') })
  })

  it('reads a captured DOM key the same way', () => {
    const event = { code: 'KeyK', ctrlKey: true, altKey: false, shiftKey: false, metaKey: false }
    expect(hotkeyFromKeyboardEvent(event)).toEqual({ ok: true, hotkey: hotkey('Control+K') })
    expect(hotkeyFromKeyboardEvent({ ...event, code: 'Digit7', ctrlKey: false, altKey: true })).toEqual({ ok: true, hotkey: hotkey('Alt+7') })
    expect(hotkeyFromKeyboardEvent({ ...event, code: 'F9', ctrlKey: false })).toEqual({ ok: true, hotkey: hotkey('F9') })
  })
})

describe('planning the global key', () => {
  it('holds on X11, Windows and a trusted macOS', () => {
    expect(planGlobalKey(X11)).toEqual({ kind: 'hold' })
    expect(planGlobalKey({ platform: 'win32', env: {} })).toEqual({ kind: 'hold' })
    expect(planGlobalKey({ platform: 'darwin', env: {}, accessibilityTrusted: true })).toEqual({ kind: 'hold' })
  })

  it('toggles on Wayland and on a macOS without the Accessibility permission, saying why', () => {
    const wayland = planGlobalKey({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0', XDG_SESSION_TYPE: 'wayland' } })
    expect(wayland).toEqual({ kind: 'toggle', reason: expect.stringContaining('On Wayland') })
    const mac = planGlobalKey({ platform: 'darwin', env: {}, accessibilityTrusted: false })
    expect(mac).toEqual({ kind: 'toggle', reason: expect.stringContaining('Accessibility permission') })
  })

  it('does not start at all without a display', () => {
    expect(planGlobalKey({ platform: 'linux', env: {} })).toEqual({ kind: 'off', reason: expect.stringContaining('no display') })
  })
})

describe('starting the global key', () => {
  it('hold: the hotkey with its modifiers presses, auto-repeat is dropped, the key or a modifier going up releases', () => {
    const { all, events, hook } = deps()
    const key = startGlobalHotkey(all)
    expect(key.status).toEqual({ mode: 'hold', hotkey: 'Control+Alt+Space' })
    expect(hook.calls).toEqual(['start'])

    hook.key('keydown', KEYS.Space) // no modifiers: just typing a space
    hook.key('keydown', KEYS.Space, { ctrlKey: true }) // Alt missing
    expect(events).toEqual([])
    hook.key('keydown', KEYS.Space, { ctrlKey: true, altKey: true })
    hook.key('keydown', KEYS.Space, { ctrlKey: true, altKey: true }) // auto-repeat
    hook.key('keyup', KEYS.Space, { ctrlKey: true, altKey: true })
    hook.key('keyup', KEYS.Space)
    expect(events).toEqual(['down:global-hold', 'up:global-hold'])

    hook.key('keydown', KEYS.Space, { ctrlKey: true, altKey: true })
    hook.key('keyup', KEYS.AltRight, { ctrlKey: true }) // the modifier let go first
    expect(events.slice(2)).toEqual(['down:global-hold', 'up:global-hold'])

    key.stop()
    expect(hook.calls).toEqual(['start', 'stop'])
    expect(hook.listeners()).toBe(0)
  })

  it('falls back to toggle, with the reason, when the hook cannot load or start', () => {
    const broken = deps({
      loadHook: () => {
        throw new Error('No native build was found for platform=linux arch=riscv64')
      },
    })
    const key = startGlobalHotkey(broken.all)
    expect(key.status).toEqual({
      mode: 'toggle',
      hotkey: 'Control+Alt+Space',
      reason: expect.stringContaining('The key hook could not start (No native build was found'),
    })
    broken.shortcuts.get('Control+Alt+Space')?.()
    broken.shortcuts.get('Control+Alt+Space')?.()
    expect(broken.events).toEqual(['toggle:global-toggle', 'toggle:global-toggle'])
    key.stop()
    expect(broken.shortcuts.size).toBe(0)

    const failing = deps()
    const failingHook = fakeHook({ failStart: 'X error BadWindow' })
    const started = startGlobalHotkey({ ...failing.all, loadHook: () => failingHook.hookModule })
    expect(started.status.mode).toBe('toggle')
    expect(started.status.reason).toContain('BadWindow')
    expect(failingHook.listeners()).toBe(0)
  })

  it('toggle on Wayland; off with the reason when another app holds the shortcut', () => {
    const wayland = { platform: 'linux' as const, env: { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' } }
    const { all, hook } = deps({ facts: wayland })
    expect(startGlobalHotkey(all).status).toMatchObject({ mode: 'toggle', reason: expect.stringContaining('Wayland') })
    expect(hook.calls).toEqual([]) // the hook is never started where it cannot work

    const taken = deps({ facts: wayland, registerShortcut: () => false })
    expect(startGlobalHotkey(taken.all).status).toEqual({
      mode: 'off',
      hotkey: 'Control+Alt+Space',
      reason: expect.stringContaining('Control+Alt+Space is taken by another app'),
    })
  })

  it('off without a display: neither the hook nor the shortcut is touched', () => {
    const { all, hook, shortcuts } = deps({ facts: { platform: 'linux', env: {} } })
    expect(startGlobalHotkey(all).status.mode).toBe('off')
    expect(hook.calls).toEqual([])
    expect(shortcuts.size).toBe(0)
  })

  it('loads the real uiohook-napi lazily, with the key table the matcher needs', () => {
    const real = loadUiohook()
    expect(real.UiohookKey['Space']).toBe(57)
    expect(typeof real.uIOhook.start).toBe('function')
  })
})
