/**
 * `voicelive chat --credential cli|azd` with fake `az`/`azd` programs first on PATH (never
 * `default`, which probes the managed-identity address): the bearer token on the upgrade, what
 * the tools are asked for, the token kept out of every output, the usage errors, and, through the
 * real entry point, exit 3 with one line naming `az login` when nobody is signed in.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { encodePcm16Wav } from '../../src-main/pcm-audio/wav.js'
import { main } from '../../src-main/cli/voicelive.js'
import { useFakeAzureTools } from '../support/fake-azure-tools.js'
import {
  scriptedServers,
  sendAssistantTurn,
  testPcm,
  type ScriptedConnection,
} from '../voice-session/scripted-server.js'

const repo = path.resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(path.join(tmpdir(), 'vl-credential-'))
const tools = useFakeAzureTools()
const servers = scriptedServers()
const TOKEN = 'fake-az-access-token-3f9e8d7c6b5a49382716'

afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => servers.closeAll())

const inputWav = path.join(dir, 'in.wav')
writeFileSync(inputWav, encodePcm16Wav(testPcm(12_000), 24_000))

async function answerOneTurn(connection: ScriptedConnection): Promise<void> {
  await connection.handshake()
  await connection.next('input_audio_buffer.append')
  connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u1' })
  connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 400, item_id: 'u1' })
  connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
  sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(4800), transcript: 'Hello.' })
}

async function chat(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout: string[] = []
  const stderr: string[] = []
  const log = path.join(dir, 'chat.log')
  rmSync(log, { force: true })
  const code = await main(['chat', '--input', inputWav, '--pace', 'fast', '--log', log, ...args], {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env,
    cwd: dir,
  })
  return { code, stdout, stderr, log: existsSync(log) ? readFileSync(log, 'utf8') : '' }
}

describe('voicelive chat --credential', () => {
  it('cli: connects with `Authorization: Bearer <the az token>`, which appears nowhere else', async () => {
    tools.azSignIn({ token: TOKEN, expiresInS: 3600 })
    const server = await servers.serve(answerOneTurn)
    // An API key in the environment yields to the credential the user asked for.
    const result = await chat(['--endpoint', server.url, '--credential', 'cli'], { AZURE_VOICE_LIVE_API_KEY: 'k-123' })
    expect(result.code).toBe(0)
    const request = server.connections[0]!.request
    expect(request.headers['authorization']).toBe(`Bearer ${TOKEN}`)
    expect(request.headers['api-key']).toBeUndefined()
    expect(request.url).not.toContain(TOKEN)
    expect(tools.calls('az')).toEqual(['account get-access-token --output json --resource https://ai.azure.com'])
    for (const text of [...result.stdout, ...result.stderr, result.log]) expect(text).not.toContain(TOKEN)
    expect(result.log).toContain('"auth":"bearer"')
  })

  it('the log redacts the token even where the service quotes it back', async () => {
    tools.azSignIn({ token: TOKEN, expiresInS: 3600 })
    const server = await servers.serve(async (connection) => {
      await connection.handshake()
      connection.send({ type: 'error', error: { type: 'invalid_request_error', message: `bad token ${TOKEN}` } })
    })
    const result = await chat(['--endpoint', server.url, '--credential', 'cli'])
    expect(result.code).toBe(5)
    expect(result.log).toContain('bad token [redacted]')
    expect(result.log).not.toContain(TOKEN)
  })

  it('VOICE_LIVE_CREDENTIAL, --tenant and the legacy scope reach az as --tenant and the resource', async () => {
    tools.azSignIn({ token: TOKEN, expiresInS: 3600 })
    const server = await servers.serve(answerOneTurn)
    const result = await chat(['--endpoint', server.url, '--tenant', 'contoso.onmicrosoft.com'], {
      VOICE_LIVE_CREDENTIAL: 'cli',
      VOICE_LIVE_SCOPE: 'https://cognitiveservices.azure.com/.default',
    })
    expect(result.code).toBe(0)
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${TOKEN}`)
    expect(tools.calls('az')).toEqual([
      'account get-access-token --output json --resource https://cognitiveservices.azure.com --tenant contoso.onmicrosoft.com',
    ])
  })

  it('azd: connects with the azd token', async () => {
    tools.azdSignIn({ token: TOKEN, expiresInS: 3600 })
    const server = await servers.serve(answerOneTurn)
    const result = await chat(['--endpoint', server.url, '--credential', 'azd'])
    expect(result.code).toBe(0)
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${TOKEN}`)
    expect(tools.calls('azd')).toEqual(['auth token --output json --no-prompt --scope https://ai.azure.com/.default'])
  })

  it('not signed in: exit 3 with one line naming `az login`, and nothing is dialled', async () => {
    const server = await servers.serve(answerOneTurn)
    const result = await chat(['--endpoint', server.url, '--credential', 'cli'])
    expect(result.code).toBe(3)
    expect(result.stderr).toEqual([
      'voicelive chat: Could not get a token for https://ai.azure.com/.default: the Azure CLI is not signed in: run `az login` (Azure CLI)',
    ])
    expect(server.upgradeAttempts).toBe(0)
  })

  it.each([
    [['--credential', 'browser'], '--credential expects one of cli, azd, default (got "browser")'],
    [['--credential', 'cli', '--api-key', 'k'], 'use only one of --api-key, --token and --credential'],
    [['--tenant', 'contoso.onmicrosoft.com'], '--tenant applies to --entra or --credential cli|azd|default'],
    [
      ['--credential', 'cli', '--tenant', 'x;rm -rf /'],
      '--tenant (or VOICE_LIVE_TENANT) expects a tenant id or domain',
    ],
    [['--credential', 'cli', '--scope', 'https://ai.azure.com/.default $(id)'], '--scope expects an https:// scope'],
  ])('%j is a usage error (exit 2) that runs no tool', async (args, message) => {
    const result = await chat(['--endpoint', 'https://example.services.ai.azure.com', ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toHaveLength(1)
    expect(result.stderr[0]).toContain(message)
    expect(tools.calls('az')).toEqual([])
  })
})

describe('the real entry point', () => {
  it('bin/voicelive.js, nobody signed in to the fake az: exit 3, one stderr line naming `az login`, no stack', async () => {
    const server = await servers.serve(answerOneTurn)
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'node',
        [
          'bin/voicelive.js',
          'chat',
          '--credential',
          'cli',
          '--endpoint',
          server.url,
          '--input',
          inputWav,
          '--log',
          path.join(dir, 'bin.log'),
        ],
        { cwd: repo, timeout: 60_000, env: process.env },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      )
    })
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'voicelive chat: Could not get a token for https://ai.azure.com/.default: the Azure CLI is not signed in: run `az login` (Azure CLI)\n',
    )
    expect(tools.calls('az')).toEqual(['account get-access-token --output json --resource https://ai.azure.com'])
  })
})
