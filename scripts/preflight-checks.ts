/**
 * What `npm test` needs from the machine beyond `npm install`, decided from injected probes so a
 * test can describe any machine. When something is missing the verdict is one line naming it
 * and the command that installs it: a newcomer reads that line instead of dozens of failures.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pocketSphinx } from '../src-main/engine/pocketsphinx.js'
import { findBrowser, type BrowserSearch } from '../test/support/find-browser.js'

export interface PreflightProbes {
  readonly platform: NodeJS.Platform
  browser(): BrowserSearch
  /** Whether an executable of this name is on PATH. */
  onPath(program: string): boolean
  /** Whether the engine's recogniser loads, exactly as the engine decides it. */
  recognizer(): { readonly available: true } | { readonly available: false; readonly reason: string }
}

export type PreflightVerdict =
  { readonly ready: true; readonly browser: string } | { readonly ready: false; readonly line: string }

/** Programs the Linux tests start, and what for. */
const LINUX_PROGRAMS = [
  ['Xvfb', 'the headed screenshots and the real-keys test'],
  ['xdotool', 'the real-keys push-to-talk test'],
  ['xev', 'the real-keys push-to-talk test'],
] as const

/** How to get what is missing, per platform. On Linux one script installs every piece. */
function installAdvice(platform: NodeJS.Platform): string {
  if (platform === 'linux') return 'run `npm run setup:linux` (Debian/Ubuntu; it uses sudo when not root)'
  const chrome = 'install Google Chrome (https://www.google.com/chrome/)'
  return `${chrome}, or run \`npx playwright-core install chromium\``
}

export function preflight(probes: PreflightProbes): PreflightVerdict {
  const missing: string[] = []
  const browser = probes.browser()
  if (!browser.found) missing.push(`a browser for the browser tests (${browser.reason})`)
  // The headed screenshots and the real-keys test run under a private Xvfb display, and the
  // engine's recognition tests need PocketSphinx, which the engine only loads on Linux (elsewhere
  // it reports no recogniser).
  if (probes.platform === 'linux') {
    for (const [program, purpose] of LINUX_PROGRAMS) {
      if (!probes.onPath(program)) missing.push(`${program} for ${purpose} (not on PATH)`)
    }
    const recognizer = probes.recognizer()
    if (!recognizer.available) missing.push(`PocketSphinx for the engine's recognition tests (${recognizer.reason})`)
  }
  if (browser.found && missing.length === 0) return { ready: true, browser: browser.path }
  return {
    ready: false,
    line: `npm test cannot run: missing ${missing.join('; ')}. To install: ${installAdvice(probes.platform)}.`,
  }
}

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, program), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

export const machineProbes: PreflightProbes = {
  platform: process.platform,
  browser: () => findBrowser(),
  onPath,
  recognizer: () => pocketSphinx(),
}
