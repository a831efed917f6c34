/**
 * Microphone and speaker choice: the devices the browser reports are offered by label once the mic
 * permission is granted; a choice is kept by main, so a reloaded window (or the next harness run
 * on another port, where localStorage would be empty) still has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { openApp, waitForStatus, waitUntil, type AppUnderTest } from './app-page.js'

describe('device choice', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({ micWav: await speechWav('hello', { padEndSec: 4 }) })
  })
  afterAll(async () => app?.close())

  it('offers the real devices by label and remembers the choice in main', async () => {
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live/)
    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)

    await page.getByRole('tab', { name: 'Settings' }).click()
    const microphone = page.getByLabel('Microphone', { exact: true })
    const inputs = await microphone.locator('option').allInnerTexts()
    expect(inputs[0]).toBe('System default')
    const choice = inputs.find((label) => label !== 'System default')
    expect(choice).toBeTruthy()
    await microphone.selectOption({ label: choice ?? '' })
    await waitUntil(
      async () => wire.of('settings.update'),
      (updates) =>
        updates.some((u) => (u as { audio?: { inputDeviceLabel?: string } }).audio?.inputDeviceLabel === choice),
      'the choice to reach main',
      5_000,
    )

    await page.reload()
    await page.getByRole('tab', { name: 'Settings' }).click()
    await waitUntil(
      async () => page.getByLabel('Microphone', { exact: true }).locator('option:checked').innerText(),
      (selected) => selected === choice,
      'the remembered microphone after a reload',
      10_000,
    )
  })
})
