/**
 * The saved presets: the built-ins (from the code, read-only) plus the user's, kept in
 * `presets.json` in the app's data folder, shared by the app (electron-store), the CLI and the
 * harness (conf) — see store-backend.ts.
 *
 * Every change runs under the lock file (store-lock.ts) as re-read → change → atomic write, so two
 * processes writing at once lose no update; a transient EPERM/EBUSY (antivirus, indexers on
 * Windows) is retried; a failed write (full disk) leaves the old file and says so. A damaged file
 * is moved aside as `presets.corrupt-<time>.json`, what can be salvaged is kept, and the problem is
 * reported (`problems`, `onProblem`). The selected ("last used") preset and the unsaved edits of
 * every preset (the drafts) are remembered in the file too: selecting another preset keeps them,
 * and only an explicit save, discard or delete ends them. The app's settings live in the same file
 * (`settings`, `updateSettings`), under the same lock and atomic write.
 */
import type { PresetSummary } from '../../src-shared/bridge/preset-payloads.js'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  BUILT_IN_PRESETS,
  defaultBuiltInPreset,
  findBuiltInPreset,
  isBuiltInId,
} from '../../src-shared/preset/built-in-presets.js'
import { presetNameSchema, type Preset } from '../../src-shared/preset/preset.js'
import { asideStamp } from '../app-data/move-aside.js'
import { newPresetId, uniqueName } from './preset-naming.js'
import { exportText, parseImport } from './preset-transfer.js'
import { confBackend, type StoreBackend, type StoreBackendFactory } from './store-backend.js'
import {
  STORE_JSON_SCHEMA,
  STORE_NAME,
  STORE_VERSION,
  emptyStoreDocument,
  storeDocumentSchema,
  type SavedPreset,
  type StoreDocument,
} from './store-document.js'
import { withFileLock, type LockOptions } from './store-lock.js'
import {
  ABSENT,
  migrateStore,
  storeVersionOf,
  type LegacyFile,
  type LegacyFiles,
  type MigrationOutcome,
} from './store-migrations.js'
import { salvageStore } from './store-recovery.js'

/** What a list shows of a preset (the same shape the bridge carries). */
export type { PresetSummary }

export interface PresetSelection {
  /** The selected preset as saved. */
  readonly preset: SavedPreset
  /** Its unsaved edits, if any. */
  readonly draft: SavedPreset | null
  readonly builtIn: boolean
}

export type ImportOutcome = { ok: true; imported: PresetSummary[] } | { ok: false; problems: string[] }

/** `read-only`: a built-in; `not-found`: no such preset; `invalid`: a bad name or file; `io`: the disk. */
export class PresetStoreError extends Error {
  constructor(
    message: string,
    readonly kind: 'read-only' | 'not-found' | 'invalid' | 'io',
  ) {
    super(message)
  }
}

/** The app's settings as stored, checked by their owner (app-services/settings-store.ts). */
export type RawSettings = Readonly<Record<string, unknown>>

export interface PresetStore {
  readonly file: string
  /** What was wrong when the store was opened (a damaged file, a legacy file that could not move). */
  readonly problems: readonly string[]
  /** Built-ins first, then the user's presets: what the Scenario picker and the tray menu show. */
  list(): PresetSummary[]
  /** By id, else by display name (any case), else by a first-release built-in name. */
  find(key: string): SavedPreset | undefined
  selection(): PresetSelection
  /** The preset a session uses: the selected one with its unsaved edits. */
  current(): SavedPreset
  select(key: string): Promise<PresetSelection>
  /** Replaces a preset's unsaved edits (its id and name stay): the preset `preset.id` names,
   * else the selected one. An edit that arrives after another preset was selected stays its own. */
  edit(preset: Preset): Promise<PresetSelection>
  /** Drops the selected preset's unsaved edits: "reset to defaults" for a built-in. */
  discardEdits(): Promise<PresetSelection>
  /** Saves the edits into the selected user preset. */
  save(): Promise<PresetSelection>
  /** Saves the current preset (with its edits) as a new user preset and selects it. */
  saveAs(name: string): Promise<PresetSelection>
  create(preset: Preset, name?: string): Promise<SavedPreset>
  rename(key: string, name: string): Promise<SavedPreset>
  duplicate(key: string): Promise<SavedPreset>
  /** Deletes a user preset; returns it and its position so it can be restored (undo). */
  remove(key: string): Promise<{ preset: SavedPreset; index: number }>
  restore(preset: SavedPreset, index?: number): Promise<SavedPreset>
  importText(text: string): Promise<ImportOutcome>
  /** One preset (any, by key) or, with no key, every user preset. */
  exportText(key?: string): string
  /** The app's settings as the file holds them now. */
  settings(): RawSettings
  /** Re-reads the settings under the lock, applies `change` and writes them; returns what was written. */
  updateSettings(change: (current: RawSettings) => RawSettings): Promise<RawSettings>
}

export interface OpenPresetStoreOptions {
  readonly backend?: StoreBackendFactory
  readonly onProblem?: (message: string) => void
  /** One line per migration applied (for the log), once the migrated file is written. */
  readonly onMigrated?: (line: string) => void
  readonly lock?: LockOptions
}

const TRANSIENT = new Set(['EPERM', 'EBUSY'])

/** What a load migrated: the legacy files to retire and the steps to log, once the store is written. */
type Migrated = Pick<MigrationOutcome, 'migrated' | 'applied'>
const NOTHING_MIGRATED: Migrated = { migrated: [], applied: [] }
const summary = (document: StoreDocument, preset: SavedPreset): PresetSummary => ({
  id: preset.id,
  name: preset.name,
  ...(preset.description ? { description: preset.description } : {}),
  builtIn: isBuiltInId(preset.id),
  unsaved: document.drafts.some((draft) => draft.presetId === preset.id),
})

/** The first release's files, by what the migrations call them. */
const LEGACY_FILE_NAMES: Record<keyof LegacyFiles, string> = {
  currentPreset: 'current-preset.json',
  settings: 'settings.json',
}

function readLegacy(file: string): LegacyFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? ABSENT : { state: 'unreadable', reason: (error as Error).message.slice(0, 200) }
  }
  try {
    return { state: 'read', value: JSON.parse(text) as unknown }
  } catch (error) {
    return { state: 'unreadable', reason: `not JSON: ${(error as Error).message.slice(0, 200)}` }
  }
}

export async function openPresetStore(dataDir: string, options: OpenPresetStoreOptions = {}): Promise<PresetStore> {
  const file = join(dataDir, `${STORE_NAME}.json`)
  const lockPath = `${file}.lock`
  const problems: string[] = []
  const report = (message: string): void => {
    problems.push(message)
    options.onProblem?.(message)
  }
  let backend: StoreBackend | null = null
  let lastGood: StoreDocument | null = null

  /** Moves a damaged file aside and keeps what can be salvaged. Under the lock only. */
  const recover = (text: string, reason: string): StoreDocument => {
    const aside = join(dataDir, `${STORE_NAME}.corrupt-${asideStamp()}.json`)
    renameSync(file, aside)
    const salvage = salvageStore(text)
    const lost = salvage.lost > 0 ? `; ${salvage.lost} could not be (${salvage.problems.slice(0, 5).join('; ')})` : ''
    report(
      `presets.json was damaged (${reason}); it was moved to ${aside}. ${salvage.kept} preset(s) recovered${lost}.`,
    )
    return salvage.document
  }

  const legacy = (name: keyof LegacyFiles): LegacyFile => readLegacy(join(dataDir, LEGACY_FILE_NAMES[name]))
  /**
   * A first-release file whose content the store now holds, written: kept beside the store as
   * `*.migrated.json`, never deleted (the user's data stays theirs, and a downgrade can still be
   * helped by hand), and only renamed after the write, so a failed write leaves it to migrate again.
   */
  const retire = ({ migrated, applied }: Migrated): void => {
    for (const line of applied) options.onMigrated?.(line)
    for (const name of migrated) {
      const legacyFile = join(dataDir, LEGACY_FILE_NAMES[name])
      try {
        renameSync(legacyFile, legacyFile.replace(/\.json$/, '.migrated.json'))
      } catch (error) {
        report(`${LEGACY_FILE_NAMES[name]} was migrated but could not be renamed (${(error as Error).message})`)
      }
    }
  }

  /** Reads, migrates and checks the file; `dirty` when it must be written back, `migrated` the
   * legacy files to retire once it is. Under the lock only. */
  const load = (): { document: StoreDocument; dirty: boolean; migrated: Migrated } => {
    if (!existsSync(file)) {
      const outcome = migrateStore(null, legacy)
      outcome.problems.forEach(report)
      return { document: storeDocumentSchema.parse(outcome.document), dirty: true, migrated: outcome }
    }
    const text = readFileSync(file, 'utf8')
    let raw: Record<string, unknown>
    try {
      raw = backend ? backend.read() : (JSON.parse(text) as Record<string, unknown>)
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not a JSON object')
    } catch (error) {
      return {
        document: recover(text, (error as Error).message.slice(0, 200)),
        dirty: true,
        migrated: NOTHING_MIGRATED,
      }
    }
    const version = storeVersionOf(raw)
    if (version > STORE_VERSION) {
      throw new PresetStoreError(
        `presets.json was written by a newer Voice Live Desktop (format ${version}); update this one to use it.`,
        'io',
      )
    }
    const outcome = migrateStore(raw, legacy)
    outcome.problems.forEach(report)
    const checked = storeDocumentSchema.safeParse(outcome.document)
    if (!checked.success) {
      const first = checked.error.issues[0]
      const reason = `${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`
      return { document: recover(text, reason), dirty: true, migrated: NOTHING_MIGRATED }
    }
    const dirty = JSON.stringify(checked.data) !== JSON.stringify(raw)
    return { document: checked.data, dirty, migrated: outcome }
  }

  const persist = async (document: StoreDocument): Promise<void> => {
    backend ??= (options.backend ?? confBackend)({ cwd: dataDir, name: STORE_NAME, schema: STORE_JSON_SCHEMA })
    for (let attempt = 1; ; attempt++) {
      try {
        backend.write(document)
        lastGood = document
        return
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (TRANSIENT.has(code) && attempt < 4) {
          await sleep(100 * 3 ** (attempt - 1))
          continue
        }
        throw new PresetStoreError(
          `The presets could not be saved to ${file} (${(error as Error).message}); the file was left as it was.`,
          'io',
        )
      }
    }
  }

  const locked = <T>(task: () => Promise<T>): Promise<T> => withFileLock(lockPath, task, options.lock)

  /** One change: re-read under the lock, apply, check, write. */
  const mutate = <T>(change: (document: StoreDocument) => T): Promise<T> =>
    locked(async () => {
      const { document, migrated } = load()
      const result = change(document)
      await persist(storeDocumentSchema.parse(document))
      retire(migrated)
      return result
    })

  /** The file as it is now, for reads; a damaged one is only repaired under the lock by the next change. */
  const snapshot = (): StoreDocument => {
    try {
      const checked = storeDocumentSchema.safeParse(migrateStore(backend?.read() ?? null, () => ABSENT).document)
      if (checked.success) lastGood = checked.data
    } catch {
      // Being replaced or damaged right now: the last good read stands.
    }
    if (!lastGood) throw new PresetStoreError(`${file} could not be read.`, 'io')
    return lastGood
  }

  const allOf = (document: StoreDocument): SavedPreset[] => [...BUILT_IN_PRESETS, ...document.presets]
  const findIn = (document: StoreDocument, key: string): SavedPreset | undefined => {
    const wanted = key.trim().toLowerCase()
    return (
      document.presets.find((p) => p.id === key) ??
      allOf(document).find((p) => p.name.toLowerCase() === wanted) ??
      findBuiltInPreset(key)
    )
  }
  const mustFind = (document: StoreDocument, key: string): SavedPreset => {
    const found = findIn(document, key)
    if (!found) throw new PresetStoreError(`There is no preset named "${key}".`, 'not-found')
    return found
  }
  const userIndex = (document: StoreDocument, key: string, action: string): number => {
    const preset = mustFind(document, key)
    if (isBuiltInId(preset.id)) {
      throw new PresetStoreError(`"${preset.name}" is a built-in preset and cannot be ${action}.`, 'read-only')
    }
    return document.presets.findIndex((p) => p.id === preset.id)
  }
  const draftOf = (document: StoreDocument, id: string): SavedPreset | null =>
    document.drafts.find((draft) => draft.presetId === id)?.preset ?? null
  /** Sets (or, with null, ends) the unsaved edits of preset `id`. */
  const setDraft = (document: StoreDocument, id: string, preset: SavedPreset | null): void => {
    document.drafts = document.drafts.filter((draft) => draft.presetId !== id)
    if (preset) document.drafts.push({ presetId: id, preset })
  }
  const selectionOf = (document: StoreDocument): PresetSelection => {
    const preset = findIn(document, document.lastUsedPresetId) ?? defaultBuiltInPreset()
    return { preset, draft: draftOf(document, preset.id), builtIn: isBuiltInId(preset.id) }
  }
  const checkedName = (name: string): string => {
    const result = presetNameSchema.safeParse(name)
    if (!result.success) throw new PresetStoreError(`name: ${result.error.issues[0]?.message ?? 'invalid'}`, 'invalid')
    return name
  }
  const add = (document: StoreDocument, preset: Preset, name: string, index?: number): SavedPreset => {
    const taken = (id: string | undefined) => !id || isBuiltInId(id) || document.presets.some((p) => p.id === id)
    const unique = uniqueName(
      checkedName(name),
      allOf(document).map((p) => p.name),
    )
    const saved: SavedPreset = {
      ...preset,
      id: taken(preset.id) ? newPresetId(unique) : (preset.id as string),
      name: unique,
    }
    document.presets.splice(index ?? document.presets.length, 0, saved)
    return saved
  }

  mkdirSync(dataDir, { recursive: true })
  await locked(async () => {
    const { document, dirty, migrated } = load()
    lastGood = document
    if (dirty) await persist(document)
    else backend ??= (options.backend ?? confBackend)({ cwd: dataDir, name: STORE_NAME, schema: STORE_JSON_SCHEMA })
    retire(migrated)
  })

  return {
    file,
    problems,
    list() {
      const document = snapshot()
      return allOf(document).map((preset) => summary(document, preset))
    },
    find: (key) => findIn(snapshot(), key),
    selection: () => selectionOf(snapshot()),
    current() {
      const { preset, draft } = selectionOf(snapshot())
      return draft ?? preset
    },
    // The preset left keeps its unsaved edits (the window asks first; the tray does not).
    select: (key) =>
      mutate((document) => {
        document.lastUsedPresetId = mustFind(document, key).id
        return selectionOf(document)
      }),
    edit: (preset) =>
      mutate((document) => {
        const saved = preset.id === undefined ? selectionOf(document).preset : mustFind(document, preset.id)
        const draft: SavedPreset = { ...preset, id: saved.id, name: saved.name }
        setDraft(document, saved.id, JSON.stringify(draft) === JSON.stringify(saved) ? null : draft)
        return selectionOf(document)
      }),
    discardEdits: () =>
      mutate((document) => {
        setDraft(document, selectionOf(document).preset.id, null)
        return selectionOf(document)
      }),
    save: () =>
      mutate((document) => {
        const { preset, draft } = selectionOf(document)
        const index = userIndex(document, preset.id, 'changed; save your changes as a new preset')
        if (draft) document.presets[index] = draft
        setDraft(document, preset.id, null)
        return selectionOf(document)
      }),
    saveAs: (name) =>
      mutate((document) => {
        const { preset, draft } = selectionOf(document)
        const saved = add(document, { ...(draft ?? preset), id: undefined }, name)
        // The edits now live in the new preset; the one they were made to is back as saved.
        setDraft(document, preset.id, null)
        document.lastUsedPresetId = saved.id
        return selectionOf(document)
      }),
    create: (preset, name) => mutate((document) => add(document, { ...preset, id: undefined }, name ?? preset.name)),
    rename: (key, name) =>
      mutate((document) => {
        const index = userIndex(document, key, 'renamed')
        const preset = document.presets[index] as SavedPreset
        const others = allOf(document).filter((p) => p.id !== preset.id)
        if (others.some((p) => p.name.toLowerCase() === checkedName(name).toLowerCase())) {
          throw new PresetStoreError(`A preset named "${name}" already exists.`, 'invalid')
        }
        const renamed = { ...preset, name }
        document.presets[index] = renamed
        const draft = draftOf(document, preset.id)
        if (draft) setDraft(document, preset.id, { ...draft, name })
        return renamed
      }),
    duplicate: (key) =>
      mutate((document) => {
        const source = mustFind(document, key)
        const copy = add(document, { ...source, id: undefined }, source.name)
        document.lastUsedPresetId = copy.id
        return copy
      }),
    remove: (key) =>
      mutate((document) => {
        const index = userIndex(document, key, 'deleted')
        const [preset] = document.presets.splice(index, 1) as [SavedPreset]
        if (document.lastUsedPresetId === preset.id) document.lastUsedPresetId = defaultBuiltInPreset().id
        setDraft(document, preset.id, null)
        return { preset, index }
      }),
    restore: (preset, index) => mutate((document) => add(document, preset, preset.name, index)),
    async importText(text) {
      const parsed = parseImport(text)
      if (!parsed.ok) return parsed
      // One write for the whole file: all of it is imported, or (an error) none of it.
      const imported = await mutate((document) => parsed.presets.map((p) => add(document, p, p.name)))
      return { ok: true, imported: imported.map((preset) => summary(emptyStoreDocument(), preset)) }
    },
    exportText(key) {
      const document = snapshot()
      if (key !== undefined) return exportText([mustFind(document, key)], false)
      if (document.presets.length === 0)
        throw new PresetStoreError('There are no saved presets to export.', 'not-found')
      return exportText(document.presets, true)
    },
    settings: () => snapshot().settings,
    updateSettings: (change) =>
      mutate((document) => {
        document.settings = { ...change(document.settings) }
        return document.settings
      }),
  }
}
