/**
 * Finds a Chromium-family browser for the browser tests the way a user has one: `CHROMIUM_PATH`
 * if set, then Debian/Ubuntu Chromium, Google Chrome or Chromium at their usual places on Linux,
 * macOS and Windows, then a browser Playwright downloaded into its cache
 * (`npx playwright-core install chromium`). The file system is reached through `BrowserProbe`, so
 * a test can describe any machine.
 */
import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { posix, win32 } from 'node:path'

export interface BrowserProbe {
  readonly platform: NodeJS.Platform
  readonly env: Readonly<Record<string, string | undefined>>
  readonly home: string
  exists(path: string): boolean
  /** Entry names in a folder; empty when it does not exist. */
  list(folder: string): readonly string[]
}

export type BrowserSearch =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string }

export const realBrowserProbe: BrowserProbe = {
  platform: process.platform,
  env: process.env,
  home: homedir(),
  exists: existsSync,
  list: (folder) => {
    try {
      return readdirSync(folder)
    } catch {
      return []
    }
  },
}

/** Paths of the probed machine, not of the one running this (a test describes Windows on Linux). */
const pathsOf = (platform: NodeJS.Platform) => (platform === 'win32' ? win32 : posix)

/** Where browsers are installed by their own installers and package managers. */
function installedPaths({ platform, env, home }: BrowserProbe): string[] {
  const { join } = pathsOf(platform)
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium']
    return ['/Applications', join(home, 'Applications')].flatMap((folder) => apps.map((app) => join(folder, app)))
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter(
      (root): root is string => !!root,
    )
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe']
    return roots.flatMap((root) => apps.map((app) => join(root, app)))
  }
  return [
    '/usr/bin/chromium', // Debian
    '/usr/bin/chromium-browser', // Ubuntu, older Debian derivatives
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ]
}

/** Playwright's download cache (its own default, or `PLAYWRIGHT_BROWSERS_PATH`). */
function playwrightCache({ platform, env, home }: BrowserProbe): string {
  const { join } = pathsOf(platform)
  const custom = env['PLAYWRIGHT_BROWSERS_PATH']
  if (custom && custom !== '0') return custom
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'ms-playwright')
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'ms-playwright')
  return join(env['XDG_CACHE_HOME'] ?? join(home, '.cache'), 'ms-playwright')
}

/** The executable inside one `chromium-<revision>` folder, for each layout Playwright has used. */
function playwrightExecutables(platform: NodeJS.Platform, folder: string): string[] {
  const at = pathsOf(platform).join
  if (platform === 'darwin') {
    return ['chrome-mac-arm64', 'chrome-mac-x64', 'chrome-mac'].flatMap((build) => [
      at(folder, build, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'),
      at(folder, build, 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
    ])
  }
  if (platform === 'win32') return ['chrome-win64', 'chrome-win'].map((build) => at(folder, build, 'chrome.exe'))
  return ['chrome-linux64', 'chrome-linux-arm64', 'chrome-linux'].map((build) => at(folder, build, 'chrome'))
}

/** Full Chromium builds in Playwright's cache, newest revision first (not the headless shell,
 * which cannot run the headed screenshots). */
function cachedPaths(probe: BrowserProbe): string[] {
  const cache = playwrightCache(probe)
  const at = pathsOf(probe.platform).join
  return probe
    .list(cache)
    .map((name) => ({ name, revision: /^chromium-(\d+)$/.exec(name)?.[1] }))
    .filter((entry): entry is { name: string; revision: string } => entry.revision !== undefined)
    .sort((a, b) => Number(b.revision) - Number(a.revision))
    .flatMap((entry) => playwrightExecutables(probe.platform, at(cache, entry.name)))
}

export function findBrowser(probe: BrowserProbe = realBrowserProbe): BrowserSearch {
  const chosen = probe.env['CHROMIUM_PATH']
  if (chosen) {
    // The user named one: using another behind their back would test the wrong browser.
    return probe.exists(chosen)
      ? { found: true, path: chosen }
      : { found: false, reason: `CHROMIUM_PATH is ${chosen}, which does not exist` }
  }
  const path = [...installedPaths(probe), ...cachedPaths(probe)].find((candidate) => probe.exists(candidate))
  return path ? { found: true, path } : { found: false, reason: 'no Chromium or Google Chrome found' }
}
