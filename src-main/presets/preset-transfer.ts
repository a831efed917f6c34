/**
 * Preset files for import and export. One preset exports as the preset itself (so the file also
 * works with `voicelive chat --preset-file`); several export as
 * `{"format": "voice-live-presets", "version": 1, "presets": [...]}`. Import accepts either, or a
 * bare array, and is all-or-nothing: it lists every problem with its path and imports nothing if
 * there is one. Hostile files are refused before any preset is looked at: too large, too deep,
 * or carrying prototype keys (`__proto__`, `constructor`, `prototype`).
 */
import { formatIssuePath, presetProblems, presetSchema, type Preset } from '../../src-shared/preset/preset.js'
import { migratePreset } from './store-migrations.js'

/** Larger than any real preset collection (a preset is a few KB), small enough to read at once. */
export const IMPORT_SIZE_LIMIT = 1024 * 1024
export const IMPORT_COUNT_LIMIT = 500
const MAX_DEPTH = 32
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
export const EXPORT_FORMAT = 'voice-live-presets'

export type ImportParse = { ok: true; presets: Preset[] } | { ok: false; problems: string[] }

/** Every prototype key and every over-deep value, by path; walks without recursion. */
function structuralProblems(root: unknown): string[] {
  const problems: string[] = []
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }]
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] }
    if (typeof value !== 'object' || value === null) continue
    if (path.length > MAX_DEPTH) {
      problems.push(`${formatIssuePath(path)}: nested more than ${MAX_DEPTH} levels deep`)
      continue
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value)
    for (const [key, child] of entries) {
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
        problems.push(`${formatIssuePath([...path, key])}: the key "${key}" is not allowed`)
        continue
      }
      stack.push({ value: child, path: [...path, key] })
    }
  }
  return problems.sort()
}

/** The presets a file holds, with the path prefix their problems are reported under. */
function candidatesOf(value: unknown): { items: unknown[]; prefix: (index: number) => string } | string {
  if (Array.isArray(value)) return { items: value, prefix: (i) => `[${i}]` }
  if (typeof value !== 'object' || value === null) return '(file): must be a preset object or a list of presets'
  const record = value as Record<string, unknown>
  if (!('presets' in record)) return { items: [record], prefix: () => '' }
  if (!Array.isArray(record.presets)) return 'presets: must be a list of presets'
  if (record.format !== undefined && record.format !== EXPORT_FORMAT) return `format: must be "${EXPORT_FORMAT}"`
  return { items: record.presets, prefix: (i) => `presets[${i}]` }
}

/** Reads an import file's text into presets, or every problem it has. */
export function parseImport(text: string): ImportParse {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > IMPORT_SIZE_LIMIT) {
    return {
      ok: false,
      problems: [`(file): ${bytes} bytes is over the ${IMPORT_SIZE_LIMIT}-byte limit for a presets file`],
    }
  }
  let value: unknown
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return { ok: false, problems: [`(file): not valid JSON (${(error as Error).message})`] }
  }
  const structural = structuralProblems(value)
  if (structural.length > 0) return { ok: false, problems: structural }
  const candidates = candidatesOf(value)
  if (typeof candidates === 'string') return { ok: false, problems: [candidates] }
  if (candidates.items.length === 0) return { ok: false, problems: ['(file): holds no presets'] }
  if (candidates.items.length > IMPORT_COUNT_LIMIT) {
    return {
      ok: false,
      problems: [`(file): ${candidates.items.length} presets is over the limit of ${IMPORT_COUNT_LIMIT}`],
    }
  }
  const presets: Preset[] = []
  const problems: string[] = []
  candidates.items.forEach((item, index) => {
    const result = presetSchema.safeParse(migratePreset(item))
    if (result.success) presets.push(result.data)
    else problems.push(...presetProblems(result.error, candidates.prefix(index)))
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, presets }
}

/** The text of an export file: one preset as itself, several in the collection format. */
export function exportText(presets: readonly Preset[], asCollection: boolean): string {
  const value = asCollection || presets.length !== 1 ? { format: EXPORT_FORMAT, version: 1, presets } : presets[0]
  return `${JSON.stringify(value, null, 2)}\n`
}
