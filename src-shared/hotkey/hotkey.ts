/**
 * The push-to-talk hotkey, as the user chooses it (Settings' capture box) and as main uses it: an
 * Electron accelerator string ("Control+Alt+Space") for the press-only `globalShortcut` fallback,
 * and the same key name as `uiohook-napi`'s `UiohookKey` table for true hold-to-talk.
 *
 * Only keys both sides know are allowed, and a key that types text (a letter, a digit, Space) must
 * come with Control, Alt or Super: holding a bare letter to talk would start a turn on every word
 * the user types in another app. Function keys may stand alone.
 */

export interface Hotkey {
  readonly key: HotkeyKey
  readonly control: boolean
  readonly alt: boolean
  readonly shift: boolean
  readonly meta: boolean
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')
const DIGITS = '0123456789'.split('')
const FUNCTION_KEYS = Array.from({ length: 24 }, (_, i) => `F${i + 1}`)
const NAMED_KEYS = ['Space', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'ScrollLock'] as const
/** Lower-case spelling → the canonical name (accelerators are case-insensitive). */
const HOTKEY_KEYS: ReadonlyMap<string, string> = new Map(
  [...LETTERS, ...DIGITS, ...FUNCTION_KEYS, ...NAMED_KEYS].map((key) => [key.toLowerCase(), key]),
)
export type HotkeyKey = string

/** Not a common shortcut on Windows, macOS, GNOME or KDE, and reachable with one hand. */
export const DEFAULT_HOTKEY = 'Control+Alt+Space'

const MODIFIERS: Readonly<Record<string, keyof Omit<Hotkey, 'key'>>> = {
  control: 'control',
  ctrl: 'control',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
  super: 'meta',
  meta: 'meta',
  command: 'meta',
  cmd: 'meta',
}

export type HotkeyParse = { readonly ok: true; readonly hotkey: Hotkey } | { readonly ok: false; readonly error: string }

/** Parse an accelerator; the error says what to change. */
export function parseHotkey(accelerator: string): HotkeyParse {
  const parts = accelerator.split('+').map((part) => part.trim())
  const keyName = parts.pop() ?? ''
  const flags = { control: false, alt: false, shift: false, meta: false }
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()]
    if (!modifier) return { ok: false, error: `"${part}" is not a modifier (use Control, Alt, Shift or Super).` }
    flags[modifier] = true
  }
  const key = HOTKEY_KEYS.get(keyName.toLowerCase())
  if (!key) {
    return { ok: false, error: `"${keyName || accelerator}" cannot be the push-to-talk key: choose a letter, a digit, Space or F1–F24.` }
  }
  if (!FUNCTION_KEYS.includes(key) && !flags.control && !flags.alt && !flags.meta) {
    return { ok: false, error: `${key} alone would fire while you type: add Control, Alt or Super, or use a function key.` }
  }
  return { ok: true, hotkey: { key, ...flags } }
}

/** The canonical accelerator ("Control+Alt+Space"), also what the UI shows. */
export function formatHotkey(hotkey: Hotkey): string {
  const parts: string[] = []
  if (hotkey.control) parts.push('Control')
  if (hotkey.alt) parts.push('Alt')
  if (hotkey.shift) parts.push('Shift')
  if (hotkey.meta) parts.push('Super')
  return [...parts, hotkey.key].join('+')
}

/** What a DOM keydown (the capture box in Settings) means as a hotkey, or why it cannot be one. */
export function hotkeyFromKeyboardEvent(event: {
  readonly code: string
  readonly ctrlKey: boolean
  readonly altKey: boolean
  readonly shiftKey: boolean
  readonly metaKey: boolean
}): HotkeyParse {
  const key = event.code.replace(/^Key(?=[A-Z]$)/, '').replace(/^Digit(?=\d$)/, '')
  const modifiers = [
    event.ctrlKey && 'Control',
    event.altKey && 'Alt',
    event.shiftKey && 'Shift',
    event.metaKey && 'Super',
  ].filter((part): part is string => typeof part === 'string')
  return parseHotkey([...modifiers, key].join('+'))
}
