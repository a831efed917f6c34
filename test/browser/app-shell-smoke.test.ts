/**
 * The built renderer, served with the production CSP (no network), in Debian Chromium, with the
 * real app services behind the bridge: the app shell must render with no console errors.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import { PRODUCTION_CSP } from '../../src-main/renderer-hosting/content-security-policy.js'
import { readRendererFile } from '../../src-main/renderer-hosting/renderer-files.js'
import { launchChromium } from '../support/chromium.js'
import { attachPageBridge } from '../support/page-bridge.js'

const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer')
const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results/browser')

describe('app shell in Chromium under the production CSP', () => {
  let server: Server
  let origin: string
  let browser: Browser
  let services: AppServices

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
    server = createServer((request, response) => {
      void readRendererFile(RENDERER_DIR, new URL(request.url ?? '/', 'http://x').pathname).then((file) => {
        if (!file) return response.writeHead(404).end()
        response.writeHead(200, { 'content-type': file.mimeType, 'content-security-policy': PRODUCTION_CSP }).end(file.body)
      })
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    services = createAppServices({ transportKind: 'electron', appVersion: '0.0.0-smoke', userDataDir: mkdtempSync(join(tmpdir(), 'smoke-')) })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await services?.dispose()
    await new Promise((done) => server?.close(done))
  })

  it('renders the shell, named controls and regions, with no console errors or CSP violations', async () => {
    const page = await browser.newPage({ viewport: { width: 1180, height: 780 } })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
    })
    services.attach(await attachPageBridge(page, services.handlers))

    const response = await page.goto(`${origin}/index.html`)
    expect(response?.headers()['content-security-policy']).toBe(PRODUCTION_CSP)
    await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).count(), { timeout: 10_000 }).toBe(1)
    expect(await page.getByRole('status').first().isVisible()).toBe(true)
    expect(await page.getByRole('log', { name: 'Transcript' }).count()).toBe(1)
    // The page really is under the production policy: it cannot open a socket of its own.
    // Runs in the page (DOM types are not in the Node tsconfig, hence a string).
    const blocked = await page.evaluate<string>(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true })
      try { new WebSocket('ws://127.0.0.1:9/') } catch (error) { resolve('threw ' + error.name) }
    })`)
    expect(blocked).toMatch(/connect-src|threw SecurityError/)

    mkdirSync(RESULTS_DIR, { recursive: true })
    await page.screenshot({ path: join(RESULTS_DIR, 'app-shell.png') })
    // The CSP violation we provoked above is the only console noise allowed.
    expect(problems.filter((problem) => !problem.includes('ws://127.0.0.1:9'))).toEqual([])
    await page.close()
  })
})
