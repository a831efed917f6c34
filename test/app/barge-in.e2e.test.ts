/**
 * Barge-in through the real app: the user speaks while the assistant is talking. Playback stops,
 * the engine is told (and accepts) a truncate at the position the speaker really reached, and the
 * on-screen answer is cut to what was heard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { speechWav } from '../support/speech-fixture.js'
import { openApp, turns, twoUtterancesWav, waitUntil, type AppUnderTest } from './app-page.js'

const LONG_REPLY =
  'Here is a rather long answer, so that there is plenty of time to interrupt me. I will keep talking about ' +
  'the weather, the mountains, the sea, the history of radio, and many other things, for quite a while longer.'

interface Position {
  requestId: number | null
  itemId: string | null
  playedSamples: number
}
interface ProtocolRow {
  direction: string
  type: string
  summary: Record<string, unknown>
}

describe('barge-in in the app', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: twoUtterancesWav('hello there', 3, 'stop please'),
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

    // A truncate went to the engine once the renderer had answered the flush.
    const events = await waitUntil(
      async () => wire.of('session.protocol-event').map((e) => e as ProtocolRow),
      (all) => all.some((e) => e.direction === 'client' && e.type === 'conversation.item.truncate'),
      'the truncate sent to the engine',
      5_000,
    )
    // The renderer answered the flush with what its speaker really rendered of that item...
    const flushReply = wire
      .of('audio.playback-position')
      .map((p) => p as Position)
      .find((p) => p.requestId !== null && p.itemId !== null)
    expect(flushReply?.itemId).toBeTruthy()
    const played = flushReply?.playedSamples ?? 0
    expect(played).toBeGreaterThan(0)
    // ...which was less than the engine had already sent: playback stopped early.
    const received = wire
      .of('audio.playback-chunk')
      .map((c) => c as { itemId: string; pcm: Uint8Array })
      .filter((c) => c.itemId === flushReply?.itemId)
      .reduce((bytes, c) => bytes + c.pcm.byteLength, 0)
    expect(played * 2).toBeLessThan(received)

    // The truncate names that item at the played position (24 samples per ms)...
    const truncate = events.find((e) => e.direction === 'client' && e.type === 'conversation.item.truncate')
    expect(truncate?.summary['item_id']).toBe(flushReply?.itemId)
    expect(Math.abs(Number(truncate?.summary['audio_end_ms']) - played / 24)).toBeLessThanOrEqual(1)
    // ...and the engine accepted it.
    const accepted = await waitUntil(
      async () => wire.of('session.protocol-event').map((e) => e as ProtocolRow),
      (all) => all.some((e) => e.direction === 'server' && e.type === 'conversation.item.truncated'),
      "the engine's conversation.item.truncated",
      5_000,
    )
    expect(accepted.find((e) => e.type === 'conversation.item.truncated')?.summary['item_id']).toBe(flushReply?.itemId)

    // The user's interruption becomes a turn of its own.
    await waitUntil(
      () => turns(page),
      (all) => all.filter((t) => t.role === 'user' && t.status === 'done').length === 2,
      'the second user turn',
    )
    await page.getByRole('button', { name: 'End', exact: true }).click()
  })
})

describe('the Interrupt button', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: speechWav('hello there', { padStartSec: 1, padEndSec: 12 }),
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

    const events = await waitUntil(
      async () => wire.of('session.protocol-event').map((e) => e as ProtocolRow),
      (all) => all.some((e) => e.direction === 'server' && e.type === 'conversation.item.truncated'),
      'the truncate to be acknowledged',
      5_000,
    )
    const flushReply = wire
      .of('audio.playback-position')
      .map((p) => p as Position)
      .find((p) => p.requestId !== null && p.itemId !== null)
    const truncate = events.find((e) => e.direction === 'client' && e.type === 'conversation.item.truncate')
    // About 1.5 s had been heard when the button was pressed.
    expect(flushReply?.playedSamples).toBeGreaterThan(24_000)
    expect(
      Math.abs(Number(truncate?.summary['audio_end_ms']) - (flushReply?.playedSamples ?? 0) / 24),
    ).toBeLessThanOrEqual(1)
    await page.getByRole('button', { name: 'End', exact: true }).click()
  })
})
