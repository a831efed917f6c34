/**
 * Two promises of the test suite that a grep can keep: it runs no speech programs of the system
 * (fixtures come from the project's own WASM modules, so a fresh clone needs none), and no test is
 * skipped without its name saying why (test/support/only-on.ts is the one way to skip).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const THIS_FILE = relative(ROOT, import.meta.filename)

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|mjs|js|sh)$/.test(file))
    .map((file) => join(folder, file))
}

/** `file:line: text` of every line matching `pattern` in `files`. */
function matches(files: readonly string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((text, index) => (pattern.test(text) ? [`${file}:${index + 1}: ${text.trim()}`] : [])),
  )
}

/** A child process started with one of these programs as its command. */
const RUNS_SPEECH_PROGRAM =
  /\b(spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(\s*(['"`])(flite|sox|espeak|espeak-ng)\b/
/** Vitest's ways of not running a test: `.skip`, `.skipIf`, `.runIf`, `.todo`, and `skip()` on a
 * test's context (called on it, or taken from it as `({ skip }) =>`). */
const SKIPS =
  /\b(it|test|describe|suite)\s*\.\s*(skip|skipIf|runIf|todo)\b|\b(ctx|context|task)\s*\.\s*skip\s*\(|\(\s*\{[^}]*\bskip\b[^}]*\}\s*\)\s*=>/

describe('test hygiene', () => {
  it('no test, benchmark or script runs the flite, sox or espeak-ng programs', () => {
    const files = [...sources('test'), ...sources('bench'), ...sources('scripts')].filter((file) => file !== THIS_FILE)
    expect(files.length).toBeGreaterThan(50)
    expect(matches(files, RUNS_SPEECH_PROGRAM)).toEqual([])
  })

  it('no test is skipped except through itOnlyOn, which names the reason', () => {
    const files = sources('test').filter((file) => file !== THIS_FILE && file !== join('test', 'support', 'only-on.ts'))
    expect(matches(files, SKIPS)).toEqual([])
  })
})
