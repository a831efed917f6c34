/**
 * Leaving a preset with unsaved changes, in the app (harness + Chromium): the Scenario picker asks
 * first (Save / Discard / Cancel), and so do New…, Duplicate and Undo, which select a preset too.
 * Cancel keeps the edits and the preset, Discard switches without them, Save on a built-in keeps
 * them as a new preset. A pick from the tray does not ask: it
 * switches, and the edits wait, marked in the picker, until the preset is picked again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openApp, waitUntil, type AppUnderTest } from './app-page.js'

const dataDir = mkdtempSync(join(tmpdir(), 'voice-live-unsaved-e2e-'))
let app: AppUnderTest | null = null
afterAll(async () => {
  await app?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const PIRATE = 'Speak like a pirate.'

describe('switching away from unsaved changes', () => {
  it('asks in the window (Cancel keeps, Discard drops, Save keeps as new); the tray keeps them for later', async () => {
    app = await openApp({ userDataDir: dataDir })
    const { page, harness } = app
    const picker = page.getByLabel('Scenario')
    const shown = () => page.locator('#preset-picker option:checked').textContent()
    const instructions = page.getByLabel('Response instructions')
    const unsavedBadge = page.getByTitle('Edited in the Configuration panel and not saved')
    const prompt = page.getByRole('alertdialog', { name: 'Unsaved changes' })
    await waitUntil(shown, (label) => label === 'Casual chat', 'the default preset')
    const casualInstructions = await instructions.inputValue()

    await instructions.fill(PIRATE)
    await unsavedBadge.waitFor()
    await picker.selectOption({ label: 'Greeter' })
    await prompt.waitFor()
    expect(await prompt.textContent()).toContain('“Casual chat” has changes that are not saved')
    expect(await prompt.textContent()).toContain('switching to “Greeter”')

    // Cancel: still Casual chat, the edits still there and still marked.
    await prompt.getByRole('button', { name: 'Cancel' }).click()
    await prompt.waitFor({ state: 'detached' })
    expect(await shown()).toBe('Casual chat')
    expect(await instructions.inputValue()).toBe(PIRATE)
    expect(await unsavedBadge.count()).toBe(1)

    // New… would select the new preset: asked too, and Cancel creates nothing.
    await page.getByRole('button', { name: 'New…', exact: true }).click()
    await page.getByLabel('New preset name').fill('Fresh')
    await page.getByRole('button', { name: 'OK', exact: true }).click()
    await prompt.waitFor()
    expect(await prompt.textContent()).toContain('switching to the new preset “Fresh”')
    await prompt.getByRole('button', { name: 'Cancel' }).click()
    await prompt.waitFor({ state: 'detached' })
    expect(await shown()).toBe('Casual chat')
    expect(await page.locator('#preset-picker option').allTextContents()).not.toContain('Fresh')
    expect(await instructions.inputValue()).toBe(PIRATE)

    // Discard: Greeter, and Casual chat is back as it ships.
    await picker.selectOption({ label: 'Greeter' })
    await prompt.getByRole('button', { name: 'Discard' }).click()
    await waitUntil(shown, (label) => label === 'Greeter', 'Greeter after Discard')
    await picker.selectOption({ label: 'Casual chat' })
    await waitUntil(shown, (label) => label === 'Casual chat', 'Casual chat again, without asking')
    expect(await instructions.inputValue()).toBe(casualInstructions)
    expect(await unsavedBadge.count()).toBe(0)

    // Save, on a built-in: the edits become a new preset, and the picker moves on.
    await instructions.fill(PIRATE)
    await unsavedBadge.waitFor()
    await picker.selectOption({ label: 'Greeter' })
    await prompt.getByRole('button', { name: 'Save as new preset' }).click()
    await waitUntil(shown, (label) => label === 'Greeter', 'Greeter after Save')
    await picker.selectOption({ label: 'Casual chat (2)' })
    await waitUntil(shown, (label) => label === 'Casual chat (2)', 'the saved copy')
    expect(await instructions.inputValue()).toBe(PIRATE)
    expect(await unsavedBadge.count()).toBe(0)

    // The tray: no question; the edits of the preset left wait for it, marked "•" in the picker.
    await instructions.fill('Arr, matey.')
    await waitUntil(
      () => harness.presetMenu.list(),
      (view) => view.unsaved,
      'the edit in main',
    )
    await harness.presetMenu.select('language-tutor')
    await waitUntil(shown, (label) => label === 'Language tutor', 'the tray pick shown')
    expect(await prompt.count()).toBe(0)
    expect(await page.locator('#preset-picker option').allTextContents()).toContain('Casual chat (2) •')
    await picker.selectOption({ label: 'Casual chat (2) •' })
    await waitUntil(shown, (label) => label === 'Casual chat (2)', 'back to the copy')
    expect(await instructions.inputValue()).toBe('Arr, matey.')
    expect(await unsavedBadge.count()).toBe(1)
  }, 120_000)
})
