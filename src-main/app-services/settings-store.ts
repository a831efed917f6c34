/**
 * The app's settings: a small JSON file in the user-data folder, validated on every load, plus
 * the API key, which lives only in a `SecretStore` (Electron: safeStorage) and never in the file,
 * the renderer, or a log.
 */
import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_HOTKEY, parseHotkey } from '../../src-shared/hotkey/hotkey.js'
import {
  audioSettingsSchema,
  connectionProfileSchema,
  targetSchema,
  type SettingsUpdate,
  type SettingsView,
} from '../../src-shared/bridge/payloads.js'
import { applySettingsUpdate } from '../../src-shared/bridge/settings-update.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'

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
})
export type StoredSettings = z.infer<typeof storedSettingsSchema>

export interface SettingsStore {
  current(): StoredSettings
  /** The API key, for the session core only. */
  apiKey(): string | null
  view(): SettingsView
  update(change: SettingsUpdate): Promise<SettingsView>
}

const SETTINGS_FILE = 'settings.json'

async function readStoredSettings(file: string, onProblem: (message: string) => void): Promise<StoredSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return storedSettingsSchema.parse({})
  }
  try {
    return storedSettingsSchema.parse(JSON.parse(text))
  } catch (error) {
    // Keep the unreadable file for the user instead of overwriting their data.
    const aside = `${file}.invalid-${Date.now()}`
    await rename(file, aside).catch(() => undefined)
    onProblem(`settings.json was unreadable (${(error as Error).message.slice(0, 200)}); moved to ${aside}`)
    return storedSettingsSchema.parse({})
  }
}

export async function openSettingsStore(
  userDataDir: string,
  secretStore: SecretStore,
  onProblem: (message: string) => void = () => undefined,
): Promise<SettingsStore> {
  const file = join(userDataDir, SETTINGS_FILE)
  let settings = await readStoredSettings(file, onProblem)
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
  })

  return {
    current: () => settings,
    apiKey: () => apiKey,
    view,
    async update(change) {
      const newKey = change.connection?.apiKey
      const next = storedSettingsSchema.parse(applySettingsUpdate(settings, change))
      if (newKey !== undefined) {
        const trimmed = newKey?.trim() ?? ''
        apiKey = trimmed === '' ? null : trimmed
        await secretStore.save(apiKey)
      }
      await mkdir(userDataDir, { recursive: true })
      await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o600)
      settings = next
      return view()
    },
  }
}
