import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pocketSphinx } from '../../src-main/engine/pocketsphinx.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { EngineClient } from './engine-client.js'

let engine: LocalEngine
let client: EngineClient | null = null
beforeAll(async () => {
  // What a host without Debian's PocketSphinx model gets.
  engine = await startLocalEngine({ recognizer: pocketSphinx('/nonexistent/pocketsphinx-model') })
})
afterAll(async () => {
  client?.close()
  await engine.close()
})

describe('a host with no speech recogniser', () => {
  it('says so in the transcript and the reply instead of inventing words', async () => {
    client = await EngineClient.connect(engine.url)
    await client.waitFor('session.created')
    client.send({ type: 'session.update', session: { input_audio_transcription: { model: 'azure-speech' } } })
    client.appendWav(await speechWav('what time is it'))
    const transcript = await client.waitFor('conversation.item.input_audio_transcription.completed')
    expect(transcript.transcript).toMatch(/^\[no speech recogniser is available: PocketSphinx model file .* is missing\]$/)
    const done = await client.waitFor('response.done')
    const reply = (done.response as { output: { content: { transcript: string }[] }[] }).output[0]?.content[0]?.transcript
    expect(reply).toBe('I heard you, but no speech recogniser is available here.')
    expect(client.ofType('response.audio.delta').length).toBeGreaterThan(5)
  })
})
