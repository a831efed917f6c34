/**
 * The wire, against the local engine: the app's services with a warm mic (a frame every 20 ms from
 * before the press to after the reply), a hold and a release of the in-window key. What the
 * session sends is exactly clear → append… → commit → response.create; the appends go on after
 * key-up (the tail); the engine hears the turn and its reply comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { EventChannel, EventPayload } from '../../src-shared/bridge/contract.js'
import type { ProtocolEvent, TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import { startLocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav } from '../support/wav.js'

const FRAME_BYTES = 960 // 20 ms at 24 kHz
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('push-to-talk on the wire (local engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptt-wire-'))
  let services: AppServices | undefined
  afterAll(async () => {
    await services?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('hold and release send exactly clear, the appends (tail included), commit, response.create; the reply comes back', async () => {
    const events: Array<{ channel: EventChannel; payload: unknown }> = []
    const app = createAppServices({
      transportKind: 'harness',
      appVersion: 'test',
      userDataDir: dir,
      startEngine: () => startLocalEngine({ host: '127.0.0.1', port: 0, script: ['I heard the whole turn.'] }),
    })
    services = app
    app.attach({
      emit<C extends EventChannel>(channel: C, payload: EventPayload<C>) {
        events.push({ channel, payload })
      },
    })
    const of = <C extends EventChannel>(channel: C) =>
      events.filter((event) => event.channel === channel).map((event) => event.payload as EventPayload<C>)
    const until = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await sleep(10)
      }
    }

    await app.handlers.commands['settings.update']({ talkMode: 'push-to-talk' })
    await app.handlers.commands['session.start']({})
    await until('live', () => of('session.state').some((state) => state.status === 'live'))

    // The warm mic: speech ("hello what time is it", 0.3 s of silence first), then silence.
    const speech = readPcm16Wav(await speechWav('hello what time is it', { padStartSec: 0.3, padEndSec: 0.2 }))
    const pcm = new Uint8Array(speech.samples.buffer, speech.samples.byteOffset, speech.samples.byteLength)
    let framesSent = 0
    let offset = 0
    let mic: NodeJS.Timeout | undefined
    const startMic = (from: number) => {
      offset = from
      mic = setInterval(() => {
        const frame = new Uint8Array(FRAME_BYTES)
        frame.set(pcm.subarray(offset, Math.min(offset + FRAME_BYTES, pcm.byteLength)))
        offset += FRAME_BYTES
        app.handlers.sends['audio.mic-frame'](frame)
        framesSent++
      }, 20)
    }
    startMic(pcm.byteLength) // silence before the press: the gate is shut
    await sleep(300)
    clearInterval(mic)

    app.handlers.sends['session.push-to-talk']({ pressed: true })
    const framesAtPress = framesSent
    startMic(0)
    // Let go 0.15 s of audio before the speech ends (0.2 s of padding follow it): the rest is the tail's.
    const releaseAt = pcm.byteLength - (speech.sampleRate * 2 * 350) / 1000
    await until('the last word', () => offset >= releaseAt)
    app.handlers.sends['session.push-to-talk']({ pressed: false })
    const framesAtRelease = framesSent

    const reply = await (async () => {
      await until('the reply', () => of('session.transcript').some((entry) => entry.role === 'assistant' && entry.status === 'done'))
      return of('session.transcript').filter((entry): entry is TranscriptEntry => entry.role === 'assistant')
    })()
    clearInterval(mic)
    expect(reply.at(-1)?.text).toBe('I heard the whole turn.')

    // The client events the session sent, runs of appends expanded.
    const sent = of('session.protocol-event')
      .filter((event: ProtocolEvent) => event.direction === 'client')
      .flatMap((event) => Array<string>(event.count ?? 1).fill(event.type))
    const turn = sent.slice(sent.indexOf('input_audio_buffer.clear'), sent.indexOf('response.create') + 1)
    const appends = turn.filter((type) => type === 'input_audio_buffer.append').length
    expect(sent.slice(0, sent.indexOf('input_audio_buffer.clear'))).toEqual(['session.update']) // nothing before the press
    expect(turn).toEqual([
      'input_audio_buffer.clear',
      ...Array<string>(appends).fill('input_audio_buffer.append'),
      'input_audio_buffer.commit',
      'response.create',
    ])
    // Every frame from the press to the release went out, and then the tail: ~300 ms, at most 15
    // frames (fewer when this loaded machine's 20 ms timer runs late; none at all without a tail).
    const held = framesAtRelease - framesAtPress
    expect(appends - held).toBeGreaterThanOrEqual(5)
    expect(appends - held).toBeLessThanOrEqual(16)
    const user = of('session.transcript').find((entry) => entry.role === 'user')
    expect(user?.text.toLowerCase()).toContain('time')
  })
})
