/**
 * The global push-to-talk key: true hold-to-talk through a key hook (uiohook-napi: key-down and
 * key-up from any app on Windows, macOS and X11), or, where key-up cannot be had, toggle mode
 * through a press-only global shortcut (Electron's `globalShortcut`): press to start, press to send.
 *
 * Which one is decided from facts about the desktop (`planGlobalKey`), and every fallback carries
 * the reason in words the user can act on; the UI shows it. Starting never throws: a hook that
 * cannot load or start falls back to toggle mode, a shortcut another app holds turns the global
 * key off, with the reason either way. Electron-free: the hook and the shortcut are injected.
 */
import { createRequire } from 'node:module'
import type * as Uiohook from 'uiohook-napi'
import { formatHotkey, type Hotkey } from '../../src-shared/hotkey/hotkey.js'

export interface DesktopFacts {
  readonly platform: NodeJS.Platform
  readonly env: Readonly<Record<string, string | undefined>>
  /** macOS only: `systemPreferences.isTrustedAccessibilityClient(false)`. */
  readonly accessibilityTrusted?: boolean
}

export type GlobalKeyPlan = { readonly kind: 'hold' } | { readonly kind: 'toggle'; readonly reason: string } | { readonly kind: 'off'; readonly reason: string }

export function planGlobalKey(facts: DesktopFacts): GlobalKeyPlan {
  const { env } = facts
  if (facts.platform === 'linux') {
    const wayland = env['XDG_SESSION_TYPE'] === 'wayland' || (!env['DISPLAY'] && Boolean(env['WAYLAND_DISPLAY']))
    if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
      return { kind: 'off', reason: 'There is no display (no DISPLAY or WAYLAND_DISPLAY), so there is no keyboard to listen to.' }
    }
    if (wayland) {
      return {
        kind: 'toggle',
        reason:
          'On Wayland, apps cannot see key releases made in other apps, so the global key toggles: press once to talk, press again to send. Hold-to-talk works in this window, or in an X11 session.',
      }
    }
  }
  if (facts.platform === 'darwin' && facts.accessibilityTrusted === false) {
    return {
      kind: 'toggle',
      reason:
        'Hold-to-talk from other apps needs the Accessibility permission (System Settings → Privacy & Security → Accessibility). Until it is granted, the global key toggles: press once to talk, press again to send.',
    }
  }
  return { kind: 'hold' }
}

/** The part of a uiohook keyboard event the hook source reads. */
export interface HookKeyEvent {
  readonly keycode: number
  readonly ctrlKey: boolean
  readonly altKey: boolean
  readonly shiftKey: boolean
  readonly metaKey: boolean
}

/** The slice of `uiohook-napi` used here; the real module satisfies it. */
export interface KeyHookModule {
  readonly UiohookKey: Readonly<Record<string, number>>
  readonly uIOhook: {
    on(event: 'keydown' | 'keyup', listener: (event: HookKeyEvent) => void): unknown
    removeListener(event: 'keydown' | 'keyup', listener: (event: HookKeyEvent) => void): unknown
    start(): void
    stop(): void
  }
}

/** Where the presses go: the push-to-talk machine. */
export interface KeyTarget {
  down(source: string): void
  up(source: string): void
  toggle(source: string): void
}

export interface GlobalHotkeyDeps {
  readonly facts: DesktopFacts
  readonly hotkey: Hotkey
  readonly target: KeyTarget
  /** Loads uiohook-napi lazily; throws if the native module cannot load. */
  readonly loadHook: () => KeyHookModule
  /** `globalShortcut.register`: false when another app holds the shortcut. */
  readonly registerShortcut: (accelerator: string, onPress: () => void) => boolean
  readonly unregisterShortcut: (accelerator: string) => void
}

export interface GlobalHotkeyStatus {
  readonly mode: 'hold' | 'toggle' | 'off'
  readonly hotkey: string
  /** Why the key does not give true hold-to-talk here; absent in hold mode. */
  readonly reason?: string
}

export interface GlobalHotkey {
  readonly status: GlobalHotkeyStatus
  stop(): void
}

export const HOLD_SOURCE = 'global-hold'
export const TOGGLE_SOURCE = 'global-toggle'

/** Decide, then start the hold hook or the toggle shortcut. Never throws. */
export function startGlobalHotkey(deps: GlobalHotkeyDeps): GlobalHotkey {
  const accelerator = formatHotkey(deps.hotkey)
  const plan = planGlobalKey(deps.facts)
  if (plan.kind === 'off') return { status: { mode: 'off', hotkey: accelerator, reason: plan.reason }, stop: () => {} }
  if (plan.kind === 'hold') {
    try {
      return startHold(deps, accelerator)
    } catch (error) {
      const why = `The key hook could not start (${error instanceof Error ? error.message : String(error)})`
      return startToggle(deps, accelerator, `${why}, so the global key toggles: press once to talk, press again to send.`)
    }
  }
  return startToggle(deps, accelerator, plan.reason)
}

function startHold(deps: GlobalHotkeyDeps, accelerator: string): GlobalHotkey {
  const hookModule = deps.loadHook()
  const matcher = holdMatcher(deps.hotkey, hookModule.UiohookKey)
  const onDown = (event: HookKeyEvent) => {
    if (matcher.down(event)) deps.target.down(HOLD_SOURCE)
  }
  const onUp = (event: HookKeyEvent) => {
    if (matcher.up(event)) deps.target.up(HOLD_SOURCE)
  }
  const hook = hookModule.uIOhook
  hook.on('keydown', onDown)
  hook.on('keyup', onUp)
  try {
    hook.start()
  } catch (error) {
    hook.removeListener('keydown', onDown)
    hook.removeListener('keyup', onUp)
    throw error
  }
  return {
    status: { mode: 'hold', hotkey: accelerator },
    stop: () => {
      hook.removeListener('keydown', onDown)
      hook.removeListener('keyup', onUp)
      try {
        hook.stop()
      } catch {
        // Quitting: a hook that will not stop is released with the process.
      }
    },
  }
}

function startToggle(deps: GlobalHotkeyDeps, accelerator: string, reason: string): GlobalHotkey {
  let registered: boolean
  try {
    registered = deps.registerShortcut(accelerator, () => deps.target.toggle(TOGGLE_SOURCE))
  } catch {
    registered = false
  }
  if (!registered) {
    return {
      status: {
        mode: 'off',
        hotkey: accelerator,
        reason: `${accelerator} is taken by another app (or the desktop refused it): choose another key in Settings. ${reason}`,
      },
      stop: () => {},
    }
  }
  return { status: { mode: 'toggle', hotkey: accelerator, reason }, stop: () => deps.unregisterShortcut(accelerator) }
}

/**
 * Turns raw hook events into presses and releases of the hotkey: the key with its modifiers goes
 * down; the key, or one of its modifiers, going up releases. Auto-repeat is filtered here already.
 */
export function holdMatcher(hotkey: Hotkey, keys: Readonly<Record<string, number>>) {
  const keycode = keys[hotkey.key]
  if (keycode === undefined) throw new Error(`the key hook does not know the key ${hotkey.key}`)
  const modifierCodes = new Set<number>()
  const addModifier = (wanted: boolean, ...names: string[]) => {
    if (!wanted) return
    for (const name of names) {
      const code = keys[name]
      if (code !== undefined) modifierCodes.add(code)
    }
  }
  addModifier(hotkey.control, 'Ctrl', 'CtrlRight')
  addModifier(hotkey.alt, 'Alt', 'AltRight')
  addModifier(hotkey.shift, 'Shift', 'ShiftRight')
  addModifier(hotkey.meta, 'Meta', 'MetaRight')
  let isDown = false
  return {
    down(event: HookKeyEvent): boolean {
      if (isDown || event.keycode !== keycode) return false
      const modifiersHeld =
        (!hotkey.control || event.ctrlKey) &&
        (!hotkey.alt || event.altKey) &&
        (!hotkey.shift || event.shiftKey) &&
        (!hotkey.meta || event.metaKey)
      if (!modifiersHeld) return false
      isDown = true
      return true
    },
    up(event: HookKeyEvent): boolean {
      if (!isDown || (event.keycode !== keycode && !modifierCodes.has(event.keycode))) return false
      isDown = false
      return true
    },
  }
}

/**
 * Load uiohook-napi on first use, not at start-up: a missing or broken native module (another
 * platform's build, a stripped package) must cost the hold mode, never the app. Throws if it fails.
 */
export function loadUiohook(): KeyHookModule {
  const require = createRequire(import.meta.url)
  const hookModule: typeof Uiohook = require('uiohook-napi')
  return hookModule satisfies KeyHookModule
}
