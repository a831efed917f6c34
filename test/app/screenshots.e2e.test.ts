/**
 * Headed Chromium (on Linux under a private Xvfb display, elsewhere on the desktop): the main view
 * after a spoken turn, in the OS light and dark themes, saved to test-results/ for people to look
 * at. The test checks that the page really follows the theme (dark background in dark mode, light
 * in light mode).
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { startXvfb, type VirtualDisplay } from '../support/xvfb.js'
import { openApp, turns, waitUntil, type AppUnderTest } from './app-page.js'

const OUT_DIR = resolve(import.meta.dirname, '../../test-results')

/** Relative luminance (0 dark … 1 light) of the page background. */
const backgroundLuminance = async (page: Page): Promise<number> => {
  const color = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string
  const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number)
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
}

describe('the main view, headed, in both themes', () => {
  let display: VirtualDisplay | null = null
  let app: AppUnderTest
  const previousDisplay = process.env['DISPLAY']

  beforeAll(async () => {
    // macOS and Windows always have a desktop to open a window on; Linux CI has no X server.
    if (process.platform === 'linux') {
      display = await startXvfb('1280x800x24')
      process.env['DISPLAY'] = display.display
    }
    app = await openApp({
      headed: true,
      micWav: await speechWav('hello what time is it', { padStartSec: 1, padEndSec: 8 }),
      engine: { script: ['It is a fine time to talk. What would you like to know?'] },
    })
  })
  afterAll(async () => {
    await app?.close()
    await display?.stop()
    if (previousDisplay === undefined) delete process.env['DISPLAY']
    else process.env['DISPLAY'] = previousDisplay
  })

  it('saves light and dark screenshots of a conversation', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'done'),
      'a finished answer',
      30_000,
    )
    mkdirSync(OUT_DIR, { recursive: true })
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8)
    await page.screenshot({ path: resolve(OUT_DIR, 'app-main-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await backgroundLuminance(page)).toBeLessThan(0.2)
    await page.screenshot({ path: resolve(OUT_DIR, 'app-main-dark.png') })
    await page.getByRole('button', { name: 'End', exact: true }).click()
  })
})
