/**
 * The official @azure/ai-voicelive SDK (a client we did not write) against the local engine.
 * Tested against the local engine only, never against Azure.
 */
import { AzureKeyCredential } from '@azure/core-auth'
import { VoiceLiveClient, type VoiceLiveSession } from '@azure/ai-voicelive'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'
import { serverEventSpecs } from '../../src-main/voicelive-protocol/index.js'
import { sdkReadingDifferences } from '../voicelive-protocol/sdk-oracle.js'
import { EngineClient } from './engine-client.js'

const KEY = 'sdk-test-key'
let engine: LocalEngine
const sessions: VoiceLiveSession[] = []

beforeAll(async () => {
  engine = await startLocalEngine({ apiKey: KEY })
})
afterAll(async () => {
  for (const session of sessions) await session.dispose().catch(() => undefined)
  await engine.close()
})

const httpEndpoint = () => engine.url.replace(/^ws:/, 'http:')

function until<T>(what: string, register: (resolve: (value: T) => void) => void, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)
    register((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

describe('official @azure/ai-voicelive SDK against the local engine', () => {
  it('connects with a key, runs a spoken turn and gets audio and transcripts back, then a second turn', async () => {
    const client = new VoiceLiveClient(httpEndpoint(), new AzureKeyCredential(KEY))
    const audio: Uint8Array[] = []
    const transcripts: string[] = []
    const doneStatuses: string[] = []
    let onDone: (() => void) | null = null
    const session = await client.startSession('gpt-realtime', {
      sessionHandlers: {
        onResponseAudioDelta: async (event) => {
          audio.push(event.delta)
        },
        onConversationItemInputAudioTranscriptionCompleted: async (event) => {
          transcripts.push(event.transcript)
        },
        onResponseDone: async (event) => {
          doneStatuses.push(String(event.response.status))
          onDone?.()
        },
      },
    })
    sessions.push(session)
    await session.updateSession({
      modalities: ['text', 'audio'],
      inputAudioTranscription: { model: 'azure-speech' },
      turnDetection: { type: 'server_vad', silenceDurationInMs: 500 },
    })

    const send = async (text: string) => {
      const { samples } = readPcm16Wav(await speechWav(text))
      const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
      for (let offset = 0; offset < bytes.length; offset += 4800) await session.sendAudio(bytes.subarray(offset, offset + 4800))
    }
    const firstDone = until<void>('first response.done', (resolve) => (onDone = resolve))
    await send('hello there')
    await firstDone
    const firstAudio = Buffer.concat(audio)
    const samples = new Int16Array(firstAudio.buffer, firstAudio.byteOffset, firstAudio.byteLength >> 1)
    expect(samples.length / 24_000).toBeGreaterThan(1)
    expect(rms(samples)).toBeGreaterThan(0.02)
    expect(transcripts[0]).toContain('hello')

    const secondDone = until<void>('second response.done', (resolve) => (onDone = resolve))
    await send('what time is it')
    await secondDone
    expect(doneStatuses).toEqual(['completed', 'completed'])
    expect(transcripts[1]).toBe('what time is it')
  })

  it('is refused with a wrong key', async () => {
    const client = new VoiceLiveClient(httpEndpoint(), new AzureKeyCredential('wrong-key'))
    // The engine must refuse the upgrade itself (401), not fail the SDK some other way.
    await expect(client.startSession('gpt-realtime')).rejects.toThrow(/Unexpected server response: 401/)
  })
})

describe('every event the engine sends parses with the SDK deserializer', () => {
  it('covers a turn, a text reply, a cancel, a truncate and errors: the SDK reads every value back, at every depth', async () => {
    const client = await EngineClient.connect(engine.url, { headers: { 'api-key': KEY } })
    await client.waitFor('session.created')
    client.send({ type: 'session.update', session: { input_audio_transcription: { model: 'azure-speech' }, turn_detection: { type: 'azure_semantic_vad' } } })
    client.appendWav(await speechWav('hello there'))
    const first = await client.waitFor('response.done')
    const item = (first.response as { output: { id: string }[] }).output[0]?.id
    client.send({ type: 'conversation.item.truncate', item_id: item, content_index: 0, audio_end_ms: 50 })
    client.send({ type: 'conversation.item.truncate', item_id: item, content_index: 0, audio_end_ms: 99_999 })
    client.send({ type: 'conversation.item.retrieve', item_id: item })
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } })
    client.send({ type: 'response.create', response: { modalities: ['text'] } })
    await client.waitFor('response.done', () => client.ofType('response.done').length === 2)
    client.send({ type: 'response.create' })
    await client.waitFor('response.created', () => client.ofType('response.created').length === 3)
    client.send({ type: 'response.cancel' })
    client.send({ type: 'input_audio_buffer.clear' })
    await client.waitFor('input_audio_buffer.cleared')
    client.close()

    const types = new Set(client.events.map((event) => event.type))
    for (const expected of ['session.created', 'session.updated', 'conversation.item.truncated', 'conversation.item.retrieved', 'response.text.delta', 'error']) {
      expect(types).toContain(expected)
    }
    for (const event of client.events) {
      expect({ type: event.type, differences: sdkReadingDifferences(event) }).toEqual({ type: event.type, differences: [] })
      // And it is the spec's shape of that event, not merely something our lenient intake accepts.
      const spec = serverEventSpecs[event.type as keyof typeof serverEventSpecs]
      expect({ type: event.type, issues: spec?.safeParse(event).error?.issues }).toEqual({ type: event.type, issues: undefined })
    }
  })
})
