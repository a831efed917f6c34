import { afterEach, describe, expect, it } from 'vitest'
import type { EngineFaults } from '../../src-main/engine/faults.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { AUDIO_CHUNK_MS } from '../../src-main/engine/response-stream.js'
import { EngineClient } from './engine-client.js'

const REPLY = 'A scripted reply that is long enough to take a few seconds to say out loud.'
let engine: LocalEngine | null = null
let client: EngineClient | null = null
afterEach(async () => {
  client?.close()
  await engine?.close()
  client = null
  engine = null
})

async function withFaults(faults: EngineFaults): Promise<LocalEngine> {
  engine = await startLocalEngine({ faults, script: [REPLY] })
  return engine
}

async function session(faults: EngineFaults): Promise<EngineClient> {
  const started = await withFaults(faults)
  client = await EngineClient.connect(started.url)
  await client.waitFor('session.created')
  return client
}

/** Ask for a response without any input audio (a text message is enough). */
function askForReply(target: EngineClient): void {
  target.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } })
  target.send({ type: 'response.create' })
}

describe('fault injection', () => {
  it.each([401, 403, 404, 429] as const)('refuses the handshake with HTTP %i', async (status) => {
    const started = await withFaults({ refuse: status })
    await expect(EngineClient.connect(started.url)).rejects.toThrow(`HTTP ${status}`)
  })

  it('drops the socket mid-response without a close frame', async () => {
    const target = await session({ dropAfterAudioDeltas: 2 })
    askForReply(target)
    const code = await target.waitForClose()
    expect(code).toBe(1006)
    expect(target.ofType('response.audio.delta').length).toBeGreaterThanOrEqual(1)
    expect(target.ofType('response.audio.delta').length).toBeLessThanOrEqual(2)
    expect(target.ofType('response.done')).toHaveLength(0)
  })

  it.each([1011, 4008] as const)('closes the session with %i after the given time', async (code) => {
    const target = await session({ closeAfter: { seconds: 0.2, code } })
    expect(await target.waitForClose()).toBe(code)
  })

  it('sends an error event after session.created and keeps the socket open', async () => {
    const target = await session({ errorEvent: true })
    const error = await target.waitFor('error')
    expect(error.error).toMatchObject({ type: 'server_error', code: 'injected_fault' })
    askForReply(target)
    await target.waitFor('response.done')
  })

  it('sends a frame that is not JSON', async () => {
    const target = await session({ malformedJson: true })
    await target.waitFor('session.created')
    const deadline = Date.now() + 5000
    while (target.rawFrames.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(() => JSON.parse(target.rawFrames[1] ?? '{}')).toThrow()
  })

  it('sends an event larger than 1 MiB', async () => {
    const target = await session({ oversizedFrame: true })
    const big = await target.waitFor('conversation.item.retrieved')
    expect(target.rawFrames.find((frame) => frame.includes('conversation.item.retrieved'))?.length).toBeGreaterThan(1024 * 1024)
    const content = (big.item as { content?: { audio?: string }[] } | undefined)?.content
    expect(content?.[0]?.audio?.length).toBeGreaterThan(1024 * 1024)
  })

  it('delays the first delta by the given latency', async () => {
    const target = await session({ latencyMs: 800 })
    askForReply(target)
    // The clock starts when synthesis is over (the content part is announced just before the
    // audio streams): from response.created it would count synthesis time, which alone can
    // exceed 800 ms on a busy machine and pass with no latency at all.
    await target.waitFor('response.content_part.added')
    const synthesised = Date.now()
    await target.waitFor('response.audio.delta')
    expect(Date.now() - synthesised).toBeGreaterThanOrEqual(800 - 50)
  })

  it('spreads delta gaps with jitter', async () => {
    const target = await session({ jitterMs: 400 })
    askForReply(target)
    const arrivals: number[] = []
    target.socket.on('message', (data) => {
      if (String(data).includes('"response.audio.delta"')) arrivals.push(Date.now())
    })
    await target.waitFor('response.done')
    const gaps = arrivals.slice(1).map((time, index) => time - (arrivals[index] ?? time))
    // Without jitter every gap is one chunk (100 ms); jitter makes some gaps clearly longer.
    expect(Math.max(...gaps)).toBeGreaterThan(AUDIO_CHUNK_MS + 50)
  })
})
