/**
 * A scripted Voice Live server for tests: a real `ws` server on 127.0.0.1 whose behaviour each
 * test writes as a script per connection. It records every client event and the upgrade request,
 * can refuse upgrades with an HTTP status, and sends canned turns.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { parseClientEvent, type KnownClientEvent } from '../../src-main/voicelive-protocol/index.js'

const WAIT_MS = 5_000

export class ScriptedConnection {
  readonly events: KnownClientEvent[] = []
  /** What went wrong on the server side (a bad client event, a failed script); fails the test at close. */
  readonly failures: string[] = []
  private readonly waiters: { type: string; resolve: (event: KnownClientEvent) => void }[] = []
  private cursor = 0
  /** How the socket closed, as the server saw it. */
  readonly closed: Promise<{ code: number; reason: string }>

  constructor(
    readonly socket: WebSocket,
    readonly request: IncomingMessage,
  ) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    socket.on('message', (data) => {
      const parsed = parseClientEvent(data.toString())
      if (parsed.kind !== 'known') {
        this.failures.push(`scripted server got a bad client event: ${data.toString().slice(0, 300)}`)
        return
      }
      this.events.push(parsed.event)
      this.wake()
    })
  }

  get url(): URL {
    return new URL(this.request.url ?? '/', 'ws://127.0.0.1')
  }

  /** Wait for the next client event of `type` after the previous match (a timeout fails the test). */
  next<T extends KnownClientEvent['type']>(
    type: T,
    timeoutMs = WAIT_MS,
  ): Promise<Extract<KnownClientEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for client event ${type}`)), timeoutMs)
      this.waiters.push({
        type,
        resolve: (event) => {
          clearTimeout(timer)
          resolve(event as Extract<KnownClientEvent, { type: T }>)
        },
      })
      this.wake()
    })
  }

  /** Client event types received so far, in order. */
  types(): string[] {
    return this.events.map((event) => event.type)
  }

  send(event: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(event))
  }

  sendRaw(text: string): void {
    this.socket.send(text)
  }

  /** The usual handshake: session.created, then session.updated for the client's session.update. */
  async handshake(sessionId = 'sess_1'): Promise<Extract<KnownClientEvent, { type: 'session.update' }>> {
    this.send({ type: 'session.created', event_id: 'ev_c', session: { id: sessionId } })
    const update = await this.next('session.update')
    this.send({ type: 'session.updated', event_id: 'ev_u', session: { ...update.session, id: sessionId } })
    return update
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0]!
      const index = this.events.findIndex((event, i) => i >= this.cursor && event.type === waiter.type)
      if (index < 0) return
      this.cursor = index + 1
      this.waiters.shift()
      waiter.resolve(this.events[index]!)
    }
  }
}

export interface ScriptedServerOptions {
  /** Refuse the upgrade with this HTTP status (and JSON body) instead of accepting it. */
  readonly refuse?: (request: IncomingMessage) => { status: number; body?: string } | null
}

export class ScriptedServer {
  readonly connections: ScriptedConnection[] = []
  upgradeAttempts = 0
  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
  ) {}

  static async start(
    script: (connection: ScriptedConnection, index: number) => void | Promise<void>,
    options: ScriptedServerOptions = {},
  ): Promise<ScriptedServer> {
    const http = createServer((_request, response) => response.writeHead(404).end())
    const wss = new WebSocketServer({ noServer: true })
    const server = new ScriptedServer(http, wss)
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      server.upgradeAttempts++
      const refusal = options.refuse?.(request)
      if (refusal) {
        const body = refusal.body ?? ''
        socket.end(
          `HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        )
        return
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        const connection = new ScriptedConnection(ws, request)
        const index = server.connections.push(connection) - 1
        void Promise.resolve(script(connection, index)).catch((error: unknown) => {
          connection.failures.push(`scripted server script failed: ${String(error)}`)
        })
      })
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    return server
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`
  }

  /** Close, then fail (so the test fails) if any connection's script or client events went wrong. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate()
    this.wss.close()
    this.http.closeAllConnections()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
    const failures = this.connections.flatMap((connection) => connection.failures)
    if (failures.length > 0) throw new Error(failures.join('\n'))
  }
}

/** Send one assistant response: created → item → audio + transcript deltas → done (unless `done: false`). */
export function sendAssistantTurn(
  connection: ScriptedConnection,
  turn: {
    responseId: string
    itemId: string
    audio: Uint8Array
    transcript: string
    chunkBytes?: number
    done?: boolean
    usage?: { input_tokens: number; output_tokens: number; total_tokens: number }
  },
): void {
  const ref = { response_id: turn.responseId, item_id: turn.itemId, output_index: 0, content_index: 0 }
  connection.send({ type: 'response.created', response: { id: turn.responseId, status: 'in_progress', output: [] } })
  connection.send({
    type: 'response.output_item.added',
    response_id: turn.responseId,
    output_index: 0,
    item: { id: turn.itemId, type: 'message', role: 'assistant', content: [] },
  })
  const chunk = turn.chunkBytes ?? 4800
  const words = turn.transcript.split(' ')
  for (let offset = 0, i = 0; offset < turn.audio.byteLength; offset += chunk, i++) {
    const piece = turn.audio.subarray(offset, Math.min(offset + chunk, turn.audio.byteLength))
    connection.send({ type: 'response.audio.delta', ...ref, delta: Buffer.from(piece).toString('base64') })
    if (i < words.length) {
      connection.send({ type: 'response.audio_transcript.delta', ...ref, delta: (i > 0 ? ' ' : '') + words[i] })
    }
  }
  if (turn.done === false) return
  connection.send({ type: 'response.audio.done', ...ref })
  connection.send({ type: 'response.audio_transcript.done', ...ref, transcript: turn.transcript })
  connection.send({
    type: 'response.done',
    response: {
      id: turn.responseId,
      status: 'completed',
      output: [
        {
          id: turn.itemId,
          type: 'message',
          role: 'assistant',
          content: [{ type: 'audio', transcript: turn.transcript }],
        },
      ],
      usage: turn.usage ?? { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
    },
  })
}

/** A deterministic PCM16 test signal: sample i = (i * 7) mod 2000 - 1000. */
export function testPcm(samples: number, seed = 0): Uint8Array {
  const pcm = new Int16Array(samples)
  for (let i = 0; i < samples; i++) pcm[i] = (((i + seed) * 7) % 2000) - 1000
  return new Uint8Array(pcm.buffer)
}

/** Servers started by a test file and closed after each test (`afterEach(servers.closeAll)`). */
export function scriptedServers() {
  const started: ScriptedServer[] = []
  return {
    async serve(
      script: (connection: ScriptedConnection, index: number) => void | Promise<void>,
      options?: ScriptedServerOptions,
    ): Promise<ScriptedServer> {
      const server = await ScriptedServer.start(script, options)
      started.push(server)
      return server
    },
    async closeAll(): Promise<void> {
      await Promise.all(started.splice(0).map((server) => server.close()))
    },
  }
}
