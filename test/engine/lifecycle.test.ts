import { describe, expect, it } from 'vitest'
import { startLocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { EngineClient } from './engine-client.js'

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1
  return counts
}

describe('engine lifecycle', () => {
  it('close() in the middle of a streaming response leaves no timers, sockets or servers behind', async () => {
    const before = resourceCounts()
    const engine = await startLocalEngine({ faults: { closeAfter: { seconds: 60, code: 4008 } } })
    const clients = await Promise.all([EngineClient.connect(engine.url), EngineClient.connect(engine.url)])
    for (const client of clients) {
      await client.waitFor('session.created')
      client.appendWav(await speechWav('hello there'))
    }
    await Promise.all(clients.map((client) => client.waitFor('response.audio.delta')))
    expect(engine.sessionCount).toBe(2)
    const during = resourceCounts()
    expect(during['TCPServerWrap'] ?? 0).toBeGreaterThan(before['TCPServerWrap'] ?? 0)
    expect(during['Timeout'] ?? 0).toBeGreaterThan(before['Timeout'] ?? 0)

    await engine.close()
    await Promise.all(clients.map((client) => client.waitForClose()))
    // Nothing of any kind is left above what was open before (the runner's own may have ended).
    // A closed server's handle leaves libuv's list in the loop's close phase, which can come after
    // close() resolves, so a leak is what is still there a second later.
    const leaked = () => Object.entries(resourceCounts()).filter(([name, count]) => count > (before[name] ?? 0))
    for (let waited = 0; leaked().length > 0 && waited < 1_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(leaked()).toEqual([])
  })
})
