/**
 * Serves the built renderer from app://renderer with the production CSP as a response header.
 * AudioWorklet modules cannot load from file:// in Chromium, and a custom standard scheme gives
 * the page a real origin for permission checks.
 */
import { protocol } from 'electron'
import { readRendererFile } from '../renderer-hosting/renderer-files.js'
import { PRODUCTION_CSP } from '../renderer-hosting/content-security-policy.js'
import { APP_HOST, APP_SCHEME } from './app-origin.js'

/** Must run before the app's `ready` event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

export function serveRendererFrom(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? await readRendererFile(rendererDir, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': file.mimeType,
        'content-security-policy': PRODUCTION_CSP,
        'x-content-type-options': 'nosniff',
      },
    })
  })
}
