/**
 * The app from the keyboard only, in push-to-talk: choose the mode in Settings, Start with Enter,
 * hold Space to talk. The mic stays warm (frames reach main all along) but main's push-to-talk
 * machine sends nothing to the service while Space is up; Space is let go while the last word is
 * still being said, and the release tail still carries it to the service. Space never presses the
 * focused button (the End button must not end the session).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'
import { openApp, turns, waitForStatus, waitUntil, type AppUnderTest } from './app-page.js'

// 5 s of silence first: on a loaded machine the session can take seconds to go live, and the
// press must come before the speech does.
const MIC_WAV = await speechWav('hello what time is it', { padStartSec: 5, padEndSec: 8 })

const SPEECH_LEVEL = 0.02
const frameLevel = (frame: Int16Array | Uint8Array): number =>
  rms(frame instanceof Int16Array ? frame : new Int16Array(frame.buffer, frame.byteOffset, frame.byteLength / 2))

/** 20 ms frames from the first to the last one above the speech level, in the fixture itself. */
function speechFramesIn(path: string): number {
  const { samples, sampleRate } = readPcm16Wav(path)
  const size = sampleRate / 50
  const loud: number[] = []
  for (let at = 0; at + size <= samples.length; at += size) {
    if (frameLevel(samples.subarray(at, at + size)) > SPEECH_LEVEL) loud.push(at / size)
  }
  return (loud.at(-1) ?? 0) - (loud[0] ?? 0) + 1
}

/** Mic appends the session sent to the service, from the protocol events main reported. */
const appendsSent = (events: unknown[]): number =>
  (events as ProtocolEvent[])
    .filter((event) => event.direction === 'client' && event.type === 'input_audio_buffer.append')
    .reduce((sum, event) => sum + (event.count ?? 1), 0)

describe('keyboard and push-to-talk', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: MIC_WAV,
      engine: { script: ['You pressed to talk and I heard you.'] },
    })
  })
  afterAll(async () => app?.close())

  it('switches to push-to-talk, starts, and sends audio to the service only while Space is held, tail included', { timeout: 60_000 }, async () => {
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
    // The mic is warm (frames keep coming) but nothing goes to the service while Space is up.
    expect(wire.of('audio.mic-frame').length).toBeGreaterThan(framesBeforeTalking + 10)
    expect(appendsSent(wire.of('session.protocol-event'))).toBe(0)
    await keyboard.down('Space')
    const framesAtPress = wire.of('audio.mic-frame').length
    await page.getByText('You are speaking').waitFor({ timeout: 5_000 })

    // Let go while the last word ("it") is being said: 220 ms before the speech ends, as heard in
    // the frames the page sends (the speech starts where their level first rises).
    const releaseAfter = speechFramesIn(MIC_WAV) - 11
    let onset = -1
    for (let checked = 0, deadline = Date.now() + 15_000; ; ) {
      const frames = wire.of('audio.mic-frame') as Uint8Array[]
      for (; onset < 0 && checked < frames.length; checked++) {
        const frame = frames[checked]!
        if (frameLevel(frame) > SPEECH_LEVEL) onset = checked
      }
      if (onset >= 0 && onset < framesAtPress) throw new Error('the speech began before Space was pressed: start took too long')
      if (onset >= 0 && frames.length - onset >= releaseAfter) break
      if (Date.now() > deadline) throw new Error(`no speech in the mic frames (${frames.length} frames, onset ${onset})`)
      await page.waitForTimeout(10)
    }
    const releasedAt = wire.of('audio.mic-frame').length
    await keyboard.up('Space')
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
    // The last word, said after the key went up, reached the service in the release tail.
    // On a miss, say where the audio sent to the service ended against the speech (20 ms frames).
    const sentBytes = Math.max(0, ...(wire.of('session.protocol-event') as ProtocolEvent[])
      .filter((event) => event.direction === 'client' && event.type === 'input_audio_buffer.append')
      .map((event) => Number(event.summary['bytes'] ?? 0)))
    const sentFrames = sentBytes / 2 / (24_000 / 50)
    const speechFrames = speechFramesIn(MIC_WAV)
    const where = `${sentFrames} frames sent from the press; the speech began ${onset - framesAtPress} frames after it and lasted ${speechFrames}; Space went up at frame ${releasedAt - onset} of the speech`
    expect(shown[0]?.text.toLowerCase(), where).toMatch(/time is it$/)
    expect(shown.find((t) => t.role === 'assistant')?.text).toBe('You pressed to talk and I heard you.')
    await waitForStatus(page, /Live/)
    // Space did not click End: the session is still running.
    expect(await page.getByRole('button', { name: 'End', exact: true }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'End', exact: true }).press('Enter')
    await waitForStatus(page, /Ready/)
  })
})
