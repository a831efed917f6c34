/**
 * Presets in the app (harness + Chromium), as a user meets them: create one, edit it (marked
 * unsaved until saved), duplicate, delete and undo; then restart the harness on the same data
 * folder and the preset is still there and still selected.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_IN_NAMES } from '../presets/support/store-dir.js'
import { openApp, waitUntil, type AppUnderTest } from './app-page.js'

const dataDir = mkdtempSync(join(tmpdir(), 'voice-live-presets-e2e-'))
let app: AppUnderTest | null = null
afterAll(async () => {
  await app?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** The Scenario picker's shown name ('' while it loads). */
const pickerLabel = async (a: AppUnderTest): Promise<string> => {
  const selected = a.page.locator('#preset-picker option:checked')
  return (await selected.count()) === 0 ? '' : ((await selected.textContent()) ?? '')
}
const pickerNames = (a: AppUnderTest) => a.page.locator('#preset-picker option').allTextContents()

describe('presets in the app', () => {
  it('create, edit and save, duplicate, delete with undo; a restart keeps it selected', async () => {
    app = await openApp({ userDataDir: dataDir })
    const { page } = app
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label === 'Casual chat',
      'the default preset',
    )

    await page.getByRole('button', { name: 'New…', exact: true }).click()
    await page.getByLabel('New preset name').fill('Mi tutor — 日本語')
    await page.getByRole('button', { name: 'OK', exact: true }).click()
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label === 'Mi tutor — 日本語',
      'the new preset selected',
    )

    const unsaved = page.getByText('Unsaved changes')
    expect(await unsaved.count()).toBe(0)
    await page.getByLabel('Response instructions').fill('Corrige mi japonés.')
    await unsaved.waitFor()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await unsaved.waitFor({ state: 'detached' })

    await page.getByRole('button', { name: 'Duplicate', exact: true }).click()
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label === 'Mi tutor — 日本語 (2)',
      'the copy selected',
    )
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Deleted “Mi tutor — 日本語 (2)”.' }).waitFor()
    expect(await pickerNames(app)).not.toContain('Mi tutor — 日本語 (2)')
    await page.getByRole('button', { name: 'Undo', exact: true }).click()
    await waitUntil(
      () => pickerNames(app as AppUnderTest),
      (names) => names.includes('Mi tutor — 日本語 (2)'),
      'the copy back',
    )

    // Built-ins are read-only: no Delete, no Rename.
    await page.getByLabel('Scenario').selectOption({ label: 'Greeter' })
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label === 'Greeter',
      'Greeter selected',
    )
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Rename…', exact: true }).isDisabled()).toBe(true)

    await page.getByLabel('Scenario').selectOption({ label: 'Mi tutor — 日本語' })
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label === 'Mi tutor — 日本語',
      'back to the tutor',
    )
    await app.close()
    app = null

    // Restart on the same data folder.
    app = await openApp({ userDataDir: dataDir })
    await waitUntil(
      () => pickerLabel(app as AppUnderTest),
      (label) => label !== '',
      'the picker',
    )
    expect(await pickerLabel(app)).toBe('Mi tutor — 日本語')
    expect(await app.page.getByLabel('Response instructions').inputValue()).toBe('Corrige mi japonés.')
    expect(await pickerNames(app)).toEqual([...BUILT_IN_NAMES, 'Mi tutor — 日本語', 'Mi tutor — 日本語 (2)'])
  }, 120_000)

  it('a damaged presets file is moved aside and the window says so', async () => {
    const damagedDir = mkdtempSync(join(tmpdir(), 'voice-live-presets-damaged-'))
    writeFileSync(join(damagedDir, 'presets.json'), '{"schemaVersion": 3, "presets": [{"id": "x", "na')
    const damaged = await openApp({ userDataDir: damagedDir })
    try {
      const alert = damaged.page.getByRole('alert').filter({ hasText: 'presets.json was damaged' })
      await alert.waitFor()
      expect(await alert.textContent()).toMatch(/it was moved to .*presets\.corrupt-.*\.json\. 0 preset\(s\) recovered/)
      expect(readdirSync(damagedDir).filter((name) => name.startsWith('presets.corrupt-'))).toHaveLength(1)
    } finally {
      await damaged.close()
      rmSync(damagedDir, { recursive: true, force: true })
    }
  }, 60_000)
})
