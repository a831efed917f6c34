/**
 * The app's settings: the `settings` section of the store file (presets.json, see
 * presets/preset-store.ts), so they get its lock, atomic write, migrations and recovery, validated
 * here on every read; plus the API key, which lives only in a `SecretStore` (Electron:
 * safeStorage) and never in the file, the renderer, or a log.
 */
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_HOTKEY, parseHotkey } from '../../src-shared/hotkey/hotkey.js'
import {
  audioSettingsSchema,
  connectionProfileSchema,
  diagnosticsSettingsSchema,
  targetSchema,
  type SettingsUpdate,
  type SettingsView,
} from '../../src-shared/bridge/payloads.js'
import { applySettingsUpdate } from '../../src-shared/bridge/settings-update.js'
import { asideStamp } from '../app-data/move-aside.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'
import type { PresetStore, RawSettings } from '../presets/preset-store.js'

/** Where the API key is kept. `persistent: false` means it is forgotten when the process ends. */
export interface SecretStore {
  readonly persistent: boolean
  load(): Promise<string | null>
  save(secret: string | null): Promise<void>
}

/** For the harness and tests: no OS keychain, so the key lives in memory for this run only. */
export function memorySecretStore(): SecretStore {
  let secret: string | null = null
  return {
    persistent: false,
    load: () => Promise.resolve(secret),
    save: (value) => {
      secret = value
      return Promise.resolve()
    },
  }
}

const storedSettingsSchema = z.object({
  target: targetSchema.default({ kind: 'model' }),
  connection: z
    .object({
      profile: connectionProfileSchema.default('local-engine'),
      endpoint: z.string().default(''),
      /** Empty = the session core's pinned GA version. */
      apiVersion: z.string().default(''),
    })
    .default({ profile: 'local-engine', endpoint: '', apiVersion: '' }),
  audio: audioSettingsSchema.default({
    inputDeviceLabel: null,
    outputDeviceLabel: null,
    // Server echo cancellation and noise suppression do the work; browser processing would
    // distort the signal they expect, so the browser's own processing starts off (users may turn it on).
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
  }),
  talkMode: z.enum(['hands-free', 'push-to-talk']).default('hands-free'),
  recordAudio: z.boolean().default(true),
  pushToTalkCues: z.boolean().default(true),
  /** The global push-to-talk key; a stored one that no longer parses falls back to the default. */
  pushToTalkHotkey: z
    .string()
    .refine((accelerator) => parseHotkey(accelerator).ok)
    .catch(DEFAULT_HOTKEY)
    .default(DEFAULT_HOTKEY),
  // The log records at info unless the user opts into debug (Settings → Diagnostics).
  diagnostics: diagnosticsSettingsSchema.default({ logLevel: 'info' }),
})
export type StoredSettings = z.infer<typeof storedSettingsSchema>

export interface SettingsStore {
  current(): StoredSettings
  /** The API key, for the session core only. */
  apiKey(): string | null
  view(): SettingsView
  update(change: SettingsUpdate): Promise<SettingsView>
}

/** The part of the store the settings use. */
export type SettingsFile = Pick<PresetStore, 'file' | 'settings' | 'updateSettings'>

/** The stored settings, or the defaults where there are none yet (or they were unusable). */
const parsedOrDefaults = (raw: RawSettings): StoredSettings => {
  const parsed = storedSettingsSchema.safeParse(raw)
  return parsed.success ? parsed.data : storedSettingsSchema.parse({})
}

/** Settings the store holds but that do not check: copied beside it for the user before the app
 * goes on with defaults (and the next change overwrites them). */
async function keepUnusableSettings(store: SettingsFile, onProblem: (message: string) => void): Promise<void> {
  const raw = store.settings()
  const parsed = storedSettingsSchema.safeParse(raw)
  if (parsed.success) return
  const issue = parsed.error.issues[0]
  const reason = `${issue?.path.join('.') || '(settings)'}: ${issue?.message ?? 'invalid'}`
  const aside = join(dirname(store.file), `settings.invalid-${asideStamp()}.json`)
  try {
    await writeFileAtomic(aside, `${JSON.stringify(raw, null, 2)}\n`, 0o600)
    onProblem(`the saved settings were unusable (${reason}); a copy was kept in ${aside}, defaults are used`)
  } catch (error) {
    onProblem(`the saved settings were unusable (${reason}) and could not be copied aside (${String(error)})`)
  }
}

export async function openSettingsStore(
  store: SettingsFile,
  secretStore: SecretStore,
  onProblem: (message: string) => void = () => undefined,
): Promise<SettingsStore> {
  await keepUnusableSettings(store, onProblem)
  let settings = parsedOrDefaults(store.settings())
  // A secret store that fails must not take the settings down with it: the key is just not set.
  let apiKey = await secretStore.load().catch((error: unknown) => {
    onProblem(`the saved API key could not be loaded (${String(error).slice(0, 200)}); enter it again`)
    return null
  })

  const view = (): SettingsView => ({
    target: settings.target,
    connection: { ...settings.connection, apiKeySet: apiKey !== null, apiKeyPersisted: secretStore.persistent },
    audio: settings.audio,
    talkMode: settings.talkMode,
    recordAudio: settings.recordAudio,
    pushToTalkCues: settings.pushToTalkCues,
    pushToTalkHotkey: settings.pushToTalkHotkey,
    diagnostics: settings.diagnostics,
  })

  return {
    current: () => settings,
    apiKey: () => apiKey,
    view,
    async update(change) {
      const newKey = change.connection?.apiKey
      if (newKey !== undefined) {
        const trimmed = newKey?.trim() ?? ''
        apiKey = trimmed === '' ? null : trimmed
        await secretStore.save(apiKey)
      }
      // Applied to what the file holds now (under the store's lock), not to a copy read at start.
      const written = await store.updateSettings((raw) =>
        storedSettingsSchema.parse(applySettingsUpdate(parsedOrDefaults(raw), change)),
      )
      settings = parsedOrDefaults(written)
      return view()
    },
  }
}
