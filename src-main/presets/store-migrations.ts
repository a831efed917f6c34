/**
 * Our own, versioned migrations (not electron-store's: see store-backend.ts). Pure functions of
 * what was on disk, tested from fixtures of every older format (test/presets/fixtures/).
 *
 * Store versions:
 *  0 → 1  first start after presets became a store: the first release's `current-preset.json` (one
 *         edited copy of a built-in) becomes a user preset and the selection, carrying the talk mode
 *         and mic processing that lived in `settings.json` (they are preset fields now). A file
 *         equal to its built-in just selects that built-in. Nothing is dropped: an unreadable
 *         legacy file is reported and left where it is.
 * Preset format versions (each preset, also in imports and `--preset-file`):
 *  0 → 1  no `version`: add it, and derive the talk mode from the turn detection.
 */
import { BUILT_IN_PRESETS, LEGACY_BUILT_IN_IDS, findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import { parsePreset, PRESET_VERSION, type Preset } from '../../src-shared/preset/preset.js'
import { newPresetId, uniqueName } from './preset-naming.js'
import { emptyStoreDocument, STORE_VERSION, type StoreDocument } from './store-document.js'

/** What the first release kept in the data folder, parsed JSON (or undefined when absent). */
export interface LegacyFiles {
  readonly currentPreset?: unknown
  readonly settings?: unknown
}

export interface MigrationOutcome {
  readonly document: unknown
  /** One line per migration applied, for the log. */
  readonly applied: readonly string[]
  /** Things the user should know (a legacy file that could not be used). */
  readonly problems: readonly string[]
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Brings one preset object to the current format version; anything else is returned as is for the schema to refuse. */
export function migratePreset(raw: unknown): unknown {
  if (!isRecord(raw) || raw.version !== undefined) return raw
  const turnDetection = raw.turnDetection
  const pushToTalk = isRecord(turnDetection) && turnDetection.type === 'none'
  return { talkMode: pushToTalk ? 'push-to-talk' : 'hands-free', ...raw, version: PRESET_VERSION }
}

/** The talk mode and mic processing of a first-release settings.json, if it had any. */
function legacyTalkSettings(settings: unknown): Partial<Pick<Preset, 'talkMode' | 'captureProcessing'>> {
  if (!isRecord(settings)) return {}
  const out: Partial<Pick<Preset, 'talkMode' | 'captureProcessing'>> = {}
  if (settings.talkMode === 'push-to-talk' || settings.talkMode === 'hands-free') out.talkMode = settings.talkMode
  const audio = settings.audio
  if (isRecord(audio)) {
    out.captureProcessing = {
      echoCancellation: audio.echoCancellation === true,
      noiseSuppression: audio.noiseSuppression === true,
      autoGainControl: audio.autoGainControl === true,
    }
  }
  return out
}

const sameSettings = (a: Preset, b: Preset): boolean =>
  JSON.stringify({ ...a, id: undefined, name: undefined }) === JSON.stringify({ ...b, id: undefined, name: undefined })

function fromLegacyFiles(legacy: LegacyFiles): { document: StoreDocument; problems: string[] } {
  const document = emptyStoreDocument()
  if (legacy.currentPreset === undefined) return { document, problems: [] }
  const raw = migratePreset(legacy.currentPreset)
  const parsed = parsePreset(isRecord(raw) ? { ...raw, ...legacyTalkSettings(legacy.settings) } : raw)
  if (!parsed.ok) {
    return { document, problems: [`current-preset.json could not be migrated (${parsed.error}); it was left in place`] }
  }
  const preset = parsed.preset
  const legacyName = preset.name.toLowerCase()
  const builtIn = findBuiltInPreset(
    Object.hasOwn(LEGACY_BUILT_IN_IDS, legacyName) ? (LEGACY_BUILT_IN_IDS[legacyName] ?? legacyName) : legacyName,
  )
  if (builtIn && sameSettings(preset, builtIn)) {
    document.lastUsedPresetId = builtIn.id
    return { document, problems: [] }
  }
  // An edited copy of a built-in keeps the built-in's display name, marked as a copy.
  const name = uniqueName(
    builtIn ? `${builtIn.name} (edited)` : preset.name,
    BUILT_IN_PRESETS.map((p) => p.name),
  )
  const id = newPresetId(name)
  document.presets.push({ ...preset, id, name })
  document.lastUsedPresetId = id
  return { document, problems: [] }
}

/** The store's format version of a parsed file: none at all (no file yet) is 0. */
export function storeVersionOf(raw: Record<string, unknown> | null): number {
  if (raw === null) return 0
  return typeof raw.schemaVersion === 'number' ? raw.schemaVersion : Number.NaN
}

/**
 * Runs every migration from the file's version up to `STORE_VERSION`. `raw` is the parsed store
 * file, or null when there is none yet. A file newer than this build is refused by the caller.
 */
export function migrateStore(raw: Record<string, unknown> | null, legacy: LegacyFiles): MigrationOutcome {
  const version = storeVersionOf(raw)
  if (version === 0) {
    const { document, problems } = fromLegacyFiles(legacy)
    return {
      document,
      applied: [
        legacy.currentPreset === undefined
          ? 'store 0 → 1: new presets.json'
          : 'store 0 → 1: current-preset.json and the talk settings moved into presets.json',
      ],
      problems,
    }
  }
  if (raw === null || version !== STORE_VERSION) return { document: raw, applied: [], problems: [] }
  const presets = Array.isArray(raw.presets) ? raw.presets.map(migratePreset) : raw.presets
  const draft = isRecord(raw.draft) ? { ...raw.draft, preset: migratePreset(raw.draft.preset) } : raw.draft
  return { document: { ...raw, presets, draft }, applied: [], problems: [] }
}
