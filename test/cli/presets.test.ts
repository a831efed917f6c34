/**
 * `voicelive presets …` and `voicelive chat --preset NAME`, exactly as a user types them, on a
 * data folder given by VOICE_LIVE_CONFIG_DIR. The chat runs against the real local engine behind a
 * recording WebSocket relay, so the test reads the session.update the CLI really sent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { main } from '../../src-main/cli/voicelive.js'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { speechWav } from '../support/speech-fixture.js'
import { BUILT_IN_NAMES as BUILT_INS } from '../presets/support/store-dir.js'

const dir = mkdtempSync(path.join(tmpdir(), 'vl-cli-presets-'))
const dataDir = path.join(dir, 'data')
const env = { VOICE_LIVE_CONFIG_DIR: dataDir }
let engine: LocalEngine
let relay: WebSocketServer
const sentByClient: { type: string; session?: Record<string, unknown> }[] = []

/** Passes every frame between the CLI and the engine, recording what the CLI sends. */
function startRelay(target: string): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (client: WebSocket, request: IncomingMessage) => {
    const upstream = new WebSocket(`${target}${request.url ?? ''}`)
    const early: { data: RawData; binary: boolean }[] = []
    client.on('message', (data, binary) => {
      if (!binary) sentByClient.push(JSON.parse(data.toString()) as (typeof sentByClient)[number])
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary })
      else early.push({ data, binary })
    })
    upstream.on('open', () => early.splice(0).forEach(({ data, binary }) => upstream.send(data, { binary })))
    upstream.on('message', (data, binary) => client.send(data, { binary }))
    upstream.on('close', () => client.close())
    client.on('close', () => upstream.close())
  })
  return new Promise((ready) => server.on('listening', () => ready(server)))
}

beforeAll(async () => {
  engine = await startLocalEngine({ script: ['Hola.'] })
  relay = await startRelay(engine.url)
})
afterAll(async () => {
  await new Promise((done) => relay.close(done))
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

async function voicelive(...args: string[]) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env, cwd: dir })
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }
}

const storeText = () => readFileSync(path.join(dataDir, 'presets.json'), 'utf8')

/** `voicelive chat --preset NAME` through the relay; returns the session.update it sent. */
async function chatWithPreset(name: string, said: string) {
  sentByClient.length = 0
  const port = (relay.address() as { port: number }).port
  const chat = await voicelive(
    'chat',
    '--endpoint',
    `ws://127.0.0.1:${port}`,
    '--pace',
    'fast',
    '--preset',
    name,
    '--input',
    await speechWav(said),
    '--log',
    path.join(dir, 'chat.log'),
  )
  expect(chat.code, chat.stderr).toBe(0)
  return sentByClient.find((event) => event.type === 'session.update')?.session
}

describe('voicelive presets', () => {
  it('round trip: import a hand-written file, list, show, chat --preset, export, delete', async () => {
    const handWritten = path.join(dir, 'tutor.json')
    writeFileSync(
      handWritten,
      JSON.stringify({
        name: 'Tutor Ñandú 日本',
        instructions: 'Habla solo en español.',
        voice: { type: 'azure-standard', name: 'es-ES-ElviraNeural', rate: 0.8 },
        turnDetection: { type: 'server_vad', silenceDurationMs: 700, interruptResponse: true },
      }),
    )
    expect(await voicelive('presets', 'import', handWritten)).toMatchObject({
      code: 0,
      stdout: 'imported: Tutor Ñandú 日本',
    })
    expect(await voicelive('presets', 'list')).toEqual({
      code: 0,
      stdout: [...BUILT_INS, 'Tutor Ñandú 日本'].join('\n'),
      stderr: '',
    })

    const shown = await voicelive('presets', 'show', 'tutor ñandú 日本')
    expect(shown.code).toBe(0)
    const preset = JSON.parse(shown.stdout) as { id: string; voice: { rate: string }; talkMode: string }
    expect(preset).toMatchObject({
      name: 'Tutor Ñandú 日本',
      voice: { rate: '0.8' },
      talkMode: 'hands-free',
      version: 1,
    })

    // chat --preset by display name in another case: the imported settings go out in session.update.
    const update = await chatWithPreset('TUTOR ÑANDÚ 日本', 'Hola, ¿qué tal?')
    expect(update).toMatchObject({
      instructions: 'Habla solo en español.',
      voice: { type: 'azure-standard', name: 'es-ES-ElviraNeural', rate: '0.8' },
      turn_detection: { type: 'server_vad', silence_duration_ms: 700 },
    })
    // … and by id.
    expect(await chatWithPreset(preset.id, 'Hola.')).toMatchObject({ instructions: 'Habla solo en español.' })

    const one = path.join(dir, 'one.json')
    expect(await voicelive('presets', 'export', 'Tutor Ñandú 日本', '--output', one)).toMatchObject({ code: 0 })
    expect(JSON.parse(readFileSync(one, 'utf8'))).toMatchObject({ id: preset.id, name: 'Tutor Ñandú 日本' })
    const all = path.join(dir, 'all.json')
    expect(await voicelive('presets', 'export', '--all', '--output', all)).toMatchObject({ code: 0 })
    expect(JSON.parse(readFileSync(all, 'utf8'))).toMatchObject({
      format: 'voice-live-presets',
      presets: [{ name: 'Tutor Ñandú 日本' }],
    })

    expect(await voicelive('presets', 'delete', 'Tutor Ñandú 日本')).toMatchObject({
      code: 0,
      stdout: 'deleted: Tutor Ñandú 日本',
    })
    expect((await voicelive('presets', 'list')).stdout).toBe(BUILT_INS.join('\n'))
    // The export brings it back.
    expect(await voicelive('presets', 'import', all)).toMatchObject({ code: 0, stdout: 'imported: Tutor Ñandú 日本' })
    expect(await voicelive('presets', 'delete', preset.id)).toMatchObject({ code: 0 })
  }, 60_000)

  it('an invalid import exits 2, names every bad field, and leaves the store unchanged', async () => {
    await voicelive('presets', 'list')
    const before = storeText()
    const bad = path.join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        presets: [
          {
            name: 'Fast',
            instructions: 'x',
            voice: { type: 'azure-standard', name: 'v', rate: '9.5' },
            turnDetection: { type: 'none' },
          },
          { name: '' },
        ],
      }),
    )
    const result = await voicelive('presets', 'import', bad)
    expect(result.code).toBe(2)
    expect(result.stderr.split('\n')).toEqual([
      `voicelive presets import: ${bad} is invalid; nothing was imported:`,
      '  presets[0].voice.rate: must be between 0.5 and 1.5',
      '  presets[1].name: must not be blank',
      '  presets[1].instructions: is required',
      '  presets[1].voice: is required',
      '  presets[1].turnDetection: is required',
    ])
    expect(storeText()).toBe(before)
  })

  it('a built-in cannot be deleted, an unknown name is named: exit 2', async () => {
    expect(await voicelive('presets', 'delete', 'casual chat')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'voicelive presets: "Casual chat" is a built-in preset and cannot be deleted.',
    })
    expect(await voicelive('presets', 'show', 'Nope')).toMatchObject({
      code: 2,
      stderr: 'voicelive presets: There is no preset named "Nope".',
    })
    expect((await voicelive('chat', '--endpoint', engine.url, '--preset', 'Nope', '--input', 'x.wav')).code).toBe(2)
    expect((await voicelive('presets', 'export', '--output', path.join(dir, 'x.json'))).code).toBe(2)
    expect((await voicelive('presets', 'frobnicate')).code).toBe(2)
  })
})
