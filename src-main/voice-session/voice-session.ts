/**
 * The Voice Live session core: one conversation over one or more WebSocket connections.
 *
 * It owns the socket, auth, the session config, the response lifecycle (tracked by id), barge-in
 * (ask the sink what was heard → truncate → cancel if needed → drop late deltas), push-to-talk,
 * tool calls, reconnect with history replay, roll-over before the service's 60-minute cap, and
 * per-turn metrics. Pure Node: the app, the CLI and the tests all drive this same class.
 */
import type WebSocket from 'ws'
import type { AudioFormat, SessionError, SessionState, TranscriptEntry } from '../../src-shared/bridge/payloads.js'
import type { Preset } from '../../src-shared/preset/preset.js'
import { silentLogger, type Logger } from '../logging/logger.js'
import {
  buildHeaders,
  buildRealtimeUrl,
  ConfigError,
  TOKEN_SCOPES,
  type Credential,
} from '../voicelive-protocol/connection-url.js'
import {
  functionCallItemSchema,
  parseServerEvent,
  serializeEvent,
  serviceErrorOf,
  sessionIdOf,
  type ConversationItem,
  type FunctionCallItem,
  type KnownClientEvent,
  type ReceivedEventOf,
  type ReceivedServerEvent,
  type SessionConfig,
  type UnknownEvent,
} from '../voicelive-protocol/events.js'
import { errorFromClose, formatSeconds } from '../voicelive-protocol/session-errors.js'
import { sessionConfigFromPreset } from '../voicelive-protocol/session-config.js'
import { summarizeEvent } from '../voicelive-protocol/summary.js'
import { TypedEmitter } from './emitter.js'
import { openSocket } from './open-socket.js'
import { newResponseTrack, turnMetrics, type ResponseTrack } from './response-track.js'
import { Transcript } from './transcript.js'
import {
  SessionFailure,
  type AudioSink,
  type SessionTiming,
  type ToolHandler,
  type VoiceSessionEvents,
  type VoiceSessionOptions,
} from './types.js'

/** The service answers `output_audio_format: pcm16` at 24 kHz. */
const OUTPUT_SAMPLE_RATE = 24_000
const DEFAULT_FRAME_MS = 20
/** The service rejects commits of less than 100 ms of audio. */
const MIN_COMMIT_MS = 100

const DEFAULT_TIMING: Required<SessionTiming> = {
  connectTimeoutMs: 15_000,
  reconnectDelaysMs: [500, 1000, 2000, 4000, 8000],
  rolloverAfterMs: 55 * 60_000,
  pushToTalkTailMs: 200,
}

/** Errors after which trying again cannot help without the user changing something. */
const FINAL_KINDS = new Set<SessionError['kind']>(['auth', 'config', 'not_found', 'policy'])

const STOPPED_WHILE_CONNECTING: SessionError = {
  kind: 'network',
  message: 'The session was stopped while connecting.',
  retryable: true,
}

/** Races that the protocol makes unavoidable: a cancel after the response already ended. */
const HARMLESS_ERROR_CODES = new Set(['response_cancel_not_active'])

interface Connection {
  readonly socket: WebSocket
  readonly generation: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

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

export class VoiceSession extends TypedEmitter<VoiceSessionEvents> {
  private readonly logger: Logger
  private readonly sink: AudioSink
  private readonly preset: Preset
  private readonly timing: Required<SessionTiming>
  private readonly tools: Readonly<Record<string, ToolHandler>>
  private readonly now: () => number
  private readonly pushToTalk: boolean
  private readonly serverInterrupts: boolean

  private state: SessionState = { status: 'idle' }
  private connection: Connection | null = null
  private generation = 0
  private started = false
  private stopping = false
  private sessionConfig: SessionConfig | null = null
  private sessionId = ''

  private readonly transcript = new Transcript()
  private readonly responses = new Map<string, ResponseTrack>()
  private activeResponseId: string | null = null
  /** Audio bytes received per assistant item, to clamp truncation to what exists. */
  private readonly itemAudioBytes = new Map<string, number>()
  private readonly itemResponse = new Map<string, string>()
  private lastAudioItemId: string | null = null
  /** Audio went to the sink since its last flush (else a barge-in has nothing to silence). */
  private audioSinceFlush = false

  /** User input was committed (VAD or manual) and no response has started for it yet. */
  private userInputPending = false
  private speechEndAt: number | null = null
  private turnBytesSent = 0

  private gateOpen = false
  private bytesSinceClear = 0
  private releasing = false

  private rolloverTimer: NodeJS.Timeout | null = null
  private rolloverDue = false
  private reconnecting = false

  constructor(private readonly options: VoiceSessionOptions) {
    super((error, event) =>
      (options.logger ?? silentLogger).log('error', 'session listener threw', {
        event: String(event),
        error: String(error),
      }),
    )
    this.logger = options.logger ?? silentLogger
    this.sink = options.audioSink
    this.preset = options.preset
    this.timing = { ...DEFAULT_TIMING, ...options.timing }
    this.tools = options.tools ?? {}
    this.now = options.now ?? (() => performance.now())
    this.pushToTalk = options.preset.turnDetection.type === 'none'
    this.serverInterrupts =
      options.preset.turnDetection.type !== 'none' && options.preset.turnDetection.interruptResponse
  }

  /** The current state (also emitted as `state`). */
  get currentState(): SessionState {
    return this.state
  }

  /** PCM format the caller must capture and the sink will receive. */
  get audioFormat(): AudioFormat {
    return {
      inputSampleRate: this.preset.inputSampleRate,
      outputSampleRate: OUTPUT_SAMPLE_RATE,
      frameMs: DEFAULT_FRAME_MS,
    }
  }

  /** The conversation so far, in conversation order (items by first sight). */
  transcriptEntries(): TranscriptEntry[] {
    return this.transcript.all()
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  /** Connect, apply the session config, and resolve when live. Rejects with `SessionFailure`. */
  async start(): Promise<void> {
    if (this.started) throw new Error('VoiceSession.start() may be called only once')
    this.started = true
    try {
      buildRealtimeUrl(this.options.connection) // validate early: a bad endpoint is a config error
      this.sessionConfig = sessionConfigFromPreset(this.preset, this.options.connection.target)
    } catch (error) {
      throw this.fail(this.configError(error))
    }
    try {
      await this.connectOnce(false)
    } catch (error) {
      const failure = error instanceof SessionFailure ? error : new SessionFailure(this.unexpected(error))
      if (!this.stopping) this.fail(failure.error)
      throw failure
    }
    if (this.preset.proactiveGreeting.enabled) {
      const instructions = this.preset.proactiveGreeting.instructions
      this.send({
        type: 'response.create',
        ...(instructions && this.options.connection.target.kind === 'model' && { response: { instructions } }),
      })
    }
  }

  /** Close with 1000 and stop everything; safe to call at any time, more than once. */
  async stop(): Promise<void> {
    this.stopping = true
    this.clearRollover()
    // A start() waiting for `session.updated` ends now, not at its timeout.
    this.pendingHandshake?.reject(STOPPED_WHILE_CONNECTING)
    const connection = this.connection
    this.connection = null
    this.generation++
    if (connection) await this.closeSocket(connection.socket, 1000, 'client stop')
    this.setState({ status: 'idle' })
  }

  // -------------------------------------------------------------------------------------------
  // Audio in, turns

  /** Mic PCM16 mono at `audioFormat.inputSampleRate`. Dropped while not live or while the PTT gate is closed. */
  appendAudio(pcm16: Uint8Array): void {
    if (this.state.status !== 'live' || pcm16.byteLength === 0) return
    if (this.pushToTalk && !this.gateOpen) return
    // A view, not a copy: 50 frames a second only need encoding.
    const audio = Buffer.from(pcm16.buffer, pcm16.byteOffset, pcm16.byteLength).toString('base64')
    this.send({ type: 'input_audio_buffer.append', audio })
    this.turnBytesSent += pcm16.byteLength
    this.bytesSinceClear += pcm16.byteLength
  }

  /** Push-to-talk press: stop the assistant (barge-in) and start a fresh input buffer. */
  async pressToTalk(): Promise<void> {
    if (!this.pushToTalk) {
      this.logger.log('debug', 'pressToTalk ignored: the preset uses server turn detection')
      return
    }
    if (this.state.status !== 'live') return
    // Cancel (sent synchronously by bargeIn) and clear go out before any new mic audio, so speech
    // captured while the sink reports its position is kept rather than cleared.
    const stopped = this.bargeIn('local')
    this.send({ type: 'input_audio_buffer.clear' })
    this.gateOpen = true
    this.releasing = false
    this.bytesSinceClear = 0
    this.turnBytesSent = 0
    await stopped
  }

  /** Push-to-talk release: keep sending a short tail, then commit and ask for the response. */
  async releaseToTalk(): Promise<void> {
    if (!this.pushToTalk || !this.gateOpen || this.releasing) return
    this.releasing = true
    await sleep(this.timing.pushToTalkTailMs)
    if (!this.releasing) return // pressed again during the tail
    this.releasing = false
    this.gateOpen = false
    if (this.state.status !== 'live') return
    const minBytes = (this.preset.inputSampleRate / 1000) * MIN_COMMIT_MS * 2
    if (this.bytesSinceClear < minBytes) {
      this.logger.log('info', 'push-to-talk too short; nothing sent', { bytes: this.bytesSinceClear })
      this.send({ type: 'input_audio_buffer.clear' })
      return
    }
    this.commitInput()
  }

  /**
   * End the user's turn by hand: commit the input buffer and ask for a response. Push-to-talk
   * release does this; the CLI also uses it when the server's VAD heard no speech in a file.
   */
  commitInput(): void {
    if (this.state.status !== 'live') return
    this.speechEndAt = this.now()
    this.userInputPending = true
    this.send({ type: 'input_audio_buffer.commit' })
    this.send({ type: 'response.create' })
  }

  /** Local stop (barge-in button): silence the assistant and tell the service what was heard. */
  async interrupt(): Promise<void> {
    if (this.state.status !== 'live') return
    await this.bargeIn('local')
  }

  // -------------------------------------------------------------------------------------------
  // Barge-in

  private async bargeIn(cause: 'server-vad' | 'local'): Promise<void> {
    const active = this.activeResponseId ? this.responses.get(this.activeResponseId) : undefined
    const responseRunning = active !== undefined && !active.done
    // The item playing now; audio that arrives while the sink flushes belongs to what comes next.
    const playingItemId = this.lastAudioItemId
    // Mark first (synchronously) so deltas arriving while the sink flushes are dropped.
    if (responseRunning) active.interrupted = true
    if (responseRunning && (cause === 'local' || !this.serverInterrupts)) {
      this.send({ type: 'response.cancel', response_id: active.id })
    }
    if (!responseRunning && !this.audioSinceFlush) return
    const heard = await this.flushSink()
    const itemId = heard?.itemId ?? playingItemId
    if (!heard || !itemId) return
    const receivedBytes = this.itemAudioBytes.get(itemId)
    if (receivedBytes === undefined) return
    const receivedMs = Math.floor((receivedBytes / 2 / OUTPUT_SAMPLE_RATE) * 1000)
    const playedMs = Math.floor((heard.playedSamples / OUTPUT_SAMPLE_RATE) * 1000)
    const audioEndMs = Math.min(playedMs, receivedMs)
    const responseId = this.itemResponse.get(itemId)
    const itemComplete = responseId !== undefined && this.responses.get(responseId)?.done === true
    if (audioEndMs <= 0 || (itemComplete && playedMs >= receivedMs)) return
    if (responseId) {
      const track = this.responses.get(responseId)
      if (track) track.interrupted = true
    }
    this.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: audioEndMs })
  }

  /** Silence the sink; a failing sink (e.g. the window closed) must not break the session. */
  private async flushSink(): Promise<{ itemId: string | null; playedSamples: number } | null> {
    this.audioSinceFlush = false
    try {
      return await this.sink.flush()
    } catch (error) {
      this.logger.log('warn', 'audio sink flush failed', { error: String(error) })
      return null
    }
  }

  // -------------------------------------------------------------------------------------------
  // Connection

  private async credential(): Promise<Credential> {
    const auth = this.options.connection.auth
    switch (auth.kind) {
      case 'api-key':
        return { kind: 'api-key', key: auth.apiKey }
      case 'token':
        return { kind: 'bearer', token: auth.token }
      case 'none':
        return { kind: 'none' }
      case 'token-provider': {
        const scope = this.options.connection.tokenScope ?? TOKEN_SCOPES.default
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
    const generation = ++this.generation
    const url = buildRealtimeUrl(this.options.connection)
    const deadline = this.now() + this.timing.connectTimeoutMs
    // During a reconnect the UI keeps showing "reconnecting (attempt n)" rather than these steps.
    const step = (text: string) => {
      if (!isReconnect) this.setState({ status: 'connecting', step: text })
    }
    step(`Connecting to ${url.host}`)
    const credential = await this.credential()
    const headers = buildHeaders(credential)
    this.logger.log('info', 'connecting', {
      url: url.toString(),
      auth: credential.kind,
      clientRequestId: headers['x-ms-client-request-id'],
      reconnect: isReconnect,
    })
    const socket = await openSocket({ url, headers, timeoutMs: this.timing.connectTimeoutMs })
    if (generation !== this.generation) {
      socket.terminate()
      throw new SessionFailure(STOPPED_WHILE_CONNECTING)
    }
    this.logger.log('info', 'connected', { url: url.toString() })
    step('Configuring the session')
    const connection: Connection = { socket, generation }
    const configured = this.awaitConfigured(connection, Math.max(1, deadline - this.now()))
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary))
    socket.on('error', (error) => this.logger.log('warn', 'socket error', { error: error.message }))
    socket.on('close', (code, reason) => this.onClose(connection, code, reason.toString('utf8')))
    socket.resume() // openSocket hands it over paused, so no frame arrives before these listeners
    this.connection = connection
    this.send({ type: 'session.update', session: this.sessionConfig ?? {} })
    await configured
    this.startRollover()
    if (isReconnect) this.replayHistory()
    this.setState({
      status: 'live',
      sessionId: this.sessionId,
      turnDetection: this.pushToTalk ? 'push-to-talk' : 'vad',
    })
    this.emit('audio-format', this.audioFormat)
  }

  /** Resolves on `session.updated`; rejects on an error event, a close, or the deadline. */
  private awaitConfigured(connection: Connection, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const host = this.options.connection.endpoint
      const cleanup = () => {
        clearTimeout(timer)
        this.pendingHandshake = null
      }
      // A failed handshake abandons its socket: its close must not start a reconnect.
      const abandon = () => {
        if (this.connection === connection) this.connection = null
      }
      const timer = setTimeout(() => {
        cleanup()
        abandon()
        connection.socket.terminate()
        reject(
          new SessionFailure({
            kind: 'timeout',
            message: `The service at ${host} did not confirm the session settings within ${formatSeconds(timeoutMs)}.`,
            retryable: true,
          }),
        )
      }, timeoutMs)
      this.pendingHandshake = {
        generation: connection.generation,
        resolve: () => {
          cleanup()
          resolve()
        },
        reject: (error: SessionError) => {
          cleanup()
          abandon()
          void this.closeSocket(connection.socket, 1000, 'session not configured')
          reject(new SessionFailure(error))
        },
      }
    })
  }

  private pendingHandshake: {
    generation: number
    resolve: () => void
    reject: (error: SessionError) => void
  } | null = null

  private onClose(connection: Connection, code: number, reason: string): void {
    this.logger.log('info', 'socket closed', { code, reason })
    if (connection.generation !== this.generation) return
    const error = errorFromClose(code, reason)
    if (this.pendingHandshake) {
      this.pendingHandshake.reject(error)
      return
    }
    if (this.connection !== connection) return // abandoned on purpose
    this.connection = null
    if (this.stopping) return
    this.clearRollover()
    if (FINAL_KINDS.has(error.kind) || !error.retryable) {
      this.fail(error)
      return
    }
    void this.reconnect(error)
  }

  /** Reconnect with backoff, re-applying the session and replaying the text history. */
  private async reconnect(cause: SessionError): Promise<void> {
    if (this.reconnecting) return
    this.reconnecting = true
    this.gateOpen = false
    // A response cut off by the drop will never finish on this socket: ask again after reconnecting.
    const active = this.activeResponseId ? this.responses.get(this.activeResponseId) : undefined
    const cut = active !== undefined && !active.done
    const answerPending = this.userInputPending || cut
    if (active && cut) {
      active.done = true
      // Its partial text was never finished or heard whole: not replayed, shown as failed.
      this.settleEntries(active.id, 'failed')
      // The answer is asked for again; the cut one must not play on underneath it. A finished
      // answer (e.g. at a roll-over) keeps playing to its end.
      await this.flushSink()
    }
    this.activeResponseId = null
    let lastError = cause
    const delays = this.timing.reconnectDelaysMs
    for (let attempt = 1; attempt <= delays.length && !this.stopping; attempt++) {
      // The duration cap is expected: start the next session at once.
      const delay = attempt === 1 && cause.kind === 'duration_cap' ? 0 : (delays[attempt - 1] ?? 0)
      this.setState({ status: 'reconnecting', attempt, retryInMs: delay, reason: lastError.message })
      await sleep(delay)
      if (this.stopping) break
      try {
        await this.connectOnce(true)
        this.reconnecting = false
        if (answerPending) {
          this.userInputPending = true
          this.send({ type: 'response.create' })
        }
        return
      } catch (error) {
        lastError = error instanceof SessionFailure ? error.error : this.unexpected(error)
        this.logger.log('warn', 'reconnect attempt failed', {
          attempt,
          kind: lastError.kind,
          message: lastError.message,
        })
        if (FINAL_KINDS.has(lastError.kind)) break
      }
    }
    this.reconnecting = false
    if (!this.stopping) this.fail(lastError)
  }

  private replayHistory(): void {
    const items: ConversationItem[] = this.transcript.historyItems()
    for (const item of items) this.send({ type: 'conversation.item.create', item })
    this.logger.log('info', 'history replayed', { items: items.length })
  }

  private startRollover(): void {
    this.clearRollover()
    this.rolloverDue = false
    this.rolloverTimer = setTimeout(() => {
      this.rolloverDue = true
      this.maybeRollover()
    }, this.timing.rolloverAfterMs)
    this.rolloverTimer.unref?.()
  }

  private clearRollover(): void {
    if (this.rolloverTimer) clearTimeout(this.rolloverTimer)
    this.rolloverTimer = null
  }

  /** Roll over only between turns, so nobody is cut off mid-sentence. */
  private maybeRollover(): void {
    const busy = this.activeResponseId !== null || this.userInputPending || this.gateOpen
    const connection = this.connection
    if (!this.rolloverDue || busy || !connection || this.stopping) return
    this.rolloverDue = false
    this.logger.log('info', 'rolling over to a new session before the duration cap')
    this.connection = null
    this.generation++
    void this.closeSocket(connection.socket, 1000, 'rollover')
    void this.reconnect({
      kind: 'duration_cap',
      message: 'Starting a new session before the 60-minute limit.',
      retryable: true,
    })
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

  // -------------------------------------------------------------------------------------------
  // Sending and receiving

  private send(event: KnownClientEvent): void {
    const socket = this.connection?.socket
    if (!socket || socket.readyState !== socket.OPEN) {
      this.logger.log('debug', 'not sent: no open connection', { type: event.type })
      return
    }
    socket.send(serializeEvent(event))
    this.record('client', event)
  }

  private record(direction: 'client' | 'server', event: KnownClientEvent | ReceivedServerEvent | UnknownEvent): void {
    const summary = summarizeEvent(event)
    this.logger.log('debug', `${direction === 'client' ? '→' : '←'} ${event.type}`, summary)
    this.emit('protocol', { direction, type: event.type, atMs: this.now(), summary })
  }

  private onMessage(connection: Connection, data: WebSocket.RawData, isBinary: boolean): void {
    if (connection.generation !== this.generation) return
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
      this.handle(parsed.event)
    } catch (error) {
      // One event the client cannot handle (e.g. the sink threw) must not take the session down.
      this.logger.log('error', 'handling a server event failed', { type: parsed.event.type, error: String(error) })
    }
  }

  /**
   * A frame that is no event at all (not JSON, no type): it names nothing the session waits for, so
   * it is skipped, but loudly: in the log, the diagnostics and the CLI's stderr.
   */
  private malformed(type: string | null, error: string): void {
    this.logger.log('warn', 'malformed server frame ignored', { type, error })
    this.emit('protocol', { direction: 'server', type: type ?? '(malformed)', atMs: this.now(), summary: { error } })
    this.emit('protocol-warning', { type, message: `malformed frame from the service ignored: ${error}` })
  }

  /**
   * A known event the client cannot use: a field it acts on is wrong (the intake checks nothing
   * else). What the service did is then unknown, and waiting would only end in a timeout, so the
   * session ends now with a protocol error naming the event and the field.
   */
  private unusable(type: string, problem: string): void {
    const message = `The service sent a ${type} event the client cannot use (${problem}).`
    this.logger.log('warn', 'unusable server event', { type, error: problem })
    this.emit('protocol', { direction: 'server', type, atMs: this.now(), summary: { error: problem } })
    this.emit('protocol-warning', {
      type,
      message: `${type} from the service cannot be used: ${problem}; the session ends`,
    })
    const error: SessionError = { kind: 'protocol', message, retryable: false }
    if (this.pendingHandshake?.generation === this.generation) return this.pendingHandshake.reject(error)
    const connection = this.connection
    this.connection = null
    this.generation++
    if (connection) void this.closeSocket(connection.socket, 1000, 'unusable server event')
    this.fail(error)
  }

  private handle(event: ReceivedServerEvent): void {
    switch (event.type) {
      case 'session.created':
        this.sessionId = sessionIdOf(event.session) ?? this.sessionId
        return
      case 'session.updated':
        this.sessionId = sessionIdOf(event.session) ?? this.sessionId
        if (this.pendingHandshake?.generation === this.generation) this.pendingHandshake.resolve()
        return
      case 'error':
        return this.onServiceError(event)
      case 'input_audio_buffer.speech_started':
        if (!this.pushToTalk) void this.bargeIn('server-vad')
        return
      case 'input_audio_buffer.speech_stopped':
        this.speechEndAt = this.now()
        this.userInputPending = true
        return
      case 'input_audio_buffer.committed':
        this.speechEndAt ??= this.now()
        this.userInputPending = true
        this.transcript.ensure(event.item_id, 'user')
        return
      case 'conversation.item.input_audio_transcription.delta':
        return this.emitEntry(this.transcript.appendDelta(event.item_id, 'user', event.delta))
      case 'conversation.item.input_audio_transcription.completed':
        return this.emitEntry(this.transcript.finish(event.item_id, 'user', event.transcript.trim()))
      case 'conversation.item.input_audio_transcription.failed': {
        const entry = this.transcript.ensure(event.item_id, 'user')
        return this.emitEntry(this.transcript.finish(event.item_id, 'user', entry.text, 'failed'))
      }
      case 'response.created':
        return this.onResponseCreated(event.response)
      case 'response.output_item.added':
        if (!this.knownResponse(event.type, event.response_id)) return
        if (event.item.type === 'message' && typeof event.item.id === 'string') {
          this.itemResponse.set(event.item.id, event.response_id)
          this.transcript.ensure(event.item.id, 'assistant')
        }
        return
      case 'response.audio.delta':
        return this.onAudioDelta(event)
      case 'response.audio_transcript.delta':
      case 'response.text.delta': {
        const track = this.liveResponse(event)
        if (!track) return
        track.firstDeltaAt ??= this.now()
        return this.emitEntry(this.transcript.appendDelta(event.item_id, 'assistant', event.delta))
      }
      case 'response.audio_transcript.done':
        if (!this.liveResponse(event)) return
        return this.emitEntry(this.transcript.finish(event.item_id, 'assistant', event.transcript))
      case 'response.text.done':
        if (!this.liveResponse(event)) return
        return this.emitEntry(this.transcript.finish(event.item_id, 'assistant', event.text))
      case 'response.done':
        if (!this.knownResponse(event.type, event.response.id, 'response.id')) return
        return void this.onResponseDone(event.response)
      case 'conversation.item.truncated': {
        const receivedBytes = this.itemAudioBytes.get(event.item_id) ?? 0
        const receivedMs = (receivedBytes / 2 / OUTPUT_SAMPLE_RATE) * 1000
        const entry = this.transcript.truncate(event.item_id, event.audio_end_ms, receivedMs)
        if (entry) this.emitEntry(entry)
        return
      }
      case 'conversation.item.deleted':
        this.transcript.remove(event.item_id)
        return
      default:
        return
    }
  }

  private onServiceError(event: ReceivedEventOf<'error'>): void {
    const { type, code, message } = serviceErrorOf(event.error)
    if ((code && HARMLESS_ERROR_CODES.has(code)) || /no active response/i.test(message)) {
      this.logger.log('debug', 'ignored a cancel that raced the end of the response', { code, message })
      return
    }
    if (this.pendingHandshake?.generation === this.generation) {
      // Only a request error means our settings were refused; anything else (a server_error,
      // an overloaded service) is the service failing, and trying again may well work.
      this.pendingHandshake.reject(
        isSettingsRejection(type, code)
          ? { kind: 'config', message: `The service rejected the session settings: ${message}`, retryable: false }
          : { kind: 'service', message: `The service failed while opening the session: ${message}`, retryable: true },
      )
      return
    }
    this.logger.log('warn', 'service error event', { code, message })
    this.emit('service-error', { code, message })
  }

  private onResponseCreated(response: { readonly id: string }): void {
    const track = newResponseTrack(response.id, this.userInputPending)
    this.userInputPending = false
    this.responses.set(response.id, track)
    this.activeResponseId = response.id
  }

  /**
   * The response an event refers to. An id this session never saw created is a protocol error,
   * not a late delta: dropping it quietly would lose the answer.
   */
  private knownResponse(type: string, responseId: string, field = 'response_id'): ResponseTrack | undefined {
    const track = this.responses.get(responseId)
    if (!track) this.unusable(type, `${field}: "${responseId}" names no response this session saw created`)
    return track
  }

  /** The response if its deltas should still be used (not interrupted, not finished). */
  private liveResponse(event: { readonly type: string; readonly response_id: string }): ResponseTrack | undefined {
    const track = this.knownResponse(event.type, event.response_id)
    if (!track || track.interrupted || track.done) return undefined
    return track
  }

  private onAudioDelta(event: ReceivedEventOf<'response.audio.delta'>): void {
    const track = this.liveResponse(event)
    if (!track) return // late delta of an interrupted or finished response
    const pcm = Buffer.from(event.delta, 'base64')
    const at = this.now()
    track.firstDeltaAt ??= at
    track.firstAudioAt ??= at
    track.audioBytesReceived += pcm.byteLength
    this.itemAudioBytes.set(event.item_id, (this.itemAudioBytes.get(event.item_id) ?? 0) + pcm.byteLength)
    this.itemResponse.set(event.item_id, event.response_id)
    this.lastAudioItemId = event.item_id
    this.audioSinceFlush = true
    this.sink.play(event.item_id, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
  }

  private async onResponseDone(response: ReceivedEventOf<'response.done'>['response']): Promise<void> {
    const track = this.responses.get(response.id)
    if (!track) return
    track.done = true
    if (this.activeResponseId === response.id) this.activeResponseId = null
    const status = response.status
    this.settleEntries(
      response.id,
      track.interrupted || status.startsWith('cancel') ? 'truncated' : status === 'failed' ? 'failed' : 'done',
    )
    const metrics = turnMetrics(track, response, {
      speechEndAt: this.speechEndAt,
      doneAt: this.now(),
      audioBytesSent: this.turnBytesSent,
    })
    this.emit('metrics', metrics)
    const calls = response.output.flatMap((item) => {
      const call = functionCallItemSchema.safeParse(item)
      return call.success ? [call.data] : []
    })
    if (calls.length > 0 && status === 'completed' && !track.interrupted) {
      await this.runTools(calls, track.afterUserInput)
      return
    }
    if (track.afterUserInput) this.turnBytesSent = 0
    this.emit('turn-done', { responseId: response.id, status, afterUserInput: track.afterUserInput })
    this.maybeRollover()
  }

  /** All tool outputs first, then exactly one `response.create`. */
  private async runTools(calls: readonly FunctionCallItem[], afterUserInput: boolean): Promise<void> {
    const generation = this.generation
    const outputs: { call_id: string; output: string }[] = []
    for (const call of calls) {
      const handler = this.tools[call.name]
      let output: string
      try {
        output = handler
          ? await handler(call.arguments, call.name)
          : JSON.stringify({ error: `The tool "${call.name}" is not available in this app.` })
      } catch (error) {
        output = JSON.stringify({ error: error instanceof Error ? error.message : String(error) })
      }
      outputs.push({ call_id: call.call_id, output })
    }
    if (generation !== this.generation || this.stopping) return
    for (const output of outputs) {
      this.send({ type: 'conversation.item.create', item: { type: 'function_call_output', ...output } })
    }
    this.userInputPending = afterUserInput
    this.send({ type: 'response.create' })
  }

  /** Entries a finished response left in progress (interrupted before its `done` events). */
  private settleEntries(responseId: string, status: TranscriptEntry['status']): void {
    for (const [itemId, owner] of this.itemResponse) {
      if (owner !== responseId) continue
      const entry = this.transcript.entry(itemId)
      if (entry?.status === 'in_progress')
        this.emitEntry(this.transcript.finish(itemId, entry.role, entry.text, status))
    }
  }

  // -------------------------------------------------------------------------------------------
  // State

  private emitEntry(entry: TranscriptEntry): void {
    this.emit('transcript', entry)
  }

  private setState(state: SessionState): void {
    this.state = state
    this.emit('state', state)
  }

  private fail(error: SessionError): SessionFailure {
    this.logger.log('error', 'session failed', { kind: error.kind, message: error.message })
    this.clearRollover()
    this.setState({ status: 'error', error })
    return new SessionFailure(error)
  }

  private configError(error: unknown): SessionError {
    if (error instanceof ConfigError) return { kind: 'config', message: error.message, retryable: false }
    return this.unexpected(error)
  }

  private unexpected(error: unknown): SessionError {
    return {
      kind: 'service',
      message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
      retryable: true,
    }
  }
}
