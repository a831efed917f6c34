/**
 * The local Voice Live-compatible engine: a WebSocket server on `/voice-live/realtime` that checks
 * the handshake like the service (api-version, model or agent, key), then runs one `EngineConnection`
 * per connection. Started in-process by the app and tests, or by `voicelive serve`.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, STATUS_CODES } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { REALTIME_PATH } from '../voicelive-protocol/connection-url.js'
import { CLOSE_REASONS, engineFaultsSchema, OVERSIZED_FRAME_BYTES, type EngineFaults } from './faults.js'
import { newId } from './ids.js'
import { pocketSphinx, type RecognizerAvailability } from './pocketsphinx.js'
import { warmUpSpeech } from './flite.js'
import { readyTranscribers } from './ready-transcribers.js'
import { EngineConnection } from './engine-connection.js'

/** Dated versions whose event shapes this engine speaks. `v1` uses the OpenAI GA shapes instead. */
export const SUPPORTED_API_VERSIONS = ['2025-05-01-preview', '2025-10-01', '2026-01-01-preview', '2026-04-10', '2026-06-01-preview', '2026-07-15', '2026-07-31-preview']

/** The service accepts up to 15 MiB of audio per append event; allow the JSON around it. */
const MAX_CLIENT_FRAME_BYTES = 16 * 1024 * 1024

export interface LocalEngineOptions {
  readonly host?: string
  /** 0 picks a free port. */
  readonly port?: number
  /** When set, every connection must present this key (`api-key` header or query, or a bearer token). */
  readonly apiKey?: string
  readonly faults?: EngineFaults
  /** Fixed replies for turns 1, 2, … of every session; later turns use the rule table. */
  readonly script?: readonly string[]
  /** Override the recogniser (tests use this to check the "no recogniser" path). */
  readonly recognizer?: RecognizerAvailability
  /** Decoders made ahead of the sessions that need them (ready-transcribers.ts); default 0. */
  readonly readyDecoders?: number
}

export interface LocalEngine {
  /** `ws://host:port` (append `/voice-live/realtime?...` or let a client add it). */
  readonly url: string
  readonly port: number
  /** Number of open sessions. */
  readonly sessionCount: number
  close(): Promise<void>
}

type Refusal = { readonly status: number; readonly message: string; readonly headers?: Record<string, string> }

function keyMatches(expected: string, given: string | null): boolean {
  if (given === null) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

function presentedKey(request: IncomingMessage, url: URL): string | null {
  const header = request.headers['api-key']
  if (typeof header === 'string') return header
  const authorization = request.headers.authorization ?? url.searchParams.get('authorization') ?? url.searchParams.get('Authorization')
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]
  if (bearer) return bearer
  return url.searchParams.get('api-key')
}

function checkHandshake(request: IncomingMessage, options: LocalEngineOptions): Refusal | { readonly model: string } {
  const refuse = options.faults?.refuse
  if (refuse) {
    return { status: refuse, message: `Refused by fault injection (HTTP ${refuse}).`, ...(refuse === 429 ? { headers: { 'retry-after': '1' } } : {}) }
  }
  const url = new URL(request.url ?? '/', 'http://local')
  if (url.pathname.replace(/\/+$/, '') !== REALTIME_PATH) {
    return { status: 404, message: `Resource not found: ${url.pathname}. The Voice Live path is ${REALTIME_PATH}.` }
  }
  if (options.apiKey !== undefined && !keyMatches(options.apiKey, presentedKey(request, url))) {
    return { status: 401, message: 'Access denied due to invalid subscription key or wrong API endpoint.' }
  }
  const apiVersion = url.searchParams.get('api-version')
  if (!apiVersion) return { status: 400, message: "Missing required query parameter 'api-version'." }
  if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) {
    return { status: 400, message: `Unsupported api-version '${apiVersion}'. Supported: ${SUPPORTED_API_VERSIONS.join(', ')}.` }
  }
  const model = url.searchParams.get('model')
  if (model) return { model }
  const agent = url.searchParams.get('agent-name') ?? url.searchParams.get('agent-id')
  if (agent && url.searchParams.get('agent-project-name')) return { model: `agent:${agent}` }
  return { status: 400, message: "Missing query parameter 'model' (or 'agent-name' with 'agent-project-name')." }
}

function refuseUpgrade(socket: Socket, refusal: Refusal): void {
  const body = JSON.stringify({ error: { code: String(refusal.status), message: refusal.message } })
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    ...refusal.headers,
  }
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${head}\r\n\r\n${body}`)
}

export async function startLocalEngine(options: LocalEngineOptions = {}): Promise<LocalEngine> {
  const faults = engineFaultsSchema.parse(options.faults ?? {})
  const decoders = readyTranscribers(options.recognizer ?? pocketSphinx(), options.readyDecoders ?? 0)
  const recognizer = decoders.recognizer
  warmUpSpeech()
  const http = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end(`Upgrade to a WebSocket at ${REALTIME_PATH}\n`)
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES })
  const open = new Map<WebSocket, { connection: Promise<EngineConnection | null>; timer: NodeJS.Timeout | null }>()
  const sockets = new Set<Socket>()
  http.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  http.on('upgrade', (request, socket: Socket, head) => {
    const verdict = checkHandshake(request, options)
    if ('status' in verdict) {
      refuseUpgrade(socket, verdict)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, verdict.model))
  })

  function accept(ws: WebSocket, model: string): void {
    const entry: { connection: Promise<EngineConnection | null>; timer: NodeJS.Timeout | null } = { connection: Promise.resolve(null), timer: null }
    open.set(ws, entry)
    const pending: string[] = []
    let connection: EngineConnection | null = null
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')
      if (text === null) return void ws.close(1003, 'Binary frames are not supported; send JSON text events.')
      if (connection) void connection.receive(text)
      else pending.push(text)
    })
    entry.connection = EngineConnection.open(
      { send: (frame) => ws.readyState === ws.OPEN && ws.send(frame) },
      {
        model,
        recognizer,
        script: options.script,
        timing: { latencyMs: faults.latencyMs ?? 0, jitterMs: faults.jitterMs ?? 0 },
        onAudioDelta: (responseIndex, chunkIndex) => {
          if (faults.dropAfterAudioDeltas !== undefined && responseIndex === 0 && chunkIndex + 1 === faults.dropAfterAudioDeltas) ws.terminate()
        },
      },
    ).then(
      (opened) => {
        connection = opened
        injectAfterCreated(ws, opened)
        for (const text of pending.splice(0)) void opened.receive(text)
        return opened
      },
      () => {
        ws.close(1011, 'The local engine could not start a session.')
        return null
      },
    )
    if (faults.closeAfter) {
      const { seconds, code } = faults.closeAfter
      entry.timer = setTimeout(() => ws.close(code, CLOSE_REASONS[code]), seconds * 1000)
    }
    ws.on('close', () => {
      if (entry.timer) clearTimeout(entry.timer)
      open.delete(ws)
      void entry.connection.then((opened) => opened?.close())
    })
  }

  function injectAfterCreated(ws: WebSocket, connection: EngineConnection): void {
    if (faults.errorEvent) {
      connection.sendError({ type: 'server_error', code: 'injected_fault', message: 'The server had an error while processing your request (injected fault).' })
    }
    if (faults.malformedJson) ws.send('{"type":"response.audio.delta","delta":')
    if (faults.oversizedFrame) {
      ws.send(JSON.stringify({ type: 'conversation.item.retrieved', event_id: newId('event'), item: { id: newId('item'), type: 'message', role: 'assistant', content: [{ type: 'audio', audio: 'A'.repeat(OVERSIZED_FRAME_BYTES) }] } }))
    }
  }

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await decoders.close()
    throw error
  }
  const address = http.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | null = null

  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    get sessionCount() {
      return open.size
    },
    close() {
      closing ??= (async () => {
        // First, so the sessions closing below do not have replacements made for them.
        const unused = decoders.close()
        const connections = [...open.values()].map((entry) => {
          if (entry.timer) clearTimeout(entry.timer)
          return entry.connection.then((connection) => connection?.close())
        })
        for (const ws of open.keys()) ws.terminate()
        await Promise.all(connections)
        await new Promise<void>((resolve) => wss.close(() => resolve()))
        for (const socket of sockets) socket.destroy()
        await new Promise<void>((resolve) => http.close(() => resolve()))
        await unused
      })()
      return closing
    },
  }
}
