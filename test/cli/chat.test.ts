/**
 * `voicelive chat` end to end against the scripted Voice Live server: exit codes, the reply WAV
 * (exactly the bytes the server sent), the transcript JSON Lines, the log (no secrets), and the
 * real entry points (`tsx src-main/cli/voicelive.ts`, `bin/voicelive.js`) as child processes.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionErrorKind } from '../../src-shared/session-model/session-model.js'
import { EXIT_CODES, EXIT_INTERRUPTED } from '../../src-main/cli/chat-command.js'
import { main } from '../../src-main/cli/voicelive.js'
import { encodePcm16Wav, readPcm16Wav } from '../../src-main/pcm-audio/wav.js'
import {
  scriptedServers,
  sendAssistantTurn,
  testPcm,
  type ScriptedConnection,
} from '../voice-session/scripted-server.js'

const repo = path.resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(path.join(tmpdir(), 'vl-cli-'))
const servers = scriptedServers()
const serve = servers.serve
const KEY = 'sk-SECRET-cli-test-key-0123456789'
const REPLY = testPcm(36_000, 3) // 1.5 s

afterEach(() => servers.closeAll())
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** 0.5 s of 48 kHz stereo input, so the CLI must convert it. */
const inputWav = path.join(dir, 'in.wav')
{
  const mono = new Int16Array(new Uint8Array(testPcm(24_000)).buffer)
  const stereo = new Int16Array(mono.length * 2)
  mono.forEach((sample, i) => {
    stereo[2 * i] = sample
    stereo[2 * i + 1] = sample
  })
  writeFileSync(inputWav, encodePcm16Wav(new Uint8Array(stereo.buffer), 48_000, 2))
}

/** A VAD turn: once some audio arrived, the server "hears" speech and answers with REPLY. */
async function vadTurn(connection: ScriptedConnection): Promise<void> {
  await vadTurnStart(connection)
  sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: REPLY, transcript: 'Hi, how can I help?' })
}

/** Handshake, then the user's speech is detected, committed and transcribed as "Hello?". */
async function vadTurnStart(connection: ScriptedConnection): Promise<void> {
  await connection.handshake()
  await connection.next('input_audio_buffer.append')
  connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u1' })
  connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 500, item_id: 'u1' })
  connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
  connection.send({
    type: 'conversation.item.input_audio_transcription.completed',
    item_id: 'u1',
    content_index: 0,
    transcript: 'Hello?',
  })
}

/** The arguments of one turn from the test WAV, streamed as fast as the server takes it. */
const fastTurn = (endpoint: string): string[] => ['--endpoint', endpoint, '--input', inputWav, '--pace', 'fast']

async function chat(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(['chat', ...args], {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env,
    cwd,
  })
  return { code, stdout, stderr }
}

const files = (name: string) => {
  const paths = {
    output: path.join(dir, `${name}.wav`),
    transcript: path.join(dir, `${name}.jsonl`),
    log: path.join(dir, `${name}.log`),
  }
  return { ...paths, args: ['--output', paths.output, '--transcript', paths.transcript, '--log', paths.log] }
}

const logLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: string; message: string; [field: string]: unknown })

describe('voicelive chat', () => {
  it('--events lists every event type, with each run of audio appends as one counted line', async () => {
    const server = await serve(vadTurn)
    const out = files('events')
    const result = await chat([...fastTurn(server.url), '--events', ...out.args])
    expect(result.code).toBe(0)
    const listed = result.stdout.filter((line) => line.startsWith('->') || line.startsWith('<-'))
    expect(listed[0]).toBe('-> session.update')
    expect(listed).toContain('<- response.done')
    expect(listed).not.toContain('-> input_audio_buffer.append')
    // The counts add up to exactly the appends the server received.
    const counted = listed.flatMap((line) => /^-> input_audio_buffer\.append ×(\d+)$/.exec(line)?.[1] ?? []).map(Number)
    await server.connections[0]!.closed
    const received = server.connections[0]!.events.filter((event) => event.type === 'input_audio_buffer.append').length
    expect(counted.length).toBeGreaterThan(0)
    expect(counted.reduce((sum, n) => sum + n, 0)).toBe(received)
  })

  it('sends the WAV after session.update and writes the exact reply audio and the transcript', async () => {
    const server = await serve(vadTurn)
    const out = files('turn')
    const result = await chat([
      '--endpoint',
      server.url,
      '--api-key',
      KEY,
      '--input',
      inputWav,
      '--pace',
      'fast',
      ...out.args,
    ])
    expect(result.stderr).toHaveLength(2)
    expect(result.stderr[0]).toMatch(
      /^voicelive chat: reply completed: first audio \d+ ms after your speech ended, done after \d+ ms; 1\.50 s of audio; tokens in 10, out 20$/,
    )
    expect(result.stderr[1]).toBe(`voicelive chat: 1.50 s of reply audio → ${out.output}`)
    expect(result.code).toBe(0)
    expect(result.stdout).toEqual(['user: Hello?', 'assistant: Hi, how can I help?'])

    const wav = readPcm16Wav(out.output)
    expect(wav.sampleRate).toBe(24_000)
    expect(wav.channels).toBe(1)
    expect(Buffer.from(wav.samples.buffer)).toEqual(Buffer.from(REPLY))
    expect(readFileSync(out.transcript, 'utf8')).toBe(
      '{"role":"user","text":"Hello?","item_id":"u1"}\n{"role":"assistant","text":"Hi, how can I help?","item_id":"a1"}\n',
    )

    const connection = server.connections[0]!
    expect(await connection.closed).toEqual({ code: 1000, reason: 'client stop' })
    expect(connection.types()[0]).toBe('session.update')
    // 0.5 s of input at 24 kHz in 20 ms frames (960 bytes), then trailing silence.
    const appends = connection.events.flatMap((event) => (event.type === 'input_audio_buffer.append' ? [event] : []))
    expect(Buffer.from(appends[0]!.audio, 'base64').byteLength).toBe(960)
    expect(appends.length).toBeGreaterThanOrEqual(25)
    expect(connection.request.headers['api-key']).toBe(KEY)

    // The log holds the mic audio as one line per run of appends, with the bytes sent.
    const log = readFileSync(out.log, 'utf8')
    const appendRuns = logLines(out.log).filter((line) => /^→ input_audio_buffer\.append ×\d+$/.test(line.message))
    expect(appendRuns.reduce((sum, line) => sum + Number(line['count']), 0)).toBe(appends.length)
    expect(appendRuns.reduce((sum, line) => sum + Number(line['bytes']), 0)).toBe(
      appends.reduce((sum, event) => sum + Buffer.from(event.audio, 'base64').byteLength, 0),
    )
    expect(log).not.toContain(KEY)
    expect(log).not.toContain(Buffer.from(REPLY.subarray(0, 4800)).toString('base64'))
  })

  it('with turn detection off it commits and asks for the response itself', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.commit')
      await connection.next('response.create')
      connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: REPLY, transcript: 'Done.' })
    })
    const out = files('ptt')
    const result = await chat([
      '--endpoint',
      server.url,
      '--input',
      inputWav,
      '--preset',
      'push-to-talk',
      '--pace',
      'fast',
      '--output',
      out.output,
      '--log',
      out.log,
    ])
    expect(result.code).toBe(0)
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.from(REPLY))
    const types = server.connections[0]!.types()
    expect(types.slice(0, 2)).toEqual(['session.update', 'input_audio_buffer.clear'])
    expect(types.slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create'])
  })

  it('when the server VAD hears no speech in the file, it commits the turn itself', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.commit', 15_000)
      await connection.next('response.create')
      connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: REPLY, transcript: 'I heard nothing.' })
    })
    const out = files('novad')
    const result = await chat([...fastTurn(server.url), ...out.args])
    expect(result.code).toBe(0)
    expect(result.stderr[0]).toBe(
      'voicelive chat: the service detected no speech in the input; committing it as the turn',
    )
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.from(REPLY))
  })

  it('reads the endpoint and key from .env; the environment wins over the file', async () => {
    const server = await serve(vadTurn)
    const envDir = mkdtempSync(path.join(dir, 'env-'))
    writeFileSync(
      path.join(envDir, '.env'),
      `# quickstart style\nAZURE_VOICE_LIVE_ENDPOINT="${server.url}"\nAZURE_VOICE_LIVE_API_KEY=from-file-key\nVOICE_LIVE_MODEL=gpt-realtime-mini\n`,
    )
    const result = await chat(
      ['--input', inputWav, '--pace', 'fast', '--log', 'v.log'],
      { VOICE_LIVE_MODEL: 'gpt-4.1' },
      envDir,
    )
    expect(result.code).toBe(0)
    const connection = server.connections[0]!
    expect(connection.request.headers['api-key']).toBe('from-file-key')
    expect(connection.url.searchParams.get('model')).toBe('gpt-4.1')
  })

  it('the log records at info unless --log-level debug asks for every protocol event', async () => {
    const server = await serve(vadTurn)
    const quiet = files('level-info')
    expect((await chat([...fastTurn(server.url), ...quiet.args])).code).toBe(0)
    const detailed = files('level-debug')
    expect((await chat([...fastTurn(server.url), ...detailed.args, '--log-level', 'debug'])).code).toBe(0)

    const info = logLines(quiet.log)
    expect(info.filter((line) => line.level === 'debug')).toEqual([])
    expect(info.map((line) => line.message)).toContain('connected')
    const debug = logLines(detailed.log)
    expect(debug.filter((line) => line.level === 'debug').map((line) => line.message)).toEqual(
      expect.arrayContaining(['→ session.update', '← session.updated', '← response.done']),
    )
    // Either way, audio is one line per run, never one per frame.
    for (const lines of [info, debug]) {
      expect(lines.some((line) => /^← response\.audio\.delta ×\d+$/.test(line.message))).toBe(true)
      expect(lines.some((line) => line.message === '← response.audio.delta')).toBe(false)
    }
  })

  it('--token sends a bearer token (and never writes it to the log)', async () => {
    const server = await serve(vadTurn)
    const token = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2FpLmF6dXJlLmNvbSJ9.c2lnbmF0dXJl'
    const log = files('token').log
    const result = await chat([
      '--endpoint',
      server.url,
      '--token',
      token,
      '--input',
      inputWav,
      '--pace',
      'fast',
      '--log',
      log,
    ])
    expect(result.code).toBe(0)
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${token}`)
    expect(readFileSync(log, 'utf8')).not.toContain(token)
  })

  it('AZURE_VOICE_LIVE_TOKEN is used before AZURE_VOICE_LIVE_API_KEY; --api-key overrides both', async () => {
    const server = await serve(vadTurn)
    const env = { AZURE_VOICE_LIVE_TOKEN: 'env-token-123', AZURE_VOICE_LIVE_API_KEY: 'env-key-456' }
    const common = [...fastTurn(server.url), '--log', files('envtok').log]
    expect((await chat(common, env)).code).toBe(0)
    expect((await chat([...common, '--api-key', 'flag-key-789'], env)).code).toBe(0)
    const [first, second] = server.connections
    expect(first!.request.headers['authorization']).toBe('Bearer env-token-123')
    expect(first!.request.headers['api-key']).toBeUndefined()
    expect(second!.request.headers['api-key']).toBe('flag-key-789')
    expect(second!.request.headers['authorization']).toBeUndefined()
  })

  it('agent mode puts the agent in the URL and sends no instructions', async () => {
    const server = await serve(vadTurn)
    const result = await chat([
      '--endpoint',
      server.url,
      '--agent',
      'helper',
      '--project',
      'proj',
      '--agent-version',
      '2',
      '--api-version',
      '2025-10-01',
      '--input',
      inputWav,
      '--pace',
      'fast',
      '--log',
      files('agent').log,
    ])
    expect(result.code).toBe(0)
    const connection = server.connections[0]!
    expect(connection.url.search).toBe(
      '?api-version=2025-10-01&agent-name=helper&agent-project-name=proj&agent-version=2',
    )
    const update = connection.events[0]
    if (update?.type !== 'session.update') throw new Error('expected session.update')
    expect(update.session).not.toHaveProperty('instructions')
  })
})

describe('voicelive chat when the file holds two utterances', () => {
  it('waits past the answer the second utterance interrupted, for the final answer', async () => {
    const first = testPcm(9600, 5)
    const server = await serve(async (connection) => {
      await vadTurnStart(connection)
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: first, transcript: 'Well', done: false })
      connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 1500, item_id: 'u2' })
      await connection.next('conversation.item.truncate')
      connection.send({ type: 'response.done', response: { id: 'r1', status: 'cancelled', output: [] } })
      connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 2500, item_id: 'u2' })
      connection.send({ type: 'input_audio_buffer.committed', item_id: 'u2' })
      sendAssistantTurn(connection, { responseId: 'r2', itemId: 'a2', audio: REPLY, transcript: 'Hi, how can I help?' })
    })
    const out = files('two')
    const result = await chat([...fastTurn(server.url), ...out.args])
    expect(result.code).toBe(0)
    expect(result.stdout.at(-1)).toBe('assistant: Hi, how can I help?')
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.concat([first, REPLY]))
    const truncate = server.connections[0]!.events.find((event) => event.type === 'conversation.item.truncate')
    // The CLI "plays" everything it receives: the cut is at the end of the audio received (400 ms).
    expect(truncate).toEqual({ type: 'conversation.item.truncate', item_id: 'a1', content_index: 0, audio_end_ms: 400 })
  })
})

describe('voicelive chat across a dropped connection', () => {
  it('reconnects, gets the answer again, and the WAV holds every byte received', async () => {
    const partial = testPcm(4800, 9)
    const server = await serve(async (connection, index) => {
      if (index === 0) {
        await vadTurnStart(connection)
        sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: partial, transcript: 'Hi', done: false })
        setTimeout(() => connection.socket.terminate(), 50)
        return
      }
      await connection.handshake('sess_2')
      await connection.next('response.create')
      sendAssistantTurn(connection, { responseId: 'r2', itemId: 'a2', audio: REPLY, transcript: 'Hi, how can I help?' })
    })
    const out = files('drop')
    const result = await chat([...fastTurn(server.url), ...out.args])
    expect(result.code).toBe(0)
    expect(result.stderr[0]).toMatch(/^voicelive chat: reconnecting \(attempt 1\): The connection dropped \(1006\)/)
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.concat([partial, REPLY]))
    const replayed = server.connections[1]!.events.flatMap((event) =>
      event.type === 'conversation.item.create' ? [event.item] : [],
    )
    expect(replayed).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] }])
    expect(readFileSync(out.transcript, 'utf8')).toBe(
      '{"role":"user","text":"Hello?","item_id":"u1"}\n{"role":"assistant","text":"Hi, how can I help?","item_id":"a2"}\n',
    )
  })
})

describe('voicelive chat failures', () => {
  it('401: exit 3 with one line naming the cause', async () => {
    const server = await serve(() => undefined, { refuse: () => ({ status: 401 }) })
    const result = await chat([
      '--endpoint',
      server.url,
      '--api-key',
      KEY,
      '--input',
      inputWav,
      '--log',
      files('401').log,
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toHaveLength(1)
    expect(result.stderr[0]).toMatch(/^voicelive chat: The service refused the credentials \(HTTP 401\)/)
  })

  it('an error event: exit 5', async () => {
    const server = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.append')
      connection.send({ type: 'error', error: { code: 'server_error', message: 'The model is overloaded' } })
    })
    const result = await chat([...fastTurn(server.url), '--log', files('err').log])
    expect(result.code).toBe(5)
    expect(result.stderr).toEqual([
      'voicelive chat: the service reported an error: The model is overloaded (server_error)',
    ])
  })

  it('an agent session whose session.created and session.updated carry "model": null (issue #16): exit 0', async () => {
    const server = await serve(async (connection) => {
      connection.send({
        type: 'session.created',
        session: { id: 'sess_a', model: null, agent: { type: 'agent', name: 'a1' } },
      })
      const update = await connection.next('session.update')
      connection.send({ type: 'session.updated', session: { ...update.session, id: 'sess_a', model: null } })
      await connection.next('input_audio_buffer.append')
      connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u1' })
      connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 500, item_id: 'u1' })
      sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: REPLY, transcript: 'Hi, how can I help?' })
    })
    const out = files('agent-null-model')
    const result = await chat([
      '--endpoint',
      server.url,
      '--agent',
      'a1',
      '--project',
      'p1',
      '--input',
      inputWav,
      '--pace',
      'fast',
      ...out.args,
    ])
    expect(result.code).toBe(0)
    expect(result.stderr.filter((line) => /warning|did not confirm/.test(line))).toEqual([])
    expect(readFileSync(out.transcript, 'utf8')).toBe(
      '{"role":"assistant","text":"Hi, how can I help?","item_id":"a1"}\n',
    )
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer).equals(Buffer.from(REPLY))).toBe(true)
  })

  it('an event the client cannot use: a warning on stderr at once, then exit 5 naming the event and field', async () => {
    const server = await serve(async (connection) => {
      await vadTurnStart(connection)
      connection.send({ type: 'response.created', response: { id: 'r1', status: 'in_progress', output: [] } })
      connection.send({
        type: 'response.audio.delta',
        response_id: 'r1',
        item_id: 'a1',
        output_index: 0,
        content_index: 0,
        delta: 'not base64!',
      })
    })
    const result = await chat([...fastTurn(server.url), '--log', files('unusable').log])
    expect(result.code).toBe(5)
    expect(result.stderr).toEqual([
      'voicelive chat: warning: response.audio.delta from the service cannot be used: delta: not base64 audio (a character outside the base64 alphabet); the session ends',
      'voicelive chat: The service sent a response.audio.delta event the client cannot use (delta: not base64 audio (a character outside the base64 alphabet)).',
    ])
  })

  it('429 at the upgrade and a policy close: exit 5, each with its own line', async () => {
    const limited = await serve(() => undefined, { refuse: () => ({ status: 429 }) })
    const refused = await chat([...fastTurn(limited.url), '--log', files('429').log])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toEqual(['voicelive chat: Rate limit reached (HTTP 429). Wait a moment and try again.'])

    const policed = await serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.append')
      connection.socket.close(1008, 'content filtered')
    })
    const closed = await chat([...fastTurn(policed.url), '--log', files('1008').log])
    expect(closed.code).toBe(5)
    expect(closed.stderr).toEqual([
      'voicelive chat: The service closed the session for a policy violation (1008) ("content filtered").',
    ])
  })

  it('every kind of failure has the exit code the usage documents: 2 config, 3 auth, 4 connection, 5 service', () => {
    // The kinds a quick test cannot provoke (a 15 s connect timeout, a 4008 cap that reconnects)
    // are held to the documented table here; scripts branch on these numbers.
    const documented: Record<number, readonly SessionErrorKind[]> = {
      2: ['config'],
      3: ['auth'],
      4: ['not_found', 'network', 'timeout'],
      5: ['rate_limit', 'policy', 'duration_cap', 'protocol', 'service'],
    }
    const byCode = Object.entries(documented).flatMap(([code, kinds]) => kinds.map((kind) => [kind, Number(code)]))
    expect(Object.fromEntries(byCode)).toEqual(EXIT_CODES)
    expect(EXIT_INTERRUPTED).toBe(130)
  })

  it('an unknown command: exit 2 naming it, with the usage; no command: the usage and exit 2; help: exit 0', async () => {
    const io = () => {
      const out = { stdout: [] as string[], stderr: [] as string[] }
      return {
        out,
        io: { stdout: (l: string) => out.stdout.push(l), stderr: (l: string) => out.stderr.push(l), env: {}, cwd: dir },
      }
    }
    const unknown = io()
    expect(await main(['frobnicate', '--input', inputWav], unknown.io)).toBe(2)
    expect(unknown.out.stdout).toEqual([])
    expect(unknown.out.stderr).toHaveLength(1)
    expect(unknown.out.stderr[0]).toMatch(
      /^voicelive: unknown command "frobnicate"\n\nUsage: voicelive <command> \[options\]\n/,
    )
    const none = io()
    expect(await main([], none.io)).toBe(2)
    expect(none.out.stdout[0]).toMatch(/^Usage: voicelive <command>/)
    expect(none.out.stdout[0]).toContain('chat    send a WAV file')
    for (const help of ['help', '--help', '-h']) {
      const asked = io()
      expect(await main([help], asked.io), help).toBe(0)
      expect(asked.out.stdout, help).toEqual(none.out.stdout)
      expect(asked.out.stderr, help).toEqual([])
    }
  })

  it('each command reaches its own handler: "<command> --help" prints that command\'s usage and exits 0', async () => {
    // `serve` prints to the process's stdout, the others through io.
    const printed: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk))
      return true
    })
    try {
      for (const [command, usage] of [
        ['chat', /^Usage: voicelive chat /],
        ['presets', /^Usage: voicelive presets /],
        ['auth', /^Usage: voicelive auth /],
        ['serve', /^Usage: voicelive serve /],
      ] as const) {
        printed.length = 0
        const lines: string[] = []
        const io = { stdout: (l: string) => lines.push(l), stderr: (l: string) => lines.push(l), env: {}, cwd: dir }
        expect(await main([command, '--help'], io), command).toBe(0)
        expect([...lines, ...printed].join('\n'), command).toMatch(usage)
      }
    } finally {
      write.mockRestore()
    }
  })

  it('nothing listening: exit 4', async () => {
    const server = await serve(() => undefined)
    const url = server.url
    await servers.closeAll()
    const result = await chat(['--endpoint', url, '--input', inputWav, '--log', files('refused').log])
    expect(result.code).toBe(4)
    expect(result.stderr[0]).toContain('the connection was refused')
  })

  it('usage and config mistakes: exit 2 with a specific message', async () => {
    const badPreset = path.join(dir, 'bad-preset.json')
    writeFileSync(
      badPreset,
      JSON.stringify({
        name: 'x',
        instructions: 'hi',
        voice: { type: 'openai', name: 'marin' },
        turnDetection: { type: 'none' },
        tempreature: 0.7,
      }),
    )
    const tiny = path.join(dir, 'tiny.wav')
    writeFileSync(tiny, encodePcm16Wav(testPcm(1000), 24_000))
    const cases: [string[], RegExp][] = [
      [
        ['--input', tiny, '--endpoint', 'ws://127.0.0.1:9', '--log', files('tiny').log],
        /holds less than 100 ms of audio/,
      ],
      [['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--bogus'], /Unknown option '--bogus'/],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--entra', '--log', files('entra').log],
        /no client id is configured\.[\s\S]*az ad app create/,
      ],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--tenant', 'contoso'],
        /applies to --entra or --credential/,
      ],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--entra', '--token', 't'],
        /use one of --entra, --credential, --token or --api-key/,
      ],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--entra', '--credential', 'cli'],
        /use one of --entra, --credential, --token or --api-key/,
      ],
      [['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--preset-file', badPreset], /invalid: .*tempreature/],
      [['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--preset', 'nope'], /unknown preset "nope"/],
      [['--input', inputWav, '--endpoint', 'ftp://x'], /must start with https:\/\/, wss:\/\//],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--agent', 'a'],
        /needs both --agent NAME and --project NAME/,
      ],
      [['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--pace', 'slow'], /--pace expects realtime or fast/],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--log-level', 'verbose'],
        /--log-level expects debug, info, warn, error \(got "verbose"\)/,
      ],
      [
        ['--input', path.join(dir, 'missing.wav'), '--endpoint', 'ws://127.0.0.1:9', '--log', files('m').log],
        /missing\.wav does not exist/,
      ],
      [
        ['--input', inputWav, '--endpoint', 'ws://127.0.0.1:9', '--output', '/no/such/dir/out.wav'],
        /folder \/no\/such\/dir does not exist/,
      ],
    ]
    for (const [args, message] of cases) {
      const result = await chat(args)
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr.join('\n')).toMatch(message)
    }
  })

  it('no credentials for a remote endpoint: exit 3 (127.0.0.1 needs none: the other tests pass no key)', async () => {
    const remote = await chat(['--endpoint', 'https://example.services.ai.azure.com', '--input', inputWav])
    expect(remote.code).toBe(3)
    expect(remote.stderr).toEqual([
      'voicelive chat: no credentials: set AZURE_VOICE_LIVE_API_KEY or AZURE_VOICE_LIVE_TOKEN (or pass --api-key or --token)',
    ])
  })
})

describe('entry points', () => {
  function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        command,
        args,
        { cwd: repo, timeout: 60_000, env: { ...process.env, AZURE_VOICE_LIVE_API_KEY: '' } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
          resolve({ code, stdout, stderr })
        },
      )
    })
  }

  it('npx tsx src-main/cli/voicelive.ts chat runs a whole turn and exits 0', async () => {
    const server = await serve(vadTurn)
    const out = files('spawn')
    const result = await run('npx', [
      'tsx',
      'src-main/cli/voicelive.ts',
      'chat',
      '--endpoint',
      server.url,
      '--input',
      inputWav,
      '--pace',
      'fast',
      '--output',
      out.output,
      '--log',
      out.log,
    ])
    expect(result.stderr).toMatch(/1\.50 s of reply audio/)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('user: Hello?\nassistant: Hi, how can I help?\n')
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.from(REPLY))
  })

  it('Ctrl+C closes with 1000, writes what was received and exits 130', async () => {
    const partial = testPcm(7200, 4) // three 100 ms deltas
    const server = await serve(async (connection) => {
      await vadTurnStart(connection)
      sendAssistantTurn(connection, {
        responseId: 'r1',
        itemId: 'a1',
        audio: partial,
        transcript: 'Let me think',
        done: false,
      })
    })
    const out = files('sigint')
    const child = spawn(
      'node',
      ['bin/voicelive.js', 'chat', '--endpoint', server.url, '--input', inputWav, '--events', ...out.args],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    let allAudio!: () => void
    const audioArrived = new Promise<void>((resolve) => (allAudio = resolve))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      // The deltas are listed as a run: the first, then the rest counted (`×2`).
      const listed = [...stdout.matchAll(/^<- response\.audio\.delta(?: ×(\d+))?$/gm)]
      if (listed.reduce((sum, match) => sum + Number(match[1] ?? 1), 0) === 3) allAudio()
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    // A child that exits before the audio (no build in out/, a crash) fails here with its own
    // words, not as a 30 s timeout.
    const early = exited.then((code) => {
      throw new Error(`voicelive exited with ${code} before the reply audio arrived: ${stderr}`)
    })
    await Promise.race([audioArrived, early])
    early.catch(() => undefined)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain('voicelive chat: interrupted; the output files hold what was received so far')
    expect(await server.connections[0]!.closed).toEqual({ code: 1000, reason: 'client stop' })
    expect(Buffer.from(readPcm16Wav(out.output).samples.buffer)).toEqual(Buffer.from(partial))
    expect(readFileSync(out.transcript, 'utf8')).toBe('{"role":"user","text":"Hello?","item_id":"u1"}\n')
  })

  it('bin/voicelive.js maps a 404 to exit 4', async () => {
    const server = await serve(() => undefined, { refuse: () => ({ status: 404 }) })
    const result = await run('node', [
      'bin/voicelive.js',
      'chat',
      '--endpoint',
      server.url,
      '--input',
      inputWav,
      '--log',
      files('bin').log,
    ])
    expect(result.code).toBe(4)
    expect(result.stderr.trim()).toMatch(/^voicelive chat: Nothing answered at this endpoint \(HTTP 404\)/)
  })
})
