/**
 * Barge-in through the real app: the user speaks while the assistant is talking. Playback stops,
 * the engine is told (and accepts) a truncate at the position the speaker really reached, and the
 * on-screen answer is cut to what was heard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LONG_REPLY,
  openApp,
  turns,
  twoUtterancesWav,
  waitUntil,
  waitForTruncation,
  type AppUnderTest,
} from './app-page.js'

describe('barge-in in the app', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      // A 5 s gap: the reply has begun playing before the second utterance even when a loaded
      // machine (the whole suite on two cores) slows recognition and synthesis.
      micWav: await twoUtterancesWav('hello there', 5, 'stop please'),
      engine: { script: [LONG_REPLY, 'All right, I stopped.'] },
    })
  })
  afterAll(async () => app?.close())

  it('stops playback, truncates at the heard position and trims the transcript', async () => {
    const { page, wire } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()

    const after = await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'truncated'),
      'the interrupted answer',
      30_000,
    )
    const interrupted = after.find((t) => t.role === 'assistant' && t.status === 'truncated')
    expect(interrupted?.text.length).toBeGreaterThan(0)
    expect(interrupted?.text.length).toBeLessThan(LONG_REPLY.length)
    expect(interrupted?.text).toContain('(interrupted)')

    const { heard, receivedBytes, truncate, acknowledged } = await waitForTruncation(wire)
    // The renderer answered the flush with what its speaker really rendered of that item, which
    // was less than the engine had already sent: playback stopped early.
    expect(heard.playedSamples).toBeGreaterThan(0)
    expect(heard.playedSamples * 2).toBeLessThan(receivedBytes)
    // The truncate names that item at the played position (24 samples per ms), and the engine
    // accepted it.
    expect(truncate.summary['item_id']).toBe(heard.itemId)
    expect(Math.abs(Number(truncate.summary['audio_end_ms']) - heard.playedSamples / 24)).toBeLessThanOrEqual(1)
    expect(acknowledged.summary['item_id']).toBe(heard.itemId)

    // The user's interruption becomes a turn of its own.
    await waitUntil(
      () => turns(page),
      (all) => all.filter((t) => t.role === 'user' && t.status === 'done').length === 2,
      'the second user turn',
    )
    await page.getByRole('button', { name: 'End', exact: true }).click()
  }, 60_000)
})
