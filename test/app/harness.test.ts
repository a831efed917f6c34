/**
 * The browser harness as a server: what it prints, what it serves and to whom, and that it stops
 * cleanly on SIGTERM. (The bridge's token and origin checks have their own transport tests.)
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startHarness, type Harness } from '../../src-main/harness/harness-server.js'
import { encodeWireMessage } from '../../src-shared/bridge/wire-codec.js'
import { harnessCsp } from '../../src-main/renderer-hosting/content-security-policy.js'
import { speechWav } from '../support/speech-fixture.js'
import { openApp, RENDERER_DIR, waitForStatus, waitUntil } from './app-page.js'

const ROOT = resolve(import.meta.dirname, '../..')

function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolveResponse, reject) => {
      const req = request(url, { method, headers }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end()
    },
  )
}

describe('the harness server', () => {
  let harness: Harness
  let dataDir: string

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'harness-test-'))
    harness = await startHarness({ port: 0, rendererDir: RENDERER_DIR, userDataDir: dataDir, appVersion: '0.0.0-test' })
  })
  afterAll(async () => {
    await harness?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('listens on 127.0.0.1 with a long random token in the fragment, never the query', () => {
    const url = new URL(harness.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(url.search).toBe('')
    expect(url.hash).toMatch(/^#token=[A-Za-z0-9_-]{32,}$/)
  })

  it('serves the renderer with the harness CSP, which allows only its own socket', async () => {
    const page = await get(`${harness.origin}/`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect(page.headers['content-security-policy']).toBe(harnessCsp(harness.origin))
    expect(page.headers['content-security-policy']).toContain(`connect-src ${harness.origin.replace('http:', 'ws:')}`)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
  })

  it('answers nothing to other hosts (DNS rebinding), other methods, or paths outside the renderer', async () => {
    expect((await get(`${harness.origin}/`, { host: 'attacker.example' })).status).toBe(421)
    expect((await get(`${harness.origin}/`, {}, 'POST')).status).toBe(405)
    expect((await get(`${harness.origin}/%2e%2e/package.json`)).status).toBe(404)
    expect((await get(`${harness.origin}/../../package.json`)).status).toBe(404)
  })

  it('closes a bridge socket whose hello carries the wrong token, of the right length', async () => {
    const socket = new WebSocket(`${harness.origin.replace('http:', 'ws:')}/bridge`, { origin: harness.origin })
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    )
    // A well-formed hello, so the refusal comes from the token comparison itself.
    const token = new URL(harness.url).hash.slice('#token='.length)
    const wrong = [...token].map((c) => (c === 'A' ? 'B' : 'A')).join('')
    socket.on('open', () => socket.send(encodeWireMessage({ envelope: { kind: 'hello', token: wrong } })))
    expect(await closed).toEqual({ code: 1008, reason: 'the first message must be a hello with the harness token' })
  })
})

describe('npm run harness', () => {
  it('prints its URL, rejects a bad port, uses VOICE_LIVE_CONFIG_DIR, and exits 0 on SIGTERM', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src-main/harness/harness.ts', '--port', 'seven'], {
      cwd: ROOT,
    })
    let badError = ''
    bad.stderr.on('data', (chunk: Buffer) => (badError += chunk.toString()))
    expect(await new Promise((done) => bad.on('exit', done))).toBe(2)
    expect(badError).toContain('--port must be a whole number')

    const dataDir = mkdtempSync(join(tmpdir(), 'harness-cli-'))
    // No --data-dir: the app's data folder, which VOICE_LIVE_CONFIG_DIR overrides as for the app and the CLI.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/harness/harness.ts', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, VOICE_LIVE_CONFIG_DIR: dataDir },
    })
    try {
      const line = await new Promise<string>((done, reject) => {
        let out = ''
        const timer = setTimeout(() => reject(new Error(`no URL line within 20 s; got ${JSON.stringify(out)}`)), 20_000)
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('\n')) {
            clearTimeout(timer)
            done(out)
          }
        })
      })
      expect(line).toMatch(/^harness on http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32,}\n$/)
      await waitUntil(
        () => Promise.resolve(existsSync(join(dataDir, 'presets.json'))),
        (found) => found,
        'the presets store in VOICE_LIVE_CONFIG_DIR',
      )
      const exited = new Promise((done) => child.on('exit', done))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('a harness session whose page is gone', () => {
  it('is stopped once no page has been connected for a while', async () => {
    const app = await openApp({
      micWav: await speechWav('hello', { padEndSec: 4 }),
      abandonedAfterMs: 300,
    })
    try {
      await app.page.getByRole('button', { name: 'Start', exact: true }).click()
      await waitForStatus(app.page, /Live/)
      expect(app.engine()?.sessionCount).toBe(1)
      await app.page.close()
      await waitUntil(
        async () => app.engine()?.sessionCount,
        (count) => count === 0,
        'the session to be stopped',
        10_000,
      )
    } finally {
      await app.close()
    }
  })
})
