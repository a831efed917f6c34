/**
 * The connection part of the session core: keeps one conversation on a live, configured socket.
 *
 * It opens the socket (auth, deadline), sends `session.update` and waits for `session.updated`
 * (the handshake), reconnects with back-off when the socket drops, and rolls over to a fresh
 * socket between turns before the service's 60-minute cap. It knows nothing of responses, audio
 * or the transcript: `VoiceSession` answers its hooks (what to replay, whether a turn is running).
 * Kept apart so the socket's failure handling can be read, and changed, in one place.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type WebSocket from 'ws'
import type { ProtocolEvent, SessionError, SessionState } from '../../src-shared/session-model/session-model.js'
import type { Logger } from '../logging/logger.js'
import { buildHeaders, buildRealtimeUrl, TOKEN_SCOPES, type Credential } from '../voicelive-protocol/connection-url.js'
import {
  parseServerEvent,
  serializeEvent,
  sessionIdOf,
  type KnownClientEvent,
  type ReceivedServerEvent,
  type SessionConfig,
  type UnknownEvent,
} from '../voicelive-protocol/events.js'
import { errorFromClose, formatSeconds } from '../voicelive-protocol/session-errors.js'
import { summarizeEvent } from '../voicelive-protocol/summary.js'
import { EventStreams } from './event-streams.js'
import { openSocket } from './open-socket.js'
import { SessionFailure, type ConnectionSettings, type ProtocolWarning, type SessionTiming } from './types.js'

/** Errors after which trying again cannot help without the user changing something. */
const FINAL_KINDS = new Set<SessionError['kind']>(['auth', 'config', 'not_found', 'policy'])

export const STOPPED_WHILE_CONNECTING: SessionError = {
  kind: 'network',
  message: 'The session was stopped while connecting.',
  retryable: true,
}

/** Error codes the service uses for a `session.update` it refuses (OpenAI Realtime and Voice Live). */
const SETTINGS_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_value',
  'unknown_parameter',
  'invalid_type',
  'missing_required_parameter',
  'unsupported_value',
  'cannot_update_voice',
])

const isSettingsRejection = (type: string | undefined, code: string | null): boolean =>
  type === 'invalid_request_error' || (code !== null && SETTINGS_ERROR_CODES.has(code))

/** What the connection asks of the session that owns it. */
export interface LiveConnectionHooks {
  /** A known server event on the current socket, other than the handshake's own. */
  event(event: ReceivedServerEvent): void
  /** Every frame sent or received (and every malformed one), for the log and diagnostics. */
  protocol(event: ProtocolEvent): void
  /** A frame the client could not use, said at once (the CLI prints it on stderr). */
  warning(warning: ProtocolWarning): void
  /** Connecting steps and reconnect attempts. */
  state(state: SessionState): void
  /** A socket is configured: on a reconnect replay the history; then go live. */
  configured(isReconnect: boolean): void
  /** The socket dropped mid-conversation: settle what it cut off. Resolves whether an answer is owed. */
  dropped(): Promise<boolean>
  /** A reconnect after `dropped` succeeded. */
  restored(answerPending: boolean): void
  /** A turn is running (roll-over waits for the next pause). */
  busy(): boolean
  /** A final error, or reconnecting gave up. */
  failed(error: SessionError): void
}

export interface LiveConnectionOptions {
  readonly settings: ConnectionSettings
  readonly timing: Required<SessionTiming>
  readonly logger: Logger
  readonly now: () => number
  readonly hooks: LiveConnectionHooks
}

interface Socketed {
  readonly socket: WebSocket
  readonly generation: number
}

interface PendingHandshake {
  readonly generation: number
  resolve(): void
  reject(error: SessionError): void
}

export class LiveConnection {
  private current: Socketed | null = null
  /** Bumped per socket: events and closes of an older socket are ignored. */
  private socketGeneration = 0
  private stopping = false
  private sessionConfig: SessionConfig = {}
  private id = ''
  private pendingHandshake: PendingHandshake | null = null
  private reconnecting = false
  private rolloverTimer: NodeJS.Timeout | null = null
  private rolloverDue = false
  private readonly streams: EventStreams

  constructor(private readonly options: LiveConnectionOptions) {
    this.streams = new EventStreams({ logger: options.logger, protocol: options.hooks.protocol, now: options.now })
  }

  /** The service's id for the current session (from `session.created` / `session.updated`). */
  get sessionId(): string {
    return this.id
  }

  /** Changes with every socket; work started on an older one (e.g. a tool call) is dropped. */
  get generation(): number {
    return this.socketGeneration
  }

  /** `close()` was called. */
  get stopped(): boolean {
    return this.stopping
  }

  /** The first connection: open, configure, wait for `session.updated`. Rejects with `SessionFailure`. */
  open(sessionConfig: SessionConfig): Promise<void> {
    this.sessionConfig = sessionConfig
    return this.connectOnce(false)
  }

  /** Close with 1000 and stop reconnecting; safe at any time, more than once. */
  async close(): Promise<void> {
    this.stopping = true
    this.clearRollover()
    this.streams.end()
    // An open() waiting for `session.updated` ends now, not at its timeout.
    this.pendingHandshake?.reject(STOPPED_WHILE_CONNECTING)
    const current = this.current
    this.current = null
    this.socketGeneration++
    if (current) await this.closeSocket(current.socket, 1000, 'client stop')
  }

  send(event: KnownClientEvent): void {
    const socket = this.current?.socket
    if (!socket || socket.readyState !== socket.OPEN) {
      this.options.logger.log('debug', 'not sent: no open connection', { type: event.type })
      return
    }
    socket.send(serializeEvent(event))
    this.record('client', event)
  }

  /**
   * An `error` event: while the handshake waits it means the session could not be opened, and
   * the handshake fails with it (returns true). Otherwise it is the session's to report.
   */
  refuseHandshake(error: { type?: string | undefined; code: string | null; message: string }): boolean {
    if (this.pendingHandshake?.generation !== this.socketGeneration) return false
    // Only a request error means our settings were refused; anything else (a server_error,
    // an overloaded service) is the service failing, and trying again may well work.
    const message = error.message
    this.pendingHandshake.reject(
      isSettingsRejection(error.type, error.code)
        ? { kind: 'config', message: `The service rejected the session settings: ${message}`, retryable: false }
        : { kind: 'service', message: `The service failed while opening the session: ${message}`, retryable: true },
    )
    return true
  }

  /** Roll over only between turns, so nobody is cut off mid-sentence. Call when a turn ends. */
  rolloverIfDue(): void {
    const current = this.current
    if (!this.rolloverDue || this.options.hooks.busy() || !current || this.stopping) return
    this.rolloverDue = false
    this.options.logger.log('info', 'rolling over to a new session before the duration cap')
    this.current = null
    this.socketGeneration++
    void this.closeSocket(current.socket, 1000, 'rollover')
    void this.reconnect({
      kind: 'duration_cap',
      message: 'Starting a new session before the 60-minute limit.',
      retryable: true,
    })
  }

  private async credential(): Promise<Credential> {
    const auth = this.options.settings.auth
    switch (auth.kind) {
      case 'api-key':
        return { kind: 'api-key', key: auth.apiKey }
      case 'token':
        return { kind: 'bearer', token: auth.token }
      case 'none':
        return { kind: 'none' }
      case 'token-provider': {
        const scope = this.options.settings.tokenScope ?? TOKEN_SCOPES.default
        try {
          return { kind: 'bearer', token: await auth.provider.getToken(scope) }
        } catch (error) {
          throw new SessionFailure({
            kind: 'auth',
            message: `Could not get a token for ${scope}: ${error instanceof Error ? error.message : String(error)}`,
            retryable: false,
          })
        }
      }
    }
  }

  /** One connection attempt: open, configure, wait for `session.updated`. */
  private async connectOnce(isReconnect: boolean): Promise<void> {
    const { logger, timing, hooks } = this.options
    const generation = ++this.socketGeneration
    const url = buildRealtimeUrl(this.options.settings)
    const deadline = this.options.now() + timing.connectTimeoutMs
    // During a reconnect the UI keeps showing "reconnecting (attempt n)" rather than these steps.
    const step = (text: string) => {
      if (!isReconnect) hooks.state({ status: 'connecting', step: text })
    }
    step(`Connecting to ${url.host}`)
    const credential = await this.credential()
    const headers = buildHeaders(credential)
    logger.log('info', 'connecting', {
      url: url.toString(),
      auth: credential.kind,
      clientRequestId: headers['x-ms-client-request-id'],
      reconnect: isReconnect,
    })
    const socket = await openSocket({ url, headers, timeoutMs: timing.connectTimeoutMs })
    if (generation !== this.socketGeneration) {
      socket.terminate()
      throw new SessionFailure(STOPPED_WHILE_CONNECTING)
    }
    logger.log('info', 'connected', { url: url.toString() })
    step('Configuring the session')
    const current: Socketed = { socket, generation }
    const configured = this.awaitConfigured(current, Math.max(1, deadline - this.options.now()))
    socket.on('message', (data, isBinary) => this.onMessage(current, data, isBinary))
    socket.on('error', (error) => logger.log('warn', 'socket error', { error: error.message }))
    socket.on('close', (code, reason) => this.onClose(current, code, reason.toString('utf8')))
    socket.resume() // openSocket hands it over paused, so no frame arrives before these listeners
    this.current = current
    this.send({ type: 'session.update', session: this.sessionConfig })
    await configured
    this.startRollover()
    hooks.configured(isReconnect)
  }

  /** Resolves on `session.updated`; rejects on an error event, a close, or the deadline. */
  private awaitConfigured(current: Socketed, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const host = this.options.settings.endpoint
      const cleanup = () => {
        clearTimeout(timer)
        this.pendingHandshake = null
      }
      // A failed handshake abandons its socket: its close must not start a reconnect.
      const abandon = () => {
        if (this.current === current) this.current = null
      }
      const timer = setTimeout(() => {
        cleanup()
        abandon()
        current.socket.terminate()
        reject(
          new SessionFailure({
            kind: 'timeout',
            message: `The service at ${host} did not confirm the session settings within ${formatSeconds(timeoutMs)}.`,
            retryable: true,
          }),
        )
      }, timeoutMs)
      this.pendingHandshake = {
        generation: current.generation,
        resolve: () => {
          cleanup()
          resolve()
        },
        reject: (error: SessionError) => {
          cleanup()
          abandon()
          void this.closeSocket(current.socket, 1000, 'session not configured')
          reject(new SessionFailure(error))
        },
      }
    })
  }

  private onClose(current: Socketed, code: number, reason: string): void {
    this.streams.end()
    this.options.logger.log('info', 'socket closed', { code, reason })
    if (current.generation !== this.socketGeneration) return
    const error = errorFromClose(code, reason)
    if (this.pendingHandshake) {
      this.pendingHandshake.reject(error)
      return
    }
    if (this.current !== current) return // abandoned on purpose
    this.current = null
    if (this.stopping) return
    this.clearRollover()
    if (FINAL_KINDS.has(error.kind) || !error.retryable) {
      this.options.hooks.failed(error)
      return
    }
    void this.reconnect(error)
  }

  /** Reconnect with back-off; each attempt re-applies the session config (the hooks replay history). */
  private async reconnect(cause: SessionError): Promise<void> {
    if (this.reconnecting) return
    this.reconnecting = true
    const { hooks, logger } = this.options
    const answerPending = await hooks.dropped()
    let lastError = cause
    const delays = this.options.timing.reconnectDelaysMs
    for (let attempt = 1; attempt <= delays.length && !this.stopping; attempt++) {
      // The duration cap is expected: start the next session at once.
      const delay = attempt === 1 && cause.kind === 'duration_cap' ? 0 : (delays[attempt - 1] ?? 0)
      hooks.state({ status: 'reconnecting', attempt, retryInMs: delay, reason: lastError.message })
      await sleep(delay)
      if (this.stopping) break
      try {
        await this.connectOnce(true)
        this.reconnecting = false
        hooks.restored(answerPending)
        return
      } catch (error) {
        lastError = error instanceof SessionFailure ? error.error : unexpectedError(error)
        logger.log('warn', 'reconnect attempt failed', { attempt, kind: lastError.kind, message: lastError.message })
        if (FINAL_KINDS.has(lastError.kind)) break
      }
    }
    this.reconnecting = false
    if (!this.stopping) hooks.failed(lastError)
  }

  private startRollover(): void {
    this.clearRollover()
    this.rolloverDue = false
    this.rolloverTimer = setTimeout(() => {
      this.rolloverDue = true
      this.rolloverIfDue()
    }, this.options.timing.rolloverAfterMs)
    this.rolloverTimer.unref?.()
  }

  /** Also called when the session fails: no roll-over of a dead session. */
  clearRollover(): void {
    if (this.rolloverTimer) clearTimeout(this.rolloverTimer)
    this.rolloverTimer = null
  }

  private closeSocket(socket: WebSocket, code: number, reason: string): Promise<void> {
    if (socket.readyState === socket.CLOSED) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate()
        resolve()
      }, 1000)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.close(code, reason)
    })
  }

  /** Streamed events are only counted here (event-streams.ts); any other event ends the open streams first. */
  private record(direction: 'client' | 'server', event: KnownClientEvent | ReceivedServerEvent | UnknownEvent): void {
    if (this.streams.add(direction, event)) return
    this.streams.end()
    const summary = summarizeEvent(event)
    this.options.logger.log('debug', `${direction === 'client' ? '→' : '←'} ${event.type}`, summary)
    this.options.hooks.protocol({ direction, type: event.type, atMs: this.options.now(), summary })
  }

  private onMessage(current: Socketed, data: WebSocket.RawData, isBinary: boolean): void {
    if (current.generation !== this.socketGeneration) return
    if (isBinary) {
      this.malformed(null, 'binary frame (Voice Live sends JSON text)')
      return
    }
    // ws hands over Buffers (its default binaryType); decode them in place, without a copy.
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8')
    const parsed = parseServerEvent(text)
    if (parsed.kind === 'invalid') {
      if (parsed.reason === 'bad-shape' && parsed.type) this.unusable(parsed.type, parsed.error)
      else this.malformed(parsed.type, parsed.error)
      return
    }
    this.record('server', parsed.event)
    if (parsed.kind !== 'known') return
    try {
      this.dispatch(parsed.event)
    } catch (error) {
      // One event the client cannot handle (e.g. the sink threw) must not take the session down.
      this.options.logger.log('error', 'handling a server event failed', {
        type: parsed.event.type,
        error: String(error),
      })
    }
  }

  private dispatch(event: ReceivedServerEvent): void {
    switch (event.type) {
      case 'session.created':
        this.id = sessionIdOf(event.session) ?? this.id
        return
      case 'session.updated':
        this.id = sessionIdOf(event.session) ?? this.id
        if (this.pendingHandshake?.generation === this.socketGeneration) this.pendingHandshake.resolve()
        return
      default:
        this.options.hooks.event(event)
    }
  }

  /**
   * A frame that is no event at all (not JSON, no type): it names nothing the session waits for, so
   * it is skipped, but loudly: in the log, the diagnostics and the CLI's stderr.
   */
  private malformed(type: string | null, error: string): void {
    this.streams.end()
    this.options.logger.log('warn', 'malformed server frame ignored', { type, error })
    this.options.hooks.protocol({
      direction: 'server',
      type: type ?? '(malformed)',
      atMs: this.options.now(),
      summary: { error },
    })
    this.options.hooks.warning({ type, message: `malformed frame from the service ignored: ${error}` })
  }

  /**
   * A known event the client cannot use: a field it acts on is wrong (the intake checks nothing
   * else), or it names a response never created. What the service did is then unknown, and waiting
   * would only end in a timeout, so the session ends now with a protocol error naming the event and
   * the field.
   */
  unusable(type: string, problem: string): void {
    const { logger, hooks } = this.options
    const message = `The service sent a ${type} event the client cannot use (${problem}).`
    this.streams.end()
    logger.log('warn', 'unusable server event', { type, error: problem })
    hooks.protocol({ direction: 'server', type, atMs: this.options.now(), summary: { error: problem } })
    hooks.warning({ type, message: `${type} from the service cannot be used: ${problem}; the session ends` })
    const error: SessionError = { kind: 'protocol', message, retryable: false }
    if (this.pendingHandshake?.generation === this.socketGeneration) return this.pendingHandshake.reject(error)
    const current = this.current
    this.current = null
    this.socketGeneration++
    this.clearRollover()
    if (current) void this.closeSocket(current.socket, 1000, 'unusable server event')
    hooks.failed(error)
  }
}

/** A failure nobody planned for, as a retryable service error. */
export function unexpectedError(error: unknown): SessionError {
  return {
    kind: 'service',
    message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    retryable: true,
  }
}
