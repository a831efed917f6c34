/**
 * `voicelive chat` against the real local engine (in-process, ws://127.0.0.1): a spoken WAV in,
 * the engine's spoken reply out. Proves the client and the engine agree on the protocol end to end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/voicelive.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'

const REPLY = 'Hello from the local engine.'
const dir = mkdtempSync(path.join(tmpdir(), 'vl-cli-engine-'))
let engine: LocalEngine

beforeAll(async () => {
  engine = await startLocalEngine({ apiKey: 'local-engine-key', script: [REPLY] })
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

async function chat(args: string[]) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(['chat', '--endpoint', engine.url, '--pace', 'fast', ...args], {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: {},
    cwd: dir,
  })
  return { code, stdout, stderr }
}

describe('voicelive chat ↔ local engine', () => {
  for (const preset of ['assistant', 'push-to-talk']) {
    it(`a spoken 16 kHz WAV gets the engine's spoken reply (${preset})`, async () => {
      const input = await speechWav('What is the weather like today?', { sampleRate: 16_000 })
      const output = path.join(dir, `${preset}.wav`)
      const transcript = path.join(dir, `${preset}.jsonl`)
      const result = await chat([
        '--api-key',
        'local-engine-key',
        '--preset',
        preset,
        '--input',
        input,
        '--output',
        output,
        '--transcript',
        transcript,
        '--log',
        path.join(dir, `${preset}.log`),
      ])
      expect(result.code).toBe(0)
      const reply = readPcm16Wav(output)
      expect(reply.sampleRate).toBe(24_000)
      expect(reply.samples.length).toBeGreaterThan(24_000 / 2)
      expect(rms(reply.samples)).toBeGreaterThan(0.01)
      const lines = readFileSync(transcript, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { role: string; text: string })
      expect(lines.at(-1)).toMatchObject({ role: 'assistant', text: REPLY })
      expect(lines.some((line) => line.role === 'user' && line.text.length > 0)).toBe(true)
      expect(readFileSync(path.join(dir, `${preset}.log`), 'utf8')).not.toContain('local-engine-key')
    })
  }

  it('a wrong key is refused: exit 3', async () => {
    const result = await chat([
      '--api-key',
      'wrong-key',
      '--input',
      await speechWav('Hi.'),
      '--log',
      path.join(dir, 'wrong.log'),
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toHaveLength(1)
    expect(result.stderr[0]).toMatch(/HTTP 401/)
  })
})
