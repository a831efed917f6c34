import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { preflight, type PreflightProbes } from '../../scripts/preflight-checks.js'

/** A machine with everything `npm test` needs, or with the named pieces missing. */
function machine(
  platform: NodeJS.Platform,
  missing: { browser?: boolean; programs?: readonly string[]; pocketSphinx?: boolean } = {},
): PreflightProbes {
  return {
    platform,
    browser: () =>
      missing.browser
        ? { found: false, reason: 'no Chromium or Google Chrome found' }
        : { found: true, path: '/usr/bin/chromium' },
    onPath: (program) => !missing.programs?.includes(program),
    recognizer: () =>
      missing.pocketSphinx
        ? {
            available: false,
            reason: 'libpocketsphinx could not be loaded (libsphinxbase.so.3: cannot open shared object file)',
          }
        : { available: true },
  }
}

const lineOf = (probes: PreflightProbes): string => {
  const verdict = preflight(probes)
  if (verdict.ready) throw new Error('expected the preflight to stop the run')
  expect(verdict.line).not.toContain('\n')
  return verdict.line
}

describe('the preflight at the start of npm test', () => {
  it('lets the tests run on a machine with everything, and says which browser they use', () => {
    expect(preflight(machine('linux'))).toEqual({ ready: true, browser: '/usr/bin/chromium' })
  })

  it('on Linux, names a missing browser and the setup command in one line', () => {
    expect(lineOf(machine('linux', { browser: true }))).toBe(
      'npm test cannot run: missing a browser for the browser tests (no Chromium or Google Chrome found). ' +
        'To install: run `npm run setup:linux` (Debian/Ubuntu; it uses sudo when not root).',
    )
  })

  it('on Linux, names Xvfb and PocketSphinx when they are missing, together in the same one line', () => {
    const line = lineOf(machine('linux', { programs: ['Xvfb'], pocketSphinx: true }))
    expect(line).toMatch(
      /^npm test cannot run: missing Xvfb for the headed screenshots and the real-keys test \(not on PATH\); PocketSphinx for the engine's recognition tests \(libpocketsphinx could not be loaded/,
    )
    expect(line).toContain('npm run setup:linux')
    expect(line).not.toContain('browser')
  })

  it("on Linux, names the real-keys test's xdotool and xev when they are missing", () => {
    expect(lineOf(machine('linux', { programs: ['xdotool', 'xev'] }))).toMatch(
      /^npm test cannot run: missing xdotool for the real-keys push-to-talk test \(not on PATH\); xev for the real-keys push-to-talk test \(not on PATH\)\. To install: run `npm run setup:linux`/,
    )
  })

  it('on macOS and Windows, names the browser to install and asks for nothing Linux-only', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const linuxOnly = { programs: ['Xvfb', 'xdotool', 'xev'], pocketSphinx: true }
      expect(preflight(machine(platform, linuxOnly))).toMatchObject({ ready: true })
      const line = lineOf(machine(platform, { browser: true, ...linuxOnly }))
      expect(line).toContain(
        'install Google Chrome (https://www.google.com/chrome/), or run `npx playwright-core install chromium`',
      )
      expect(line).not.toMatch(/setup:linux|Xvfb|PocketSphinx/)
    }
  })

  it('stops `npm test` with that line and a non-zero exit before anything else runs', () => {
    const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs')
    const script = resolve(import.meta.dirname, '../../scripts/preflight.ts')
    const run = spawnSync(process.execPath, [tsx, script], {
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^npm test cannot run: missing a browser for the browser tests \(CHROMIUM_PATH is \/nonexistent\/chromium, which does not exist\)/,
      ),
    ])
  })
})
