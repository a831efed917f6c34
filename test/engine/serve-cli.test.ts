/**
 * `voicelive serve` as a user runs it (`npm run --silent voicelive -- serve …`), and the issue's
 * "done when": serve plus `voicelive chat --endpoint ws://127.0.0.1:PORT --input hello.wav
 * --output reply.wav` gives a spoken reply. Tested against the local engine only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseServeArgs, UsageError } from '../../src-main/cli/serve-command.js'
import { speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav, rms } from '../support/wav.js'
import { EngineClient } from './engine-client.js'

const ROOT = resolve(import.meta.dirname, '../..')
const KEY = 'serve-cli-secret-key-42'
const children: ChildProcess[] = []
const workDir = mkdtempSync(join(tmpdir(), 'voicelive-serve-test-'))

afterAll(() => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  rmSync(workDir, { recursive: true, force: true })
})

interface Running {
  readonly child: ChildProcess
  readonly url: string
  stdout(): string
  stderr(): string
  exit: Promise<number | null>
}

/**
 * Start `npm run --silent voicelive -- serve ARGS` (or, with `direct`, the same program in one
 * Node process with tsx's loader, so the test signals serve itself and sees its own exit code;
 * tsx's CLI relays signals with a 30 ms handshake that a loaded machine can miss) and wait for
 * its one stdout line.
 */
function serve(args: string[], direct = false): Promise<Running> {
  const [command, prefix] = direct
    ? [process.execPath, ['--import', 'tsx', 'src-main/cli/voicelive.ts']]
    : ['npm', ['run', '--silent', 'voicelive', '--']]
  const child = spawn(command, [...prefix, 'serve', ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not print its line; stderr: ${err}`)), 30_000)
    const check = () => {
      const match = out.match(/^listening on (ws:\/\/127\.0\.0\.1:\d+)\n/)
      if (!match?.[1]) return
      clearTimeout(timer)
      ready({ child, url: match[1], stdout: () => out, stderr: () => err, exit })
    }
    child.stdout?.on('data', check)
    void exit.then((code) => {
      clearTimeout(timer)
      fail(new Error(`serve exited (${code}) before listening; stderr: ${err}`))
    })
  })
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => done({ code, stdout, stderr }))
  })
}

/**
 * Stop a server started through npm the way Ctrl+C in a terminal does: SIGINT to the whole
 * process group we started (npm does not pass signals on through its shell).
 */
async function interrupt(server: Running): Promise<void> {
  const group = server.child.pid
  if (!group) throw new Error('server has no pid')
  process.kill(-group, 'SIGINT')
  await server.exit
  // Every process of the group (npm, its shell, tsx, serve) must be gone, not just npm.
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      process.kill(-group, 0)
    } catch {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('serve was still running 10 s after Ctrl+C')
}

describe('voicelive serve', () => {
  it('prints exactly one line when ready, enforces --api-key without echoing it, and stops on Ctrl+C', async () => {
    const server = await serve(['--port', '0', '--host', '127.0.0.1', '--api-key', KEY])
    await expect(EngineClient.connect(server.url)).rejects.toThrow('HTTP 401')
    const client = await EngineClient.connect(server.url, { headers: { 'api-key': KEY } })
    await client.waitFor('session.created')
    await interrupt(server)
    expect(await client.waitForClose()).toBe(1006)
    await expect(EngineClient.connect(server.url, { headers: { 'api-key': KEY } })).rejects.toThrow(/ECONNREFUSED/)
    expect(server.stdout()).toBe(`${server.stdout().split('\n')[0]}\n`)
    expect(server.stdout() + server.stderr()).not.toContain(KEY)
  }, 60_000)

  it.each(['SIGINT', 'SIGTERM'] as const)('closes cleanly and exits 0 on %s', async (signal) => {
    const server = await serve(['--port', '0'], true)
    server.child.kill(signal)
    expect(await server.exit, `${server.child.signalCode} ${server.stderr()}`).toBe(0)
    expect(server.stdout()).toMatch(/^listening on ws:\/\/127\.0\.0\.1:\d+\n$/)
  }, 60_000)

  it('switches faults from flags (--refuse 429)', async () => {
    const server = await serve(['--refuse', '429'])
    await expect(EngineClient.connect(server.url)).rejects.toThrow('HTTP 429')
    await interrupt(server)
  }, 60_000)

  it('rejects bad flags with a specific message and exit code 2', async () => {
    const result = await run('npm', ['run', '--silent', 'voicelive', '--', 'serve', '--port', 'eighty'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('--port expects a whole number')
  }, 60_000)

  it('maps every fault flag onto the engine options', () => {
    const settings = parseServeArgs(
      ['--drop-after-audio-deltas', '3', '--close-after', '1.5', '--close-code', '4008', '--error-event', '--malformed-json', '--oversized-frame', '--latency-ms', '250', '--jitter-ms', '40'],
      {},
    )
    expect(settings.faults).toEqual({ dropAfterAudioDeltas: 3, closeAfter: { seconds: 1.5, code: 4008 }, errorEvent: true, malformedJson: true, oversizedFrame: true, latencyMs: 250, jitterMs: 40 })
    expect(() => parseServeArgs(['--refuse', '500'], {})).toThrow(UsageError)
    expect(() => parseServeArgs(['--close-after', '1', '--close-code', '1000'], {})).toThrow(/--close-code/)
    expect(() => parseServeArgs(['--close-code', '4008'], {})).toThrow('--close-code needs --close-after')
    expect(() => parseServeArgs(['--script-file', join(workDir, 'missing.json')], {})).toThrow(/cannot read/)
    expect(parseServeArgs([], { VOICELIVE_SERVE_API_KEY: 'from-env' }).apiKey).toBe('from-env')
  })

  it('takes --ready-decoders as a whole number up to 32, and none ahead by default', () => {
    expect(parseServeArgs(['--ready-decoders', '8'], {}).readyDecoders).toBe(8)
    expect(parseServeArgs([], {}).readyDecoders).toBe(0)
    expect(() => parseServeArgs(['--ready-decoders', 'eight'], {})).toThrow('--ready-decoders expects a whole number')
    expect(() => parseServeArgs(['--ready-decoders=-1'], {})).toThrow('--ready-decoders expects a whole number')
    expect(() => parseServeArgs(['--ready-decoders', '33'], {})).toThrow('--ready-decoders must be at most 32')
  })
})

describe('done when: serve + chat give a spoken reply', () => {
  // Exactly the pair; only --log is added, so the log file lands in a temporary folder.
  it('voicelive chat --endpoint ws://127.0.0.1:PORT --input hello.wav --output reply.wav', async () => {
    const server = await serve(['--port', '0', '--host', '127.0.0.1'])
    const reply = join(workDir, 'reply.wav')
    const input = await speechWav('hello there')
    const result = await run('npm', ['run', '--silent', 'voicelive', '--', 'chat', '--endpoint', server.url, '--input', input, '--output', reply, '--log', join(workDir, 'voicelive.log')])
    await interrupt(server)
    expect(result.code, result.stderr).toBe(0)
    const { samples, sampleRate } = readPcm16Wav(reply)
    expect(sampleRate).toBe(24_000)
    expect(samples.length / sampleRate).toBeGreaterThan(1)
    expect(rms(samples)).toBeGreaterThan(0.02)
  }, 90_000)
})
