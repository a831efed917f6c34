import { posix, win32 } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findBrowser, type BrowserProbe } from '../support/find-browser.js'

/** A machine holding exactly `files`; folders are whatever those paths pass through. */
function machine(
  platform: NodeJS.Platform,
  files: readonly string[],
  env: Record<string, string> = {},
  home = '/home/ada',
): BrowserProbe {
  const path = platform === 'win32' ? win32 : posix
  return {
    platform,
    env,
    home,
    exists: (candidate) => files.includes(candidate),
    list: (folder) => [
      ...new Set(
        files
          .filter((file) => file.startsWith(folder + path.sep))
          .map((file) => file.slice(folder.length + 1).split(path.sep)[0]!),
      ),
    ],
  }
}

describe('finding a browser for the browser tests', () => {
  it('uses CHROMIUM_PATH when set, even with Chromium installed', () => {
    const probe = machine('linux', ['/usr/bin/chromium', '/opt/my/chrome'], { CHROMIUM_PATH: '/opt/my/chrome' })
    expect(findBrowser(probe)).toEqual({ found: true, path: '/opt/my/chrome' })
  })

  it('says CHROMIUM_PATH is wrong rather than quietly testing another browser', () => {
    const probe = machine('linux', ['/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/gone/chrome' })
    expect(findBrowser(probe)).toEqual({
      found: false,
      reason: 'CHROMIUM_PATH is /opt/gone/chrome, which does not exist',
    })
  })

  it("prefers Debian's Chromium, then Ubuntu's, then Google Chrome on Linux", () => {
    const all = ['/usr/bin/google-chrome', '/usr/bin/chromium-browser', '/usr/bin/chromium']
    expect(findBrowser(machine('linux', all))).toEqual({ found: true, path: '/usr/bin/chromium' })
    expect(findBrowser(machine('linux', all.slice(0, 2)))).toEqual({ found: true, path: '/usr/bin/chromium-browser' })
    expect(findBrowser(machine('linux', all.slice(0, 1)))).toEqual({ found: true, path: '/usr/bin/google-chrome' })
  })

  it('finds Google Chrome or Chromium in the system or the user Applications folder on macOS', () => {
    const user = '/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium'
    expect(findBrowser(machine('darwin', [user], {}, '/Users/ada'))).toEqual({ found: true, path: user })
    const system = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    expect(findBrowser(machine('darwin', [user, system], {}, '/Users/ada'))).toEqual({ found: true, path: system })
  })

  it('finds Chrome installed per user or per machine on Windows', () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }
    const perUser = 'C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe'
    expect(findBrowser(machine('win32', [perUser], env, 'C:\\Users\\ada'))).toEqual({ found: true, path: perUser })
    const perMachine = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
    expect(findBrowser(machine('win32', [perUser, perMachine], env, 'C:\\Users\\ada'))).toEqual({
      found: true,
      path: perMachine,
    })
  })

  it("falls back to the newest full Chromium in Playwright's cache, never its headless shell", () => {
    const cache = '/home/ada/.cache/ms-playwright'
    const files = [
      `${cache}/chromium-1180/chrome-linux/chrome`,
      `${cache}/chromium-1200/chrome-linux64/chrome`,
      `${cache}/chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell`,
    ]
    expect(findBrowser(machine('linux', files))).toEqual({
      found: true,
      path: `${cache}/chromium-1200/chrome-linux64/chrome`,
    })
    // An installed browser still comes first.
    expect(findBrowser(machine('linux', [...files, '/usr/bin/chromium']))).toEqual({
      found: true,
      path: '/usr/bin/chromium',
    })
  })

  it("looks in PLAYWRIGHT_BROWSERS_PATH and in macOS's and Windows' Playwright caches", () => {
    const custom = '/srv/browsers/chromium-1200/chrome-linux64/chrome'
    expect(findBrowser(machine('linux', [custom], { PLAYWRIGHT_BROWSERS_PATH: '/srv/browsers' }))).toEqual({
      found: true,
      path: custom,
    })
    const mac =
      '/Users/ada/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'
    expect(findBrowser(machine('darwin', [mac], {}, '/Users/ada'))).toEqual({ found: true, path: mac })
    const windows = 'C:\\Users\\ada\\AppData\\Local\\ms-playwright\\chromium-1200\\chrome-win64\\chrome.exe'
    const env = { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }
    expect(findBrowser(machine('win32', [windows], env, 'C:\\Users\\ada'))).toEqual({ found: true, path: windows })
  })

  it('reports that none was found on a machine without one', () => {
    expect(findBrowser(machine('linux', ['/usr/bin/firefox']))).toEqual({
      found: false,
      reason: 'no Chromium or Google Chrome found',
    })
  })
})
