/**
 * The Interrupt button: a local stop while the assistant talks. Playback stops and the engine is
 * told to truncate the answer at the position the speaker really reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { LONG_REPLY, openApp, turns, waitUntil, waitForTruncation, type AppUnderTest } from './app-page.js'

describe('the Interrupt button', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: await speechWav('hello there', { padStartSec: 1, padEndSec: 12 }),
      engine: { script: [LONG_REPLY] },
    })
  })
  afterAll(async () => app?.close())

  it('silences the assistant and truncates its answer where the user stopped it', async () => {
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await page.getByText('Assistant speaking').waitFor({ timeout: 20_000 })
    await page.waitForTimeout(1_500)
    await page.getByRole('button', { name: 'Interrupt' }).click()

    const shown = await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'truncated'),
      'the interrupted answer',
    )
    expect(shown.find((t) => t.role === 'assistant')?.text).toContain('(interrupted)')
    await page.getByText('Listening').waitFor({ timeout: 5_000 })

    const { heard, receivedBytes, truncate } = await waitForTruncation(wire)
    // About 1.5 s had been heard when the button was pressed, less than what had arrived.
    expect(heard.playedSamples).toBeGreaterThan(24_000)
    expect(heard.playedSamples * 2).toBeLessThan(receivedBytes)
    expect(truncate.summary['item_id']).toBe(heard.itemId)
    expect(Math.abs(Number(truncate.summary['audio_end_ms']) - heard.playedSamples / 24)).toBeLessThanOrEqual(1)
    await page.getByRole('button', { name: 'End', exact: true }).click()
  })
})
