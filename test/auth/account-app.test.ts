/**
 * The app's Microsoft account through the real bridge (app services, as the harness runs them):
 * set-up steps without a client id, sign-in with MSAL against the local https OIDC authority
 * (trusted in this process through a fetch dispatcher with the test CA), the harness's
 * memory-only cache, Start connecting with the bearer token, "Sign in again" with the reason,
 * cancel. No token may reach the renderer (events or command answers).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import { connect } from '../support/app-bridge.js'
import { scriptedServers } from '../voice-session/scripted-server.js'
import {
  CLIENT_ID,
  USERNAME,
  makeCertificate,
  startFakeAuthority,
  trustInThisProcess,
  type Certificate,
  type FakeAuthority,
} from './fake-oidc-authority.js'
import { followSignIn } from './scripted-browser.mjs'

let certificate: Certificate
let untrust: () => void
let authority: FakeAuthority
let dir: string
let services: AppServices
let browser: (url: string) => Promise<void>
let bridge: ReturnType<typeof connect>
const answers: unknown[] = []
const servers = scriptedServers()

beforeAll(() => {
  certificate = makeCertificate()
  untrust = trustInThisProcess(certificate)
})
afterAll(() => untrust())
beforeEach(async () => {
  authority = await startFakeAuthority(certificate)
  dir = mkdtempSync(join(tmpdir(), 'vl-account-'))
  answers.length = 0
  browser = async (url) => void (await followSignIn(url))
  services = createAppServices({
    transportKind: 'harness',
    appVersion: '0.0.0',
    userDataDir: dir,
    account: { openBrowser: (url) => browser(url), env: {} },
  })
  bridge = connect(services)
})
afterEach(async () => {
  await services.dispose()
  await authority.close()
  await servers.closeAll()
  rmSync(dir, { recursive: true, force: true })
})

async function command(channel: string, payload: unknown = {}) {
  const result = await bridge.command(channel, payload)
  answers.push(result)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as Record<string, unknown> & { current: { username: string } | null }
}

const configure = () => command('account.configure', { clientId: CLIENT_ID, authority: authority.authority, scope: '' })

describe('Microsoft account in the app', () => {
  it('without a client id: the set-up steps with the az command; the harness keeps the sign-in in memory', async () => {
    const status = await command('account.status')
    expect(status.clientId).toBeNull()
    expect(status.registerCommand).toMatch(/^az ad app create .*--public-client-redirect-uris http:\/\/localhost/)
    expect(status.cache).toEqual({
      persisted: false,
      note: 'The harness keeps your sign-in in memory only: it is gone when the harness stops.',
      canAllowUnprotected: false,
    })
    await expect(command('account.sign-in', { selectAccount: false })).rejects.toThrow(/No client id is configured/)
  })

  it('signs in, shows who is signed in, connects with the bearer token; no token reaches the renderer', async () => {
    await configure()
    const status = await command('account.sign-in', { selectAccount: false })
    expect(status.current?.username).toBe(USERNAME)
    expect(authority.grants).toEqual(['authorization_code'])
    const server = await servers.serve((connection) => connection.handshake().then(() => undefined))
    await command('settings.update', { connection: { profile: 'microsoft-account', endpoint: server.url } })
    await command('session.start')
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${authority.accessTokens[0]}`)
    expect(bridge.events.some((event) => event.channel === 'account.status')).toBe(true)
    const renderer = JSON.stringify([bridge.events, answers])
    for (const secret of [...authority.accessTokens, ...authority.refreshTokens]) expect(renderer).not.toContain(secret)
  })

  it('no usable token: Start fails with the reason, and the UI is asked to "Sign in again"', async () => {
    await configure()
    await command('account.sign-in', { selectAccount: false })
    await command('account.sign-out', { homeAccountId: null })
    const server = await servers.serve(() => undefined)
    await command('settings.update', { connection: { profile: 'microsoft-account', endpoint: server.url } })
    await command('session.start')
    const states = bridge.events.filter((event) => event.channel === 'session.state').map((event) => event.payload)
    expect(states.at(-1)).toMatchObject({
      status: 'error',
      error: { kind: 'auth', message: expect.stringMatching(/no account is signed in/) },
    })
    expect((await command('account.status')).signInRequired).toMatch(/no account is signed in/)
    expect(server.upgradeAttempts).toBe(0)
  })

  it('Cancel ends a sign-in that waits for the browser', async () => {
    await configure()
    let opened!: () => void
    const browserOpened = new Promise<void>((resolve) => (opened = resolve))
    browser = async () => opened() // the user never finishes
    const signingIn = command('account.sign-in', { selectAccount: false })
    await browserOpened
    expect((await command('account.status')).signingIn).toBe(true)
    await command('account.cancel-sign-in')
    const status = await signingIn
    expect(status.current).toBeNull()
    expect(status.signingIn).toBe(false)
    expect(status.lastError).toMatch(/^cancelled: the sign-in was cancelled/)
  })

  it('a bad authority is refused when saved, with the reason', async () => {
    await expect(
      command('account.configure', { clientId: CLIENT_ID, authority: 'http://insecure.example/t', scope: '' }),
    ).rejects.toThrow(/must be an https URL/)
  })
})
