/**
 * The Voice Live session core: one conversation over one or more WebSocket connections.
 *
 * `VoiceSession` is the coordinator and the public API (the app, the CLI and the tests all drive
 * this same class, in pure Node). It wires two parts to the audio sink, the transcript and the
 * per-turn metrics:
 * - `LiveConnection` (live-connection.ts): socket, auth, handshake, timeouts, reconnect with
 *   back-off and history replay, roll-over before the service's 60-minute cap;
 * - `ResponseLifecycle` (response-lifecycle.ts): responses and assistant items by id, their audio
 *   and transcript deltas, barge-in (ask the sink what was heard → truncate → cancel if needed →
 *   drop late deltas).
 * What stays here is the conversation itself: the session state, mic audio and push-to-talk
 * (push-to-talk.ts), the user's side of a turn, the dispatch of server events, tool calls
 * (tool-calls.ts), and the per-turn metrics.
 */
import type { AudioFormat, SessionError, SessionState, TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import type { Preset } from '../../src-shared/preset/preset.js'
import { silentLogger, type Logger } from '../logging/logger.js'
import { buildRealtimeUrl, ConfigError } from '../voicelive-protocol/connection-url.js'
import {
  serviceErrorOf,
  type KnownClientEvent,
  type ReceivedEventOf,
  type ReceivedServerEvent,
} from '../voicelive-protocol/events.js'
import { sessionConfigFromPreset } from '../voicelive-protocol/preset-session-config.js'
import { TypedEmitter } from './emitter.js'
import { LiveConnection, unexpectedError, type LiveConnectionHooks } from './live-connection.js'
import { PushToTalkGate } from './push-to-talk.js'
import { OUTPUT_SAMPLE_RATE, ResponseLifecycle } from './response-lifecycle.js'
import { turnMetrics } from './response-track.js'
import { functionCallsOf, runToolCalls } from './tool-calls.js'
import { Transcript } from './transcript.js'
import { DEFAULT_TIMING, SessionFailure, type VoiceSessionEvents, type VoiceSessionOptions } from './types.js'

const DEFAULT_FRAME_MS = 20

/** Races that the protocol makes unavoidable: a cancel after the response already ended. */
const HARMLESS_ERROR_CODES = new Set(['response_cancel_not_active'])

export class VoiceSession extends TypedEmitter<VoiceSessionEvents> {
  private readonly logger: Logger
  private readonly preset: Preset
  private readonly now: () => number
  private readonly pushToTalk: boolean
  private readonly link: LiveConnection
  private readonly responses: ResponseLifecycle
  private readonly transcript = new Transcript()

  private state: SessionState = { status: 'idle' }
  private started = false

  /** User input was committed (VAD or manual) and no response has started for it yet. */
  private userInputPending = false
  private speechEndAt: number | null = null
  private turnBytesSent = 0

  private readonly gate: PushToTalkGate

  constructor(private readonly options: VoiceSessionOptions) {
    super((error, event) =>
      (options.logger ?? silentLogger).log('error', 'session listener threw', {
        event: String(event),
        error: String(error),
      }),
    )
    this.logger = options.logger ?? silentLogger
    this.preset = options.preset
    const timing = { ...DEFAULT_TIMING, ...options.timing }
    this.now = options.now ?? (() => performance.now())
    this.pushToTalk = options.preset.turnDetection.type === 'none'
    this.gate = new PushToTalkGate(options.preset.inputSampleRate)
    this.link = new LiveConnection({
      settings: options.connection,
      timing,
      logger: this.logger,
      now: this.now,
      hooks: this.connectionHooks(),
    })
    this.responses = new ResponseLifecycle({
      sink: options.audioSink,
      transcript: this.transcript,
      entry: (entry) => this.emitEntry(entry),
      send: (event) => this.send(event),
      logger: this.logger,
      now: this.now,
      serverInterrupts: options.preset.turnDetection.type !== 'none' && options.preset.turnDetection.interruptResponse,
      unusable: (type, problem) => this.link.unusable(type, problem),
    })
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
    let sessionConfig
    try {
      buildRealtimeUrl(this.options.connection) // validate early: a bad endpoint is a config error
      sessionConfig = sessionConfigFromPreset(this.preset, this.options.connection.target)
    } catch (error) {
      throw this.fail(
        error instanceof ConfigError
          ? { kind: 'config', message: error.message, retryable: false }
          : unexpectedError(error),
      )
    }
    try {
      await this.link.open(sessionConfig)
    } catch (error) {
      const failure = error instanceof SessionFailure ? error : new SessionFailure(unexpectedError(error))
      if (!this.link.stopped) this.fail(failure.error)
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
    await this.link.close()
    this.setState({ status: 'idle' })
  }

  // -------------------------------------------------------------------------------------------
  // Audio in, turns

  /** Mic PCM16 mono at `audioFormat.inputSampleRate`. Dropped while not live or while the PTT gate is closed. */
  appendAudio(pcm16: Uint8Array): void {
    if (this.state.status !== 'live' || pcm16.byteLength === 0) return
    if (this.pushToTalk && !this.gate.isOpen) return
    // A view, not a copy: 50 frames a second only need encoding.
    const audio = Buffer.from(pcm16.buffer, pcm16.byteOffset, pcm16.byteLength).toString('base64')
    this.send({ type: 'input_audio_buffer.append', audio })
    this.turnBytesSent += pcm16.byteLength
    this.gate.sent(pcm16.byteLength)
  }

  /**
   * Push-to-talk press in one call (the CLI's): stop the assistant, clear, open the gate. The app's
   * push-to-talk machine (src-main/push-to-talk/) makes the same calls itself.
   */
  async pressToTalk(): Promise<void> {
    if (!this.pushToTalk) {
      this.logger.log('debug', 'pressToTalk ignored: the preset uses server turn detection')
      return
    }
    if (this.state.status !== 'live') return
    // Cancel (sent synchronously by bargeIn) and clear go out before any new mic audio, so speech
    // captured while the sink reports its position is kept rather than cleared.
    const stopped = this.responses.bargeIn('local')
    this.clearInput()
    this.setInputGate(true)
    await stopped
  }

  /** Push-to-talk release: close the gate and commit. Any tail is the caller's (the app keeps one). */
  releaseToTalk(): void {
    if (!this.gate.isOpen) return
    this.setInputGate(false)
    this.commitTurn()
  }

  /** `input_audio_buffer.clear`: the turn's audio counts from zero. */
  clearInput(): void {
    if (this.state.status !== 'live') return
    this.send({ type: 'input_audio_buffer.clear' })
    this.gate.cleared()
    this.turnBytesSent = 0
  }

  /** Push-to-talk: mic audio reaches the service only while the gate is open. */
  setInputGate(open: boolean): void {
    this.gate.setOpen(open)
  }

  /** End a push-to-talk turn: commit, or clear if less audio went out than the service accepts. */
  commitTurn(): void {
    if (this.state.status !== 'live') return
    const { bytes, enough } = this.gate.committable()
    if (!enough) {
      this.logger.log('info', 'push-to-talk too short; nothing sent', { bytes })
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
    await this.responses.bargeIn('local')
  }

  // -------------------------------------------------------------------------------------------
  // The connection's hooks

  private connectionHooks(): LiveConnectionHooks {
    return {
      event: (event) => this.handle(event),
      protocol: (event) => this.emit('protocol', event),
      warning: (warning) => this.emit('protocol-warning', warning),
      state: (state) => this.setState(state),
      configured: (isReconnect) => {
        if (isReconnect) {
          const items = this.transcript.historyItems()
          for (const item of items) this.send({ type: 'conversation.item.create', item })
          this.logger.log('info', 'history replayed', { items: items.length })
        }
        this.setState({
          status: 'live',
          sessionId: this.link.sessionId,
          turnDetection: this.pushToTalk ? 'push-to-talk' : 'vad',
        })
        this.emit('audio-format', this.audioFormat)
      },
      dropped: async () => {
        this.gate.setOpen(false)
        // Owed as the socket dropped (not what happens while the sink flushes).
        const inputPending = this.userInputPending
        // A response cut off by the drop will never finish on this socket: ask again after reconnecting.
        const cut = await this.responses.cutActive()
        return inputPending || cut
      },
      restored: (answerPending) => {
        if (!answerPending) return
        this.userInputPending = true
        this.send({ type: 'response.create' })
      },
      busy: () => this.responses.running || this.userInputPending || this.gate.isOpen,
      failed: (error) => void this.fail(error),
    }
  }

  // -------------------------------------------------------------------------------------------
  // Server events

  private send(event: KnownClientEvent): void {
    this.link.send(event)
  }

  private handle(event: ReceivedServerEvent): void {
    switch (event.type) {
      case 'error':
        return this.onServiceError(event)
      case 'input_audio_buffer.speech_started':
        if (!this.pushToTalk) void this.responses.bargeIn('server-vad')
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
        this.responses.created(event.response, this.userInputPending)
        this.userInputPending = false
        return
      case 'response.output_item.added':
      case 'response.audio.delta':
      case 'response.audio_transcript.delta':
      case 'response.text.delta':
      case 'response.audio_transcript.done':
      case 'response.text.done':
      case 'conversation.item.truncated':
        return this.responses.handle(event)
      case 'response.done':
        return void this.onResponseDone(event.response)
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
    if (this.link.refuseHandshake({ type, code, message })) return
    this.logger.log('warn', 'service error event', { code, message })
    this.emit('service-error', { code, message })
  }

  private async onResponseDone(response: ReceivedEventOf<'response.done'>['response']): Promise<void> {
    const track = this.responses.finish(response)
    if (!track) return
    const status = response.status
    const metrics = turnMetrics(track, response, {
      speechEndAt: this.speechEndAt,
      doneAt: this.now(),
      audioBytesSent: this.turnBytesSent,
    })
    this.emit('metrics', metrics)
    const calls = functionCallsOf(response)
    if (calls.length > 0 && status === 'completed' && !track.interrupted) {
      // All tool outputs first, then exactly one `response.create`; dropped if the socket changed meanwhile.
      const generation = this.link.generation
      const outputs = await runToolCalls(calls, this.options.tools ?? {})
      if (generation !== this.link.generation || this.link.stopped) return
      for (const output of outputs) {
        this.send({ type: 'conversation.item.create', item: { type: 'function_call_output', ...output } })
      }
      this.userInputPending = track.afterUserInput
      this.send({ type: 'response.create' })
      return
    }
    if (track.afterUserInput) this.turnBytesSent = 0
    this.emit('turn-done', { responseId: response.id, status, afterUserInput: track.afterUserInput })
    this.link.rolloverIfDue()
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
    this.link.clearRollover()
    this.setState({ status: 'error', error })
    return new SessionFailure(error)
  }
}
