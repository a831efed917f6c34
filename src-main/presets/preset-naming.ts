/** Names and ids for new presets: a clash becomes "Tutor (2)", ids are stable slugs. */
import { randomBytes } from 'node:crypto'

const SUFFIX = / \((\d+)\)$/

/** `name`, or the first of "name (2)", "name (3)", … that no preset has yet (any case). */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()))
  if (!used.has(name.toLowerCase())) return name
  const base = name.replace(SUFFIX, '')
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`
    const candidate = `${base.slice(0, 100 - suffix.length)}${suffix}`
    if (!used.has(candidate.toLowerCase())) return candidate
  }
}

/** A new stable id: a readable slug of the name (ASCII part) plus random hex, e.g. `tutor-3f9a1c`. */
export function newPresetId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `${slug || 'preset'}-${randomBytes(3).toString('hex')}`
}
