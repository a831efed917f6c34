/**
 * Tokens expire inside a 60-minute session: the session core must ask the token provider before
 * every connect, reconnect and roll-over, and send each connection the token it got then.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { VoiceSession } from '../../src-main/voice-session/index.js'
import { makeSession, waitFor } from '../voice-session/helpers.js'
import { scriptedServers } from '../voice-session/scripted-server.js'

const servers = scriptedServers()
const sessions: VoiceSession[] = []
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.stop()))
  await servers.closeAll()
})

describe('a token per connection', () => {
  it('asks the provider again for the reconnect after a drop and for the roll-over', async () => {
    const server = await servers.serve(async (connection, index) => {
      await connection.handshake(`sess_${index}`)
      if (index === 0) connection.socket.terminate() // a network drop: the core reconnects
    })
    let issued = 0
    const { session } = makeSession(server.url, {
      connection: {
        endpoint: server.url,
        auth: { kind: 'token-provider', provider: { getToken: async () => `token-${++issued}` } },
        target: { kind: 'model', model: 'gpt-realtime' },
      },
      timing: { connectTimeoutMs: 2000, reconnectDelaysMs: [20], rolloverAfterMs: 400 },
    })
    sessions.push(session)
    await session.start()
    await waitFor(session, 'state', (state) => state.status === 'live' && state.sessionId === 'sess_2')
    const sent = server.connections.map((connection) => connection.request.headers['authorization'])
    expect(sent).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3'])
  })
})
