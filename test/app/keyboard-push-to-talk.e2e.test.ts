/**
 * The app from the keyboard only, in push-to-talk: choose the mode in Settings, Start with Enter,
 * hold Space to talk. Nothing reaches main while Space is up, and Space never presses the focused
 * button (the End button must not end the session).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { openApp, turns, waitForStatus, waitUntil, type AppUnderTest } from './app-page.js'

describe('keyboard and push-to-talk', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: await speechWav('hello what time is it', { padStartSec: 2.5, padEndSec: 8 }),
      engine: { script: ['You pressed to talk and I heard you.'] },
    })
  })
  afterAll(async () => app?.close())

  it('switches to push-to-talk, starts, and sends audio only while Space is held', async () => {
    const { page, wire } = app
    const keyboard = page.keyboard

    // Tabs: arrow keys move between Configuration, Diagnostics and Settings.
    await page.getByRole('tab', { name: 'Configuration' }).focus()
    await keyboard.press('ArrowRight')
    await keyboard.press('ArrowRight')
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Settings')

    const ptt = page.getByRole('radio', { name: 'Push-to-talk (hold Space)' })
    await ptt.focus()
    await keyboard.press('Space')
    await waitUntil(
      () => ptt.isChecked(),
      (checked) => checked,
      'push-to-talk to be chosen',
      5_000,
    )

    await page.getByRole('button', { name: 'Start', exact: true }).focus()
    await keyboard.press('Enter')
    await waitForStatus(page, /Live/)
    expect(await page.getByRole('status', { name: 'Connection' }).innerText()).toContain('Hold Space to talk')
    const framesBeforeTalking = wire.of('audio.mic-frame').length

    // Focus sits on End: holding Space must talk, not end the session.
    await page.getByRole('button', { name: 'End', exact: true }).focus()
    await page.waitForTimeout(500)
    expect(wire.of('audio.mic-frame').length).toBe(framesBeforeTalking)
    await keyboard.down('Space')
    await page.getByText('You are speaking').waitFor({ timeout: 5_000 })
    await page.waitForTimeout(4_000) // the fake mic says its sentence
    await keyboard.up('Space')
    const sent = wire.of('audio.mic-frame').length - framesBeforeTalking
    expect(sent).toBeGreaterThan(150) // ~4 s of 20 ms frames while held
    const presses = await waitUntil(
      async () => wire.of('session.push-to-talk'),
      (all) => all.length >= 2,
      'the release to reach main',
      5_000,
    )
    expect(presses).toEqual([{ pressed: true }, { pressed: false }])

    const shown = await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'done'),
      'the answer to the push-to-talk turn',
    )
    expect(shown[0]?.role).toBe('user')
    expect(shown[0]?.text.toLowerCase()).toContain('time')
    expect(shown.find((t) => t.role === 'assistant')?.text).toBe('You pressed to talk and I heard you.')
    await waitForStatus(page, /Live/)
    // Space did not click End: the session is still running.
    expect(await page.getByRole('button', { name: 'End', exact: true }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'End', exact: true }).press('Enter')
    await waitForStatus(page, /Ready/)
  })
})
