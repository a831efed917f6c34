/**
 * Settings → Diagnostics: the log level is the user's choice in the window, carried over the
 * bridge and kept with the settings (presets.json's settings section), so the next run logs at the same level.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, waitUntil, type AppUnderTest } from './app-page.js'

describe('Settings → Diagnostics', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-live-diagnostics-'))
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({ userDataDir: dataDir })
  })
  afterAll(async () => {
    await app?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const storedLevel = (): string | undefined => {
    try {
      return (
        JSON.parse(readFileSync(join(dataDir, 'presets.json'), 'utf8')) as {
          settings?: { diagnostics?: { logLevel?: string } }
        }
      ).settings?.diagnostics?.logLevel
    } catch {
      return undefined // not written yet
    }
  }

  /** Resolves once the stored settings hold `level`. */
  const stored = (level: string) =>
    waitUntil(
      async () => storedLevel(),
      (now) => now === level,
      `logLevel ${level} in the stored settings`,
    )

  it('the detailed (debug) log is off until the user turns it on, and the choice is kept', async () => {
    const { page, wire } = app
    await page.getByRole('tab', { name: 'Settings' }).click()
    const detailed = page.getByLabel('Detailed log (debug)')
    expect(await detailed.isChecked()).toBe(false)

    await detailed.check()
    await stored('debug')
    expect(wire.of('settings.update')).toContainEqual({ diagnostics: { logLevel: 'debug' } })
    expect(await detailed.isChecked()).toBe(true)

    await detailed.uncheck()
    await stored('info')
  })
})
