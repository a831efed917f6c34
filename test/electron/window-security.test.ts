import type { Session, WebContents } from 'electron'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { DEVELOPMENT_CSP, PRODUCTION_CSP, harnessCsp } from '../../src-main/renderer-hosting/content-security-policy.js'
import {
  hardenWebContents,
  installSessionSecurity,
  isAllowedExternalUrl,
} from '../../src-main/electron/security-policy.js'
import { mainWindowOptions } from '../../src-main/electron/window-options.js'

vi.mock('electron', () => import('../support/electron-fake.js'))

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0]
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0]

/** Installs the real handlers on a fake session and returns them. */
function installedHandlers(devServerUrl?: string) {
  let request: RequestHandler = null
  let check: CheckHandler = null
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (check = handler),
  } as unknown as Session
  installSessionSecurity(session, devServerUrl)
  if (!request || !check) throw new Error('handlers were not installed')
  const requestHandler: NonNullable<RequestHandler> = request
  const checkHandler: NonNullable<CheckHandler> = check
  const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) =>
    new Promise<boolean>((resolve) =>
      requestHandler(
        {} as WebContents,
        permission as Parameters<NonNullable<RequestHandler>>[1],
        resolve,
        { requestingUrl, isMainFrame: true, ...(mediaTypes ? { mediaTypes } : {}) } as Parameters<NonNullable<RequestHandler>>[3],
      ),
    )
  const checks = (permission: string, origin: string, mediaType?: 'audio' | 'video') =>
    checkHandler(null, permission as Parameters<NonNullable<CheckHandler>>[1], origin, {
      isMainFrame: true,
      ...(mediaType ? { mediaType } : {}),
    })
  return { ask, checks }
}

describe('main window options', () => {
  it('isolates, sandboxes and denies Node to the renderer', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs')
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('session permissions', () => {
  it('grants microphone capture to the app page only', async () => {
    const { ask } = installedHandlers()
    expect(await ask('media', 'app://renderer/index.html', ['audio'])).toBe(true)
    expect(await ask('media', 'app://renderer/index.html', ['video'])).toBe(false)
    expect(await ask('media', 'app://renderer/index.html', ['audio', 'video'])).toBe(false)
    expect(await ask('media', 'app://renderer/index.html', [])).toBe(false)
    expect(await ask('media', 'https://evil.example/', ['audio'])).toBe(false)
    expect(await ask('media', 'file:///etc/passwd', ['audio'])).toBe(false)
  })

  it('denies every other permission, even to the app page', async () => {
    const { ask, checks } = installedHandlers()
    for (const permission of ['geolocation', 'notifications', 'display-capture', 'clipboard-read', 'openExternal', 'hid', 'usb', 'midi']) {
      expect(await ask(permission, 'app://renderer/index.html'), permission).toBe(false)
      expect(checks(permission, 'app://renderer'), permission).toBe(false)
    }
  })

  it('answers permission checks the same way', () => {
    const { checks } = installedHandlers()
    expect(checks('media', 'app://renderer', 'audio')).toBe(true)
    expect(checks('media', 'app://renderer', 'video')).toBe(false)
    expect(checks('media', 'app://renderer')).toBe(false)
    expect(checks('media', 'http://localhost:5173', 'audio')).toBe(false)
    // setSinkId needs speaker selection; it is output only and still limited to the app page.
    expect(checks('speaker-selection', 'app://renderer')).toBe(true)
    expect(checks('speaker-selection', 'https://evil.example')).toBe(false)
  })

  it('treats the Vite dev server as the app origin only in dev', async () => {
    expect(await installedHandlers('http://localhost:5173').ask('media', 'http://localhost:5173/', ['audio'])).toBe(true)
    expect(await installedHandlers().ask('media', 'http://localhost:5173/', ['audio'])).toBe(false)
  })
})

describe('web contents hardening', () => {
  function hardened() {
    const listeners = new Map<string, (event: { preventDefault: () => void }, url: string) => void>()
    let openHandler: (() => { action: string }) | null = null
    const contents = {
      on: (name: string, listener: (event: { preventDefault: () => void }, url: string) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler: () => { action: string }) => (openHandler = handler),
    } as unknown as WebContents
    hardenWebContents(contents, undefined)
    const blocks = (eventName: string, url: string): boolean => {
      const event = { preventDefault: vi.fn() }
      listeners.get(eventName)?.(event, url)
      return event.preventDefault.mock.calls.length > 0
    }
    return { blocks, openHandler: () => openHandler }
  }

  it('blocks navigation and redirects away from the app', () => {
    const { blocks } = hardened()
    expect(blocks('will-navigate', 'https://evil.example/phish')).toBe(true)
    expect(blocks('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(blocks('will-navigate', 'app://rendererx.evil/index.html')).toBe(true)
    expect(blocks('will-redirect', 'https://evil.example/')).toBe(true)
    expect(blocks('will-navigate', 'app://renderer/index.html')).toBe(false)
    expect(blocks('will-attach-webview', 'app://renderer/index.html')).toBe(true)
  })

  it('denies every window.open', () => {
    expect(hardened().openHandler()?.()).toEqual({ action: 'deny' })
  })
})

describe('content security policy', () => {
  it('gives the renderer no network and only its own scripts in production', () => {
    expect(PRODUCTION_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "media-src 'self' blob:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'; worker-src 'self'",
    )
  })

  it('relaxes only what Vite dev needs, and only in the dev policy', () => {
    expect(DEVELOPMENT_CSP).toContain("script-src 'self' 'unsafe-inline'")
    expect(DEVELOPMENT_CSP).toContain('connect-src \'self\' ws://localhost:*')
    expect(PRODUCTION_CSP).not.toContain('unsafe')
  })

  it('lets the harness page reach only its own loopback socket', () => {
    expect(harnessCsp('http://127.0.0.1:4321')).toContain('connect-src ws://127.0.0.1:4321;')
  })
})

describe('app:// protocol', () => {
  it('serves renderer files with the production CSP and refuses traversal', async () => {
    const electron = await import('../support/electron-fake.js')
    const { registerAppScheme, serveRendererFrom } = await import('../../src-main/electron/app-protocol.js')
    const root = mkdtempSync(join(tmpdir(), 'renderer-'))
    mkdirSync(join(root, 'assets'))
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>')
    writeFileSync(join(root, 'assets', 'capture.worklet-1.js'), 'registerProcessor("x", class {})')
    writeFileSync(join(root, '..', 'secret.txt'), 'nope')
    registerAppScheme()
    expect(electron.protocol.privileged).toContainEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    })
    serveRendererFrom(root)
    const handler = electron.protocol.handlers.get('app')
    if (!handler) throw new Error('app:// handler not registered')

    const page = await handler(new Request('app://renderer/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(PRODUCTION_CSP)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const worklet = await handler(new Request('app://renderer/assets/capture.worklet-1.js'))
    expect(worklet.headers.get('content-type')).toBe('text/javascript; charset=utf-8')

    for (const evil of ['app://renderer/%2e%2e/secret.txt', 'app://renderer/..%2fsecret.txt', 'app://other/index.html', 'app://renderer/missing.js']) {
      expect((await handler(new Request(evil))).status, evil).toBe(404)
    }
  })
})

describe('external links', () => {
  it('opens only allow-listed https URLs', async () => {
    const electron = await import('../support/electron-fake.js')
    const { openExternalUrl } = await import('../../src-main/electron/external-links.js')
    expect(isAllowedExternalUrl('https://learn.microsoft.com/azure/ai-services/speech-service/voice-live')).toBe(true)
    for (const url of ['http://learn.microsoft.com/', 'https://learn.microsoft.com.evil.example/', 'https://user:pw@ai.azure.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
    await expect(openExternalUrl('https://evil.example/')).rejects.toThrow(/Refused to open/)
    await openExternalUrl('https://ai.azure.com/')
    expect(electron.shell.opened).toEqual(['https://ai.azure.com/'])
  })
})
