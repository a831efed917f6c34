/**
 * The browser harness: the main-process services under plain Node, the built renderer served over
 * HTTP on 127.0.0.1, and the bridge contract carried over a loopback WebSocket. Only the page this
 * server hands out (same origin, per-run token) may talk to the bridge.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import { createAppServices, type AppServices, type AppServicesOptions } from '../app-services/index.js'
import { serveBridge } from '../bridge/serve-bridge.js'
import { BRIDGE_PATH, createWebSocketTransport } from './websocket-bridge-server.js'
import { harnessCsp } from '../renderer-hosting/content-security-policy.js'
import { readRendererFile } from '../renderer-hosting/renderer-files.js'

export interface HarnessOptions {
  /** 0 picks a free port. */
  readonly port: number
  /** The built renderer (`out/renderer`). */
  readonly rendererDir: string
  readonly userDataDir: string
  readonly appVersion: string
  /** Test hooks for the services, e.g. a local engine with fault switches. */
  readonly services?: Pick<AppServicesOptions, 'startEngine' | 'sessionTiming' | 'account'>
  readonly onRejected?: (reason: string) => void
  /** A session with no page left is stopped after this long (a reload reconnects well within it). */
  readonly abandonedAfterMs?: number
}

export interface Harness {
  /** `http://127.0.0.1:PORT/#token=...`: open it in a browser. */
  readonly url: string
  readonly origin: string
  /** What the app's tray menu calls (the harness has no tray): e2e tests pick presets "from the tray". */
  readonly presetMenu: AppServices['presetMenu']
  close(): Promise<void>
}

const DEFAULT_ABANDONED_AFTER_MS = 10_000

/**
 * Closing the browser tab must not leave a session (and its engine socket) running in the
 * harness: once no bridge connection is left for `afterMs`, `stop` runs.
 */
function stopWhenAbandoned(server: Server, afterMs: number, stop: () => void): void {
  const open = new Set<Duplex>()
  let timer: NodeJS.Timeout | undefined
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== BRIDGE_PATH) return
    open.add(socket)
    clearTimeout(timer)
    socket.once('close', () => {
      open.delete(socket)
      if (open.size > 0) return
      clearTimeout(timer)
      if (!closed) timer = setTimeout(stop, afterMs).unref()
    })
  })
  let closed = false
  server.once('close', () => {
    closed = true
    clearTimeout(timer)
  })
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('base64url')
  let origin = ''

  const server = createServer((request, response) => void serveFile(request, response))
  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its
    // own Host header: only our exact origin gets files.
    if (`http://${request.headers.host ?? ''}` !== origin) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const pathname = new URL(request.url ?? '/', origin).pathname
    const file = await readRendererFile(options.rendererDir, pathname)
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n')
      return
    }
    response.writeHead(200, {
      'content-type': file.mimeType,
      'content-security-policy': harnessCsp(origin),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const transport = createWebSocketTransport({
    server,
    token,
    allowedOrigin: () => origin,
    ...(options.onRejected ? { onRejected: options.onRejected } : {}),
  })
  const services = createAppServices({
    transportKind: 'harness',
    appVersion: options.appVersion,
    userDataDir: options.userDataDir,
    ...options.services,
  })
  services.attach(
    serveBridge(transport, services.handlers, {
      onRejected: (channel, reason) => options.onRejected?.(`${channel}: ${reason}`),
    }),
  )
  stopWhenAbandoned(server, options.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS, () => {
    void services.handlers.commands['session.stop']({})
  })

  return {
    url: `${origin}/#token=${token}`,
    origin,
    presetMenu: services.presetMenu,
    async close() {
      await services.dispose()
      transport.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
