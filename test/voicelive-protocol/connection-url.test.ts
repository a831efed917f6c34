/**
 * The URL and headers that go on the wire for each endpoint and target as the user typed them
 * (spaces included), and the exact message for each endpoint the app refuses.
 */
import { describe, expect, it } from 'vitest'
import {
  buildHeaders,
  buildRealtimeUrl,
  ConfigError,
  isLoopbackEndpoint,
  parseEndpoint,
  type Target,
} from '../../src-main/voicelive-protocol/connection-url.js'

const model: Target = { kind: 'model', model: 'gpt-realtime' }
const url = (endpoint: string, target: Target = model, apiVersion?: string) =>
  buildRealtimeUrl({ endpoint, target, apiVersion }).toString()
const refusal = (run: () => unknown): { name: string; message: string } => {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return { name: error.name, message: error.message }
    throw error
  }
  throw new Error('not refused')
}

describe('the realtime URL', () => {
  it('trims what the user typed: the endpoint, the model, the agent names and the api-version', () => {
    expect(url('  https://r.services.ai.azure.com/  ', { kind: 'model', model: ' gpt-4o ' }, ' 2025-10-01 ')).toBe(
      'wss://r.services.ai.azure.com/voice-live/realtime?api-version=2025-10-01&model=gpt-4o',
    )
    expect(
      url('https://r.x', { kind: 'agent', agentName: ' helpdesk ', projectName: ' support ', agentVersion: ' 3 ' }),
    ).toBe(
      'wss://r.x/voice-live/realtime?api-version=2026-04-10&agent-name=helpdesk&agent-project-name=support&agent-version=3',
    )
  })

  it('leaves out a blank agent version and uses the default for a blank api-version', () => {
    expect(url('https://r.x', { kind: 'agent', agentName: 'a', projectName: 'p', agentVersion: '  ' }, '   ')).toBe(
      'wss://r.x/voice-live/realtime?api-version=2026-04-10&agent-name=a&agent-project-name=p',
    )
  })

  it('refuses each bad endpoint or target with its own message', () => {
    const configError = (message: string) => ({ name: 'ConfigError', message })
    expect(refusal(() => url('   '))).toEqual(
      configError('No endpoint given: pass --endpoint or set AZURE_VOICE_LIVE_ENDPOINT.'),
    )
    expect(refusal(() => url('ftp://r.x'))).toEqual(
      configError('The endpoint must start with https://, wss://, http:// or ws:// (got ftp:)'),
    )
    for (const endpoint of ['https://me@r.x', 'https://:pw@r.x']) {
      expect(
        refusal(() => url(endpoint)),
        endpoint,
      ).toEqual(configError('The endpoint must not contain a user name or password.'))
    }
    for (const endpoint of ['https://r.x?authorization=x', 'https://r.x?Authorization=x', 'https://r.x?api-key=x']) {
      expect(
        refusal(() => url(endpoint)),
        endpoint,
      ).toEqual(configError('Do not put credentials in the endpoint URL; pass the key with --api-key instead.'))
    }
    for (const target of [
      { kind: 'agent', agentName: ' ', projectName: 'p' },
      { kind: 'agent', agentName: 'a', projectName: ' ' },
    ] as const) {
      expect(refusal(() => url('https://r.x', target))).toEqual(
        configError('Agent mode needs both an agent name (--agent) and a project name (--project).'),
      )
    }
    expect(parseEndpoint(' http://127.0.0.1:9 ').toString()).toBe('http://127.0.0.1:9/')
  })

  it('sends the credential only in a header, with our user agent and the request id', () => {
    expect(buildHeaders({ kind: 'api-key', key: 'k' }, 'id-1')).toEqual({
      'x-ms-client-request-id': 'id-1',
      'user-agent': 'voice-live-desktop/0.1.0',
      'api-key': 'k',
    })
    expect(buildHeaders({ kind: 'bearer', token: 't' }, 'id-2')).toEqual({
      'x-ms-client-request-id': 'id-2',
      'user-agent': 'voice-live-desktop/0.1.0',
      authorization: 'Bearer t',
    })
    expect(buildHeaders({ kind: 'none' }, 'id-3')).toEqual({
      'x-ms-client-request-id': 'id-3',
      'user-agent': 'voice-live-desktop/0.1.0',
    })
  })
})

describe('loopback endpoints (no credentials needed)', () => {
  it('knows every 127.x address, localhost and ::1, typed with spaces, and nothing that only contains them', () => {
    expect([' ws://127.10.20.30:1 ', 'http://localhost', 'ws://[::1]:3'].map(isLoopbackEndpoint)).toEqual([
      true,
      true,
      true,
    ])
    expect(
      ['ws://x127.0.0.1', 'ws://127.0.0.1.example.com', 'ws://128.0.0.1', 'ws://', ''].map(isLoopbackEndpoint),
    ).toEqual([false, false, false, false, false])
  })
})
