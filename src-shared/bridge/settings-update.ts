/**
 * Applying a settings update, shared by main (which stores the result) and the renderer (which
 * shows it before main answers). Types only from `payloads.ts`, so the renderer bundle gets no schemas.
 */
import type { AudioSettings, SettingsUpdate, SettingsView, Target } from './payloads.js'

/** The settings fields an update touches; main's stored settings and the renderer's view differ
 * only in their `connection`. */
interface UpdatableSettings<Connection extends object> {
  readonly target: Target
  readonly connection: Connection
  readonly audio: AudioSettings
  readonly talkMode: SettingsView['talkMode']
  readonly recordAudio: boolean
  readonly pushToTalkCues: boolean
  readonly pushToTalkHotkey: string
}

/** What `change` makes of `current`: main applies it, and the renderer shows it before main
 * answers. The API key is left out: main keeps it apart, and the renderer never holds it. */
export function applySettingsUpdate<Connection extends object>(
  current: UpdatableSettings<Connection>,
  change: SettingsUpdate,
): UpdatableSettings<Connection> {
  const { apiKey: _secret, ...connection } = change.connection ?? {}
  return {
    target: change.target ?? current.target,
    connection: { ...current.connection, ...connection },
    audio: { ...current.audio, ...change.audio },
    talkMode: change.talkMode ?? current.talkMode,
    recordAudio: change.recordAudio ?? current.recordAudio,
    pushToTalkCues: change.pushToTalkCues ?? current.pushToTalkCues,
    pushToTalkHotkey: change.pushToTalkHotkey ?? current.pushToTalkHotkey,
  }
}
