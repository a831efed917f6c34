/**
 * A whole spoken turn through the real app: Chromium with a fake microphone, the browser harness,
 * the session core and the local engine, asserted on what the user sees and hears.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import { speechWav } from '../support/speech-fixture.js'
import { rms } from '../support/wav.js'
import {
  openApp,
  playbackCounters,
  transcript,
  turns,
  waitForStatus,
  waitUntil,
  type AppUnderTest,
} from './app-page.js'

const REPLY = 'Sure. The local engine heard you and is answering now.'

describe('a spoken turn in the app', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await openApp({
      micWav: await speechWav('hello what time is it', { padStartSec: 1, padEndSec: 8 }),
      engine: { script: [REPLY] },
    })
  })
  afterAll(async () => app?.close())

  it('starts with nothing set up, hears the user, speaks the reply, and ends', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live/)
    expect(await page.getByRole('button', { name: 'End', exact: true }).isVisible()).toBe(true)

    // The mic meter moves while the user speaks.
    const meter = page.getByRole('meter', { name: 'Microphone level' })
    await waitUntil(
      async () => Number(await meter.getAttribute('value')),
      (level) => level > 0.3,
      'the mic meter to rise',
      10_000,
    )

    // The user's words come back from the engine's recogniser as a user line.
    const heard = await waitUntil(
      () => turns(page),
      (all) => all.some((t) => t.role === 'user' && t.status === 'done' && t.text.trim() !== ''),
      'the user transcript line',
    )
    expect(heard[0]?.role).toBe('user')
    expect(heard[0]?.text.toLowerCase()).toContain('time')

    // The assistant's reply streams in and finishes as the scripted text, and nothing around the
    // transcript moves while it streams.
    const controls = [
      page.getByRole('button', { name: 'End', exact: true }),
      page.getByRole('status', { name: 'Connection' }),
      transcript(page),
      page.getByRole('meter', { name: 'Microphone level' }),
      page.getByRole('tablist', { name: 'Panels' }),
    ]
    const layout = async () => JSON.stringify(await Promise.all(controls.map((c) => c.boundingBox())))
    const before = await layout()
    const layouts = new Set<string>()
    const answered = await waitUntil(
      async () => {
        layouts.add(await layout())
        return turns(page)
      },
      (all) => all.some((t) => t.role === 'assistant' && t.status === 'done'),
      'the assistant transcript',
    )
    expect([...layouts]).toEqual([before])
    expect(answered.find((t) => t.role === 'assistant')?.text).toBe(REPLY)
    // Its latency (speech end → first audio) is shown on the turn.
    await expect
      .poll(() => transcript(page).locator('.turn-assistant .turn-latency').innerText(), { timeout: 5_000 })
      .toMatch(/^\d+ ms$/)

    // Every sample of the reply was rendered by the playback worklet.
    const counters = await waitUntil(
      () => playbackCounters(page),
      (c) => c.receivedBytes > 0 && c.playedSamples * 2 === c.receivedBytes,
      'the whole reply to be played',
    )
    expect(counters.playedSamples).toBeGreaterThan(24_000) // more than a second of speech

    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isVisible()).toBe(true)
    // The conversation stays on screen after End.
    expect((await turns(page)).length).toBe(2)
  })

  it('streams the mic as exact 20 ms PCM16 frames and never sends audio as JSON', () => {
    const frames = app.wire.of('audio.mic-frame')
    expect(frames.length).toBeGreaterThan(100)
    for (const frame of frames) {
      expect(frame).toBeInstanceOf(Uint8Array)
      expect((frame as Uint8Array).byteLength).toBe(960)
    }
  })

  it('tells the event log about every mic append, in a few merged events', () => {
    const frames = app.wire.of('audio.mic-frame').length
    const appends = (app.wire.of('session.protocol-event') as ProtocolEvent[]).filter(
      (e) => e.direction === 'client' && e.type === 'input_audio_buffer.append',
    )
    const appended = appends.reduce((total, e) => total + (e.count ?? 1), 0)
    // Main appends the frames that arrive while live (the first few arrive while connecting).
    expect(appended).toBeGreaterThan(frames * 0.8)
    expect(appended).toBeLessThanOrEqual(frames)
    // About one bridge event per 150 ms instead of one per 20 ms frame (measured: 52 for 327).
    expect(appends.length).toBeLessThan(appended / 4)
  })

  it('exports the conversation as Markdown and JSON, and the audio as a stereo WAV', async () => {
    const { page } = app
    const savedPath = async (button: string, extension: string): Promise<string> => {
      await page.getByRole('button', { name: button }).click()
      // The notice names the file just written (its extension tells it from the previous one).
      const alert = page.getByRole('alert').filter({ hasText: new RegExp(`^Saved to .+\\.${extension}$`) })
      await alert.waitFor({ timeout: 5_000 })
      return (await alert.innerText()).replace(/^Saved to /, '').trim()
    }
    const markdown = readFileSync(await savedPath('Export Markdown', 'md'), 'utf8')
    expect(markdown).toMatch(/\*\*You:\*\* .*time/)
    expect(markdown).toContain(`**Assistant:** ${REPLY}`)

    const json = JSON.parse(readFileSync(await savedPath('Export JSON', 'json'), 'utf8')) as {
      turns: { role: string; text: string }[]
    }
    expect(json.turns.map((t) => t.role)).toEqual(['user', 'assistant'])
    expect(json.turns[1]?.text).toBe(REPLY)

    const wav = readFileSync(await savedPath('Export WAV', 'wav'))
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength)
    expect(view.getUint16(22, true)).toBe(2) // stereo
    expect(view.getUint32(24, true)).toBe(24_000)
    const frames = (wav.byteLength - 44) / 4
    const left = new Int16Array(frames)
    const right = new Int16Array(frames)
    for (let i = 0; i < frames; i++) {
      left[i] = view.getInt16(44 + i * 4, true)
      right[i] = view.getInt16(46 + i * 4, true)
    }
    // The user's speech is on the left, the assistant's on the right, and they do not overlap:
    // the reply starts after the user stopped talking.
    expect(rms(left)).toBeGreaterThan(0.005)
    expect(rms(right)).toBeGreaterThan(0.005)
    const firstLoud = (samples: Int16Array) => samples.findIndex((s) => Math.abs(s) > 3000)
    expect(firstLoud(right)).toBeGreaterThan(firstLoud(left) + 24_000)
  })
})
