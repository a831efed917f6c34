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
  type AppUnderTest,
  type Position,
  type ProtocolRow,
} from './app-page.js'

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
