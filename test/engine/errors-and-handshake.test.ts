import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { EngineClient } from './engine-client.js'

const KEY = 'local-test-key-123'
let open: LocalEngine
let keyed: LocalEngine
const clients: EngineClient[] = []

beforeAll(async () => {
  open = await startLocalEngine()
  keyed = await startLocalEngine({ apiKey: KEY })
})
afterAll(async () => {
  for (const client of clients) client.close()
  await Promise.all([open.close(), keyed.close()])
})

/** The HTTP status a WebSocket upgrade is refused with (or 101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.terminate()
      resolve({ status: 101, body: '', headers: {} })
    })
    socket.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
    })
    socket.once('error', reject)
  })
}

async function connect(): Promise<EngineClient> {
  const client = await EngineClient.connect(open.url)
  clients.push(client)
  await client.waitFor('session.created')
  return client
}

describe('handshake', () => {
  const path = '/voice-live/realtime?api-version=2026-04-10&model=gpt-realtime'
  it('accepts any key, or none, when the engine has no key', async () => {
    expect((await upgradeStatus(`${open.url}${path}`)).status).toBe(101)
    expect((await upgradeStatus(`${open.url}${path}`, { 'api-key': 'anything' })).status).toBe(101)
  })
  it('with --api-key, refuses a missing or wrong key with 401 and accepts the key as header or bearer token', async () => {
    expect((await upgradeStatus(`${keyed.url}${path}`)).status).toBe(401)
    const wrong = await upgradeStatus(`${keyed.url}${path}`, { 'api-key': 'wrong' })
    expect(wrong.status).toBe(401)
    expect(wrong.body).not.toContain(KEY)
    expect((await upgradeStatus(`${keyed.url}${path}`, { 'api-key': KEY })).status).toBe(101)
    expect((await upgradeStatus(`${keyed.url}${path}`, { authorization: `Bearer ${KEY}` })).status).toBe(101)
  })
  it('checks the path, api-version and model or agent parameters', async () => {
    expect((await upgradeStatus(`${open.url}/openai/realtime?api-version=2026-04-10&model=m`)).status).toBe(404)
    const noVersion = await upgradeStatus(`${open.url}/voice-live/realtime?model=gpt-realtime`)
    expect(noVersion.status).toBe(400)
    expect(noVersion.body).toContain('api-version')
    expect((await upgradeStatus(`${open.url}/voice-live/realtime?api-version=v1&model=m`)).status).toBe(400)
    expect((await upgradeStatus(`${open.url}/voice-live/realtime?api-version=2026-04-10`)).status).toBe(400)
    expect((await upgradeStatus(`${open.url}/voice-live/realtime?api-version=2026-04-10&agent-name=a&agent-project-name=p`)).status).toBe(101)
  })
})

describe('error events shaped like the service, socket stays open', () => {
  it('rejects an unknown session field with unknown_parameter and the param path', async () => {
    const client = await connect()
    client.send({ type: 'session.update', event_id: 'evt_1', session: { voice_speed: 2 } })
    const error = await client.waitFor('error')
    expect(error.error).toEqual({ type: 'invalid_request_error', code: 'unknown_parameter', message: "Unknown parameter: 'session.voice_speed'.", param: 'session.voice_speed', event_id: 'evt_1' })
    expect(client.ofType('session.updated')).toHaveLength(0)
    client.send({ type: 'session.update', session: { instructions: 'still here' } })
    const updated = await client.waitFor('session.updated')
    expect(updated.session).toMatchObject({ instructions: 'still here' })
  })

  it.each([
    [{ turn_detection: { type: 'server_vad', threshold: 1.5 } }, 'session.turn_detection.threshold', 'invalid_value'],
    [{ turn_detection: { type: 'magic_vad' } }, 'session.turn_detection.type', 'invalid_value'],
    [{ turn_detection: { type: 'server_vad', loudness: 3 } }, 'session.turn_detection.loudness', 'unknown_parameter'],
    [{ input_audio_sampling_rate: 44_100 }, 'session.input_audio_sampling_rate', 'invalid_value'],
    [{ output_audio_format: 'mp3' }, 'session.output_audio_format', 'invalid_value'],
    [{ modalities: ['audio'] }, 'session.modalities', 'invalid_value'],
  ])('rejects %j', async (session, param, code) => {
    const client = await connect()
    client.send({ type: 'session.update', session })
    const error = await client.waitFor('error')
    expect(error.error).toMatchObject({ type: 'invalid_request_error', code, param })
  })

  it('answers bad JSON, an unknown event type and a missing field with errors', async () => {
    const client = await connect()
    client.socket.send('{not json')
    client.send({ type: 'input_audio_buffer.explode' })
    client.send({ type: 'conversation.item.truncate', item_id: 'x', content_index: 0 })
    client.send({ type: 'input_audio_buffer.append', audio: '***' })
    await client.waitFor('error', () => client.ofType('error').length === 4)
    const errors = client.ofType('error').map((event) => event.error)
    expect(errors[0]).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' })
    expect(errors[1]).toMatchObject({ code: 'invalid_value', param: 'type' })
    expect(errors[2]).toMatchObject({ code: 'missing_required_parameter', param: 'audio_end_ms' })
    expect(errors[3]).toMatchObject({ code: 'invalid_value', param: 'audio' })
    expect(client.socket.readyState).toBe(WebSocket.OPEN)
  })

  it('reports semantic VAD types as approximated by server_vad', async () => {
    const client = await connect()
    client.send({ type: 'session.update', session: { turn_detection: { type: 'azure_semantic_vad' } } })
    const updated = await client.waitFor('session.updated')
    expect(updated.session).toMatchObject({ turn_detection: { type: 'azure_semantic_vad', speech_duration_ms: 80, silence_duration_ms: 500 } })
    const warning = await client.waitFor('warning')
    expect(String((warning.warning as { message: string }).message)).toContain('behaves as server_vad')
  })
})
