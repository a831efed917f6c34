/**
 * The built app under plain Node: out/main/index.js is imported in a child process whose
 * `electron` resolves to the typed recording fake (test/support/electron-stub-hooks.mjs). Checks
 * what only the bundle can show: evaluating it throws nothing (no native addon at its top), the
 * calls around `ready` come in the order Electron needs, and the sandboxed preload bundle requires
 * nothing but `electron`. Needs `npm run build` first (`npm test` does it).
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const mainBundle = join(root, 'out/main/index.js')
const preloadBundle = join(root, 'out/preload/index.cjs')

function requireBuilt(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first (npm test does it)`)
  return path
}

interface SmokeRun {
  evaluationError: string | null
  calls: string[]
  errors: { title: string; content: string }[]
  loaded: string | null
  preload: string | null
}

async function runBuiltMain(): Promise<SmokeRun> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/electron-stub-hooks.mjs', 'test/support/run-built-main.ts', requireBuilt(mainBundle)],
    { cwd: root },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as SmokeRun
}

describe('the built main process, started against a recording Electron', () => {
  it('evaluates without throwing and calls Electron in the order it needs', async () => {
    const run = await runBuiltMain()
    expect(run.evaluationError).toBeNull()
    expect(run.errors).toEqual([])
    const at = (call: string) => {
      expect(run.calls).toContain(call)
      return run.calls.indexOf(call)
    }
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(at('app.ready'))
    expect(at('app.requestSingleInstanceLock')).toBeLessThan(at('app.ready'))
    expect(at('app.ready')).toBeLessThan(at('protocol.handle'))
    expect(at('BrowserWindow.new')).toBeLessThan(at('safeStorage.isAsyncEncryptionAvailable'))
    expect(run.loaded).toBe('app://renderer/index.html')
    expect(run.preload).toBe(preloadBundle)
  })

  it('loads no native addon at the top of any main-process chunk', () => {
    const dir = join(root, 'out/main')
    for (const file of readdirSync(requireBuilt(dir)).filter((name) => name.endsWith('.js'))) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/^import[^;]*["'](koffi|uiohook-napi)["']/m)
    }
  })

  it('the sandboxed preload requires nothing but electron', () => {
    const code = readFileSync(requireBuilt(preloadBundle), 'utf8')
    const required = new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]))
    expect([...required]).toEqual(['electron'])
    expect(code).not.toMatch(/^import /m)
  })
})
