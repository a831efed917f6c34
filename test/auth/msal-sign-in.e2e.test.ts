/**
 * The real MSAL flow end to end, in child processes of the real CLI (`bin/voicelive.js`), against
 * the local https OpenID Connect authority (trusted through NODE_EXTRA_CA_CERTS) and a scripted
 * browser given through BROWSER: sign-in, silent acquisition from the cache in a second process,
 * refresh after expiry, `chat --entra` sending the bearer token, consent and client errors, cancel
 * and timeout, sign-out. No token may appear in output, logs or any argv.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodePcm16Wav } from '../../src-main/pcm-audio/wav.js'
import { scriptedServers, sendAssistantTurn, testPcm } from '../voice-session/scripted-server.js'
import {
  CLIENT_ID,
  USERNAME,
  makeCertificate,
  startFakeAuthority,
  type Certificate,
  type FakeAuthority,
} from './fake-oidc-authority.js'

const repo = path.resolve(import.meta.dirname, '../..')
const browser = path.join(import.meta.dirname, 'scripted-browser.mjs')
let certificate: Certificate
let authority: FakeAuthority
let dir: string
const servers = scriptedServers()

beforeAll(() => {
  certificate = makeCertificate()
})
beforeEach(async () => {
  authority = await startFakeAuthority(certificate)
  dir = mkdtempSync(path.join(tmpdir(), 'vl-auth-e2e-'))
})
afterEach(async () => {
  await authority.close()
  await servers.closeAll()
  rmSync(dir, { recursive: true, force: true })
})
afterAll(() => rmSync(path.dirname(certificate.certPath), { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

const browserLog = () => path.join(dir, 'browser.log')

/** The CLI in a child process, trusting the test certificate, with the scripted browser. */
function voicelive(
  args: string[],
  env: Record<string, string> = {},
  whileRunning?: (child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/voicelive.js', ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        NODE_EXTRA_CA_CERTS: certificate.certPath,
        BROWSER: browser,
        SCRIPTED_BROWSER_LOG: browserLog(),
        VOICE_LIVE_CONFIG_DIR: path.join(dir, 'config'),
        ...env,
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
    whileRunning?.(child)
  })
}

const login = (extra: string[] = [], env: Record<string, string> = {}) =>
  voicelive(['auth', 'login', '--authority', authority.authority, '--client-id', CLIENT_ID, ...extra], env)

/** Lines of stderr that are not the one-time plaintext-cache warning. */
const errorLines = (run: Run) =>
  run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('warning: no OS keyring answered'))

function expectNoSecrets(...texts: string[]): void {
  const secrets = [...authority.accessTokens, ...authority.refreshTokens]
  expect(secrets.length).toBeGreaterThan(0)
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret)
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// Each test starts several CLI processes (tsx compiles the CLI in each): minutes on a loaded machine.
describe('voicelive auth against a local OpenID Connect authority', { timeout: 120_000 }, () => {
  it('login: browser sign-in with PKCE and form_post, "signed in as", cache owner-only; status in a second process', async () => {
    const run = await login()
    expect(run.stderr).toContain('warning: no OS keyring answered') // no Secret Service here
    expect(run.stdout.trim()).toBe(`signed in as ${USERNAME}`)
    expect(run.code).toBe(0)
    // The authority saw discovery, authorize and one code redemption whose PKCE verifier matched.
    expect(authority.paths).toEqual([
      '/tenant-fake/.well-known/openid-configuration',
      '/tenant-fake/oauth2/v2.0/authorize',
      '/tenant-fake/oauth2/v2.0/token',
    ])
    expect(authority.grants).toEqual(['authorization_code'])
    expect(authority.refusals).toEqual([])
    // The browser tab was told to go back to the app.
    const browserText = readFileSync(browserLog(), 'utf8')
    expect(browserText).toMatch(/loopback 200 .*return to Voice Live Desktop/)
    const cache = path.join(dir, 'config', 'auth', 'msal-token-cache.json')
    expect(statSync(cache).mode & 0o777).toBe(0o600)

    const status = await voicelive(['auth', 'status'])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(USERNAME)
    expect(authority.grants).toEqual(['authorization_code']) // read from the cache, no new request
    expect(status.stderr).not.toContain('warning') // the plaintext warning is given once
    expectNoSecrets(run.stdout, run.stderr, status.stdout, status.stderr, browserText)
  })

  it('options win over the environment; the environment alone is enough', async () => {
    const wrongEnv = { VOICE_LIVE_CLIENT_ID: 'not-the-client', VOICE_LIVE_AUTHORITY: 'https://127.0.0.1:9/nowhere' }
    expect((await login([], wrongEnv)).code).toBe(0)
    const fromEnv = await voicelive(['auth', 'login'], {
      VOICE_LIVE_CLIENT_ID: CLIENT_ID,
      VOICE_LIVE_AUTHORITY: authority.authority,
    })
    expect(fromEnv.stdout.trim()).toBe(`signed in as ${USERNAME}`)
    expect(authority.grants).toEqual(['authorization_code', 'authorization_code'])
  })

  it('status exits 3 with no account; logout removes it', async () => {
    expect((await voicelive(['auth', 'status'])).code).toBe(3)
    await login()
    const logout = await voicelive(['auth', 'logout'])
    expect(logout.stdout).toContain(`signed out ${USERNAME}`)
    expect(logout.code).toBe(0)
    const status = await voicelive(['auth', 'status'])
    expect(status.code).toBe(3)
    expect(status.stderr).toMatch(/no account is signed in/)
  })

  it('consent required: exit 3, the authority error code and text on one stderr line', async () => {
    authority.behaviour = 'consent-required'
    const run = await login()
    expect(run.code).toBe(3)
    expect(errorLines(run)).toHaveLength(1)
    expect(errorLines(run)[0]).toMatch(/^voicelive auth login: consent_required: AADSTS65001: .*consent is required/)
    expect(readFileSync(browserLog(), 'utf8')).toMatch(/loopback 200 .*Sign-in did not finish/)
    expect(authority.grants).toEqual([])
  })

  it('a client that is not a public client: exit 3 with what to change', async () => {
    authority.behaviour = 'invalid-client'
    const run = await login()
    expect(run.code).toBe(3)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/invalid_client: AADSTS7000218: .*not a public client: .*Allow public client flows/),
    ])
  })

  it('timeout: nobody finishes in the browser, exit 3 with a clear message', async () => {
    const started = Date.now()
    const run = await login([], { SCRIPTED_BROWSER_MODE: 'ignore', VOICE_LIVE_SIGN_IN_TIMEOUT: '2' })
    expect(run.code).toBe(3)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^voicelive auth login: timed_out: no answer from the browser within 2 s/),
    ])
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('cancel: Ctrl+C while the browser is open ends the sign-in, exit 3', async () => {
    const run = await voicelive(
      ['auth', 'login', '--authority', authority.authority, '--client-id', CLIENT_ID],
      { SCRIPTED_BROWSER_MODE: 'ignore' },
      (child) => {
        void waitFor(() => existsSync(browserLog())).then(() => child.kill('SIGINT'))
      },
    )
    expect(run.code).toBe(3)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^voicelive auth login: cancelled: the sign-in was cancelled/),
    ])
  })

  it('no client id: the setup steps with the az ad app create command, exit 2', async () => {
    const run = await voicelive(['auth', 'login', '--authority', authority.authority])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('az ad app create')
    expect(run.stderr).toContain('--public-client-redirect-uris http://localhost')
  })
})

describe('voicelive chat --entra', { timeout: 120_000 }, () => {
  const inputWav = () => {
    const file = path.join(dir, 'in.wav')
    writeFileSync(file, encodePcm16Wav(testPcm(12_000), 24_000, 1))
    return file
  }

  async function chatServer() {
    return servers.serve(async (connection) => {
      await connection.handshake()
      await connection.next('input_audio_buffer.append')
      connection.send({ type: 'input_audio_buffer.committed', item_id: 'u1' })
      sendAssistantTurn(connection, {
        responseId: 'r1',
        itemId: 'a1',
        audio: testPcm(4800),
        transcript: 'Hello there.',
      })
    })
  }

  const chat = (url: string, extra: string[] = []) =>
    voicelive([
      'chat',
      '--entra',
      '--authority',
      authority.authority,
      '--client-id',
      CLIENT_ID,
      '--endpoint',
      url,
      '--input',
      inputWav(),
      '--pace',
      'fast',
      '--log',
      path.join(dir, 'chat.log'),
      ...extra,
    ])

  it('uses the cached token silently in a second process and connects with Authorization: Bearer', async () => {
    await login()
    const server = await chatServer()
    const run = await chat(server.url)
    expect(run.code).toBe(0)
    expect(authority.grants).toEqual(['authorization_code']) // no browser, no token request
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${authority.accessTokens[0]}`)
    expect(server.connections[0]!.request.url).not.toContain(authority.accessTokens[0])
    expectNoSecrets(
      run.stdout,
      run.stderr,
      readFileSync(path.join(dir, 'chat.log'), 'utf8'),
      readFileSync(browserLog(), 'utf8'),
    )
  })

  it('refreshes an expired token with the refresh token, without the browser', async () => {
    authority.accessTokenSeconds = 60 // inside MSAL's 5-minute renewal window: expired at once
    await login()
    const server = await chatServer()
    const run = await chat(server.url)
    expect(run.code).toBe(0)
    expect(authority.grants).toEqual(['authorization_code', 'refresh_token'])
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${authority.accessTokens[1]}`)
    expect(readFileSync(browserLog(), 'utf8').match(/^argv/gm)).toHaveLength(1) // only the login opened it
  })

  it('signs in in the browser when nothing is cached, with a custom scope', async () => {
    const server = await chatServer()
    const run = await chat(server.url, ['--scope', 'https://cognitiveservices.azure.com/.default'])
    expect(run.code).toBe(0)
    expect(authority.grants).toEqual(['authorization_code'])
    expect(readFileSync(browserLog(), 'utf8')).toContain('cognitiveservices.azure.com')
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${authority.accessTokens[0]}`)
  })

  it('a sign-in failure is an authentication failure: exit 3, nothing connected', async () => {
    authority.behaviour = 'consent-required'
    const server = await chatServer()
    const run = await chat(server.url)
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/consent_required: AADSTS65001/)
    expect(server.upgradeAttempts).toBe(0)
  })
})
