/**
 * The engine's fault switches, seen through the app: each fault must end in the state a user can
 * act on (an error with its reason, Retry only when it can help), and a dropped socket must
 * reconnect by itself and keep the conversation.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import {
  openApp,
  recordStatusHistory,
  statusText,
  turns,
  waitForStatus,
  waitUntil,
  type AppUnderTest,
} from './app-page.js'

const FAST_RECONNECT = { reconnectDelaysMs: [100, 200, 400] }

describe('engine faults in the app', () => {
  let app: AppUnderTest | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  it('a refused key (HTTP 401) shows an authentication error, without Retry, and Start again', async () => {
    app = await openApp({ engine: { faults: { refuse: 401 } } })
    const { page } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Error/)
    expect(await statusText(page)).toMatch(/key|auth|denied|401/i)
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isVisible()).toBe(true)
    // Settings are unlocked again so the user can fix the connection.
    await page.getByRole('tab', { name: 'Settings' }).click()
    expect(await page.getByRole('radio', { name: /Azure, with an API key/ }).isEnabled()).toBe(true)
  })

  it('a rate limit (HTTP 429) offers Retry, which really tries again', async () => {
    app = await openApp({ engine: { faults: { refuse: 429 } } })
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Error/)
    expect(await statusText(page)).toMatch(/Rate limit/)
    const history = await recordStatusHistory(page)
    await page.getByRole('button', { name: 'Retry' }).click()
    await waitUntil(
      history,
      (texts) => texts.some((t) => t.startsWith('Connecting')) && texts.at(-1)?.startsWith('Error') === true,
      'a second attempt',
    )
    expect(wire.of('session.start')).toHaveLength(2)
  })

  it("a service error while opening the session shows the service's reason, and Retry", async () => {
    app = await openApp({ engine: { faults: { errorEvent: true } } })
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Error/)
    // A server_error is the service failing, not our settings: say so, and offer Retry.
    expect(await statusText(page)).toMatch(/service failed while opening the session.*injected fault/i)
    expect(await statusText(page)).not.toMatch(/rejected the session settings/)
    await page.getByRole('button', { name: 'Retry' }).click()
    await waitUntil(async () => wire.of('session.start').length, (count) => count === 2, 'a second attempt')
  })

  it('a socket dropped mid-answer reconnects by itself and keeps the conversation', async () => {
    app = await openApp({
      micWav: await speechWav('hello what time is it', { padStartSec: 1, padEndSec: 8 }),
      engine: { faults: { dropAfterAudioDeltas: 3 }, script: ['This answer will be cut off by a dropped connection.'] },
      sessionTiming: FAST_RECONNECT,
    })
    const { page } = app
    const history = await recordStatusHistory(page)
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live/)
    const seen = await waitUntil(
      history,
      (texts) => {
        const reconnecting = texts.findIndex((t) => t.startsWith('Reconnecting'))
        return reconnecting !== -1 && texts.slice(reconnecting).some((t) => t.startsWith('Live'))
      },
      'Reconnecting… then Live again',
      20_000,
    )
    expect(seen.some((t) => t.startsWith('Error'))).toBe(false)
    // What the user said is still on screen after the reconnect.
    const shown = await turns(page)
    expect(shown.some((t) => t.role === 'user' && t.text.toLowerCase().includes('time'))).toBe(true)
    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)
  })

  it('a denied microphone is explained and no session is started', async () => {
    app = await openApp({ denyMic: true })
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /microphone/i })
      .waitFor({ timeout: 10_000 })
    expect(await page.getByRole('status', { name: 'Connection' }).innerText()).toContain('Ready')
    expect(wire.of('session.start')).toEqual([])
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isVisible()).toBe(true)
  })
})
