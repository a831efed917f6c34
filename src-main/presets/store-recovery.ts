/**
 * Salvage from a damaged `presets.json`: every preset that still reads as a valid preset is kept.
 * A file cut short (a crash, a full disk on a file system without atomic rename) or with a stray
 * edit usually still holds most presets whole, so when the JSON does not parse, the objects of the
 * `"presets": [...]` array are read one by one. The settings are kept when the JSON still parses.
 */
import { isBuiltInId } from '../../src-shared/preset/built-in-presets.js'
import { presetProblems } from '../../src-shared/preset/preset.js'
import { uniqueName } from './preset-naming.js'
import { migratePreset } from './store-migrations.js'
import { emptyStoreDocument, savedPresetSchema, type StoreDocument } from './store-document.js'

export interface Salvage {
  readonly document: StoreDocument
  readonly kept: number
  readonly lost: number
  readonly problems: readonly string[]
}

/** The end (exclusive) of the JSON object starting at `start`, or -1 if it never closes. */
function objectEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return -1
}

/** The whole objects of the `"presets"` array in text that is not valid JSON as a whole. */
export function presetObjectsIn(text: string): unknown[] {
  const key = text.search(/"presets"\s*:\s*\[/)
  if (key < 0) return []
  const found: unknown[] = []
  let i = text.indexOf('[', key) + 1
  while (i < text.length) {
    const next = text.slice(i).search(/\S/)
    if (next < 0) break
    i += next
    const c = text[i]
    if (c === ',') {
      i++
      continue
    }
    if (c !== '{') break
    const end = objectEnd(text, i)
    if (end < 0) break
    try {
      found.push(JSON.parse(text.slice(i, end)))
    } catch {
      // A damaged object: skip it, keep looking at the next one.
    }
    i = end
  }
  return found
}

export function salvageStore(text: string): Salvage {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  const candidates = record ? (Array.isArray(record.presets) ? record.presets : []) : presetObjectsIn(text)
  const lastUsed = record ? record.lastUsedPresetId : /"lastUsedPresetId"\s*:\s*"([a-z0-9-]{1,64})"/.exec(text)?.[1]

  const document = emptyStoreDocument()
  const problems: string[] = []
  let lost = 0
  candidates.forEach((candidate, index) => {
    const result = savedPresetSchema.safeParse(migratePreset(candidate))
    const clash = result.success && document.presets.some((p) => p.id === result.data.id)
    if (!result.success || clash || isBuiltInId(result.data.id)) {
      lost++
      problems.push(
        ...(result.success
          ? [`presets[${index}]: duplicate id "${result.data.id}"`]
          : presetProblems(result.error, `presets[${index}]`)),
      )
      return
    }
    const name = uniqueName(
      result.data.name,
      document.presets.map((p) => p.name),
    )
    document.presets.push({ ...result.data, name })
  })
  // The app's settings are checked by their owner when read; kept whole if the section is an object.
  const settings = record?.settings
  if (typeof settings === 'object' && settings !== null && !Array.isArray(settings)) {
    document.settings = { ...(settings as Record<string, unknown>) }
  }
  if (typeof lastUsed === 'string' && (isBuiltInId(lastUsed) || document.presets.some((p) => p.id === lastUsed))) {
    document.lastUsedPresetId = lastUsed
  }
  return { document, kept: document.presets.length, lost, problems }
}
