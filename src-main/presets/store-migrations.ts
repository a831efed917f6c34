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
 *  1 → 2  the rest of the first release's `settings.json` (connection, target, audio devices,
 *         recording) moves into the store's `settings`, every key as it was. An unreadable
 *         settings.json is reported and left where it is; the app then starts from default settings.
 *  2 → 3  the one `draft` (unsaved edits of the selected preset) becomes `drafts`, one per preset,
 *         so selecting another preset no longer has to drop edits.
 * The store moves a legacy file aside as `*.migrated.json` only after the migrated store was
 * written (preset-store.ts), so a failed write leaves it to be migrated again.
 * Preset format versions (each preset, also in imports and `--preset-file`):
 *  0 → 1  no `version`: add it, and derive the talk mode from the turn detection.
 */
import {
  BUILT_IN_PRESETS,
  DEFAULT_PRESET_ID,
  LEGACY_BUILT_IN_IDS,
  findBuiltInPreset,
} from '../../src-shared/preset/built-in-presets.js'
import { parsePreset, PRESET_VERSION, type Preset } from '../../src-shared/preset/preset.js'
import { newPresetId, uniqueName } from './preset-naming.js'
import { STORE_VERSION } from './store-document.js'

/** A first-release file: absent, parsed JSON, or unreadable (with why). */
export type LegacyFile =
  | { readonly state: 'absent' }
  | { readonly state: 'read'; readonly value: unknown }
  | {
      readonly state: 'unreadable'
      readonly reason: string
    }
export const ABSENT: LegacyFile = { state: 'absent' }

/** What the first release kept in the data folder. */
export interface LegacyFiles {
  readonly currentPreset: LegacyFile
  readonly settings: LegacyFile
}

export interface MigrationOutcome {
  readonly document: unknown
  /** The legacy files whose content is now in the document: moved aside once it is written. */
  readonly migrated: readonly (keyof LegacyFiles)[]
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

const valueOf = (file: LegacyFile): unknown => (file.state === 'read' ? file.value : undefined)

/** The version-1 document (as written by the version-1 release, with its one `draft`). */
function fromLegacyFiles(legacy: LegacyFiles): { document: Record<string, unknown>; problems: string[] } {
  const document: { schemaVersion: 1; lastUsedPresetId: string; presets: Preset[]; draft: null } = {
    schemaVersion: 1,
    lastUsedPresetId: DEFAULT_PRESET_ID,
    presets: [],
    draft: null,
  }
  if (legacy.currentPreset.state === 'unreadable') {
    const problem = `current-preset.json could not be migrated (${legacy.currentPreset.reason}); it was left in place`
    return { document, problems: [problem] }
  }
  if (legacy.currentPreset.state === 'absent') return { document, problems: [] }
  const raw = migratePreset(legacy.currentPreset.value)
  const parsed = parsePreset(isRecord(raw) ? { ...raw, ...legacyTalkSettings(valueOf(legacy.settings)) } : raw)
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
  document.presets = [{ ...preset, id, name }]
  document.lastUsedPresetId = id
  return { document, problems: [] }
}

/** The store's format version of a parsed file: none at all (no file yet) is 0. */
export function storeVersionOf(raw: Record<string, unknown> | null): number {
  if (raw === null) return 0
  return typeof raw.schemaVersion === 'number' ? raw.schemaVersion : Number.NaN
}

/** The store's version-1 document gains the first release's settings.json, every key as it was. */
function withLegacySettings(
  raw: Record<string, unknown>,
  settings: LegacyFile,
): { document: Record<string, unknown>; problems: string[] } {
  const document = { ...raw, schemaVersion: 2, settings: {} }
  if (settings.state === 'unreadable') {
    return { document, problems: [`settings.json could not be migrated (${settings.reason}); it was left in place`] }
  }
  if (settings.state === 'absent') return { document, problems: [] }
  if (!isRecord(settings.value)) {
    return { document, problems: ['settings.json could not be migrated (not a JSON object); it was left in place'] }
  }
  return { document: { ...document, settings: { ...settings.value } }, problems: [] }
}

/** The one draft of version 2 becomes the first of the per-preset drafts. */
function withDraftList(raw: Record<string, unknown>): Record<string, unknown> {
  const { draft, ...rest } = raw
  return { ...rest, schemaVersion: 3, drafts: isRecord(draft) ? [draft] : [] }
}

/**
 * Runs every migration from the file's version up to `STORE_VERSION`. `raw` is the parsed store
 * file, or null when there is none yet; `legacy` reads a first-release file when a migration needs
 * it. A file newer than this build is refused by the caller.
 */
export function migrateStore(
  raw: Record<string, unknown> | null,
  legacy: (name: keyof LegacyFiles) => LegacyFile,
): MigrationOutcome {
  let version = storeVersionOf(raw)
  let document: Record<string, unknown> | null = raw
  const applied: string[] = []
  const problems: string[] = []
  const migrated: (keyof LegacyFiles)[] = []
  /** A step that moves a legacy file in; the file is retired (after the write) only if it moved whole. */
  const moveIn = (
    name: keyof LegacyFiles,
    step: (file: LegacyFile) => { document: Record<string, unknown>; problems: string[] },
    what: string,
  ): Record<string, unknown> => {
    const file = legacy(name)
    const outcome = step(file)
    problems.push(...outcome.problems)
    if (file.state === 'read' && outcome.problems.length === 0) migrated.push(name)
    applied.push(file.state === 'absent' ? `${what}: no file to move` : what)
    return outcome.document
  }
  if (version === 0) {
    const talkSettings = legacy('settings')
    document = moveIn(
      'currentPreset',
      (currentPreset) => fromLegacyFiles({ currentPreset, settings: talkSettings }),
      'store 0 → 1: current-preset.json and the talk settings into presets.json',
    )
    version = 1
  }
  if (document === null || !Number.isInteger(version) || version > STORE_VERSION) {
    return { document, migrated, applied, problems }
  }
  if (version === 1) {
    const before = document
    document = moveIn(
      'settings',
      (settings) => withLegacySettings(before, settings),
      'store 1 → 2: settings.json into presets.json',
    )
    version = 2
  }
  if (version === 2) {
    document = withDraftList(document)
    applied.push('store 2 → 3: one draft per preset')
  }
  const presets = Array.isArray(document.presets) ? document.presets.map(migratePreset) : document.presets
  const drafts = Array.isArray(document.drafts)
    ? document.drafts.map((draft: unknown) =>
        isRecord(draft) ? { ...draft, preset: migratePreset(draft.preset) } : draft,
      )
    : document.drafts
  return { document: { ...document, presets, drafts }, migrated, applied, problems }
}
