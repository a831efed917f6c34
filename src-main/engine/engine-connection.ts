/**
 * One client connection to the local engine: the protocol state machine of its Voice Live session.
 * It owns the event order and ids, the session settings, the input buffer and server VAD, and the
 * conversation; the running response streams in `ResponseStream` (response-stream.ts), which this
 * only starts, cancels and abandons. The socket is behind `ConnectionTransport`, so the server
 * (and its fault switches) stay outside.
 */
import { parseClientEvent, type ClientEventOf, type KnownClientEvent } from '../voicelive-protocol/events.js'
import { invalidEventError, type ErrorDetails } from './client-event-errors.js'
import { newId } from './ids.js'
import { InputAudio, type CommittedAudio } from './input-audio.js'
import { pcm16FromBase64 } from '../pcm-audio/pcm16-samples.js'
import type { Hypothesis, RecognizerAvailability, Transcriber } from './pocketsphinx.js'
import { prepareSpeech } from './flite.js'
import { replyFor } from './responder.js'
import { ResponseStream, type DeltaTiming, type EmitEvent, type StoredItem } from './response-stream.js'
import {
  applySessionUpdate,
  defaultSession,
  isConfigError,
  outputSampleRate,
  turnDetectorSettings,
  type EngineSession,
} from './session-update-rules.js'
import type { TurnEvent } from './turn-detector.js'

/** Silence fed to the recogniser after a committed utterance: 200 ms at its 16 kHz. */
const END_OF_UTTERANCE_PADDING = new Int16Array(3_200)
/**
 * How far into the closing silence the recogniser finishes ahead of speech_stopped (see `early`):
 * 125 ms of the default 500. At a half, eight sessions ending speech in the same instant got their
 * first reply up to 0.5 s after speech_stopped; a quarter leaves their end passes and syntheses
 * twice the head start. It heard no worse: the word error rate benchmark gave 25.1–27.1 % against
 * 27.9–30.4 % at a half (BENCHMARKS.md § Engine).
 */
const EARLY_FINISH_SHARE = 0.25
/** The service refuses to commit less than this. */
const MIN_COMMIT_MS = 100

export interface ConnectionTransport {
  send(frame: string): void
}

export interface EngineConnectionOptions {
  readonly model: string
  readonly recognizer: RecognizerAvailability
  /** Replies for turns 1, 2, …; later turns fall back to the rule table. */
  readonly script?: readonly string[] | undefined
  readonly timing: DeltaTiming
  /** Called after each audio delta is sent (the server's mid-response drop fault hooks in here). */
  readonly onAudioDelta?: (responseIndex: number, chunkIndex: number) => void
}

export class EngineConnection {
  private config: EngineSession
  private input: InputAudio
  private readonly items: StoredItem[] = []
  private transcriber: Promise<Transcriber> | null
  /** The transcriber once it is up (see `withTranscriber`). */
  private readyTranscriber: Transcriber | null = null
  private recognizerMissing: string | null
  /** The user turn VAD is hearing: the item id handed out at speech_started, and where it began. */
  private speech: { readonly itemId: string; readonly startMs: number } | null = null
  /** Session time up to which the live utterance has been fed to the recogniser. */
  private speechFedUntilMs = 0
  /**
   * The live utterance, recognised ahead of speech_stopped: once the silence after the speech has
   * lasted `EARLY_FINISH_SHARE` of `silence_duration_ms`, the recogniser finishes (its
   * end-of-utterance pass costs ~45 ms of CPU) and the likely reply is synthesised, so both are
   * ready when the turn ends. If the user speaks again first, this is dropped and the utterance is
   * fed again from its start.
   */
  private early: { readonly endMs: number; readonly heard: Promise<Hypothesis> } | null = null
  private response: ResponseStream | null = null
  private responseCount = 0
  private closed = false
  private queue: Promise<void> = Promise.resolve()

  private constructor(
    private readonly transport: ConnectionTransport,
    private readonly options: EngineConnectionOptions,
    input: InputAudio,
  ) {
    this.config = defaultSession(newId('sess'), options.model)
    this.input = input
    this.input.setTurnDetection(this.turnSettings())
    if (options.recognizer.available) {
      this.recognizerMissing = null
      this.transcriber = options.recognizer.createTranscriber()
      this.transcriber.then((transcriber) => (this.readyTranscriber = transcriber)).catch((error: unknown) => {
        this.recognizerMissing = `the PocketSphinx decoder failed to start (${(error as Error).message})`
      })
    } else {
      this.recognizerMissing = options.recognizer.reason
      this.transcriber = null
    }
  }

  static async open(transport: ConnectionTransport, options: EngineConnectionOptions): Promise<EngineConnection> {
    const input = await InputAudio.create(24_000, null)
    const connection = new EngineConnection(transport, options, input)
    connection.emit({ type: 'session.created', session: connection.config })
    return connection
  }

  /** The id of its Voice Live session (`sess_…`). */

  get id(): string {
    return this.config.id
  }

  /** Handle one text frame from the client. Frames are processed strictly in order. */
  receive(frame: string): Promise<void> {
    this.queue = this.queue.then(() => this.handle(frame)).catch((error: unknown) => {
      this.sendError({ type: 'server_error', code: 'internal_error', message: `Local engine error: ${(error as Error).message}` })
    })
    return this.queue
  }

  /** Send an `error` event the way the service does; the socket stays open. */
  sendError(details: ErrorDetails, clientEventId?: string): void {
    this.emit({
      type: 'error',
      error: {
        type: details.type ?? 'invalid_request_error',
        code: details.code,
        message: details.message,
        param: details.param ?? null,
        event_id: clientEventId ?? null,
      },
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.response?.abandon()
    this.response = null
    await this.queue
    this.input.close()
    const transcriber = await this.transcriber?.catch(() => null)
    await transcriber?.close()
  }

  // -------------------------------------------------------------------------------------------

  private readonly emit: EmitEvent = (event) => {
    if (this.closed) return
    this.transport.send(JSON.stringify({ event_id: newId('event'), ...event }))
  }

  private async handle(frame: string): Promise<void> {
    const parsed = parseClientEvent(frame)
    switch (parsed.kind) {
      case 'known': {
        const eventId = parsed.event.event_id
        return this.dispatch(parsed.event, typeof eventId === 'string' ? eventId : undefined)
      }
      case 'unknown': {
        const eventId = typeof parsed.event['event_id'] === 'string' ? parsed.event['event_id'] : undefined
        const message = `Invalid value: '${parsed.event.type}'. This event type is not supported.`
        return this.sendError({ code: 'invalid_value', param: 'type', message }, eventId)
      }
      case 'invalid':
        return this.sendError(invalidEventError(parsed), parsed.eventId)
    }
  }

  private async dispatch(event: KnownClientEvent, eventId: string | undefined): Promise<void> {
    switch (event.type) {
      case 'session.update':
        return this.updateSession(event, eventId)
      case 'input_audio_buffer.append':
        return this.appendAudio(event, eventId)
      case 'input_audio_buffer.commit':
        return this.commitManually(eventId)
      case 'input_audio_buffer.clear':
        this.abortUtterance()
        this.input.clear()
        this.emit({ type: 'input_audio_buffer.cleared' })
        return
      case 'conversation.item.create':
        return this.createItem(event, eventId)
      case 'conversation.item.retrieve': {
        const stored = this.findItem(event.item_id, eventId)
        if (stored) this.emit({ type: 'conversation.item.retrieved', item: stored.item })
        return
      }
      case 'conversation.item.delete': {
        const stored = this.findItem(event.item_id, eventId)
        if (!stored) return
        this.items.splice(this.items.indexOf(stored), 1)
        this.emit({ type: 'conversation.item.deleted', item_id: event.item_id })
        return
      }
      case 'conversation.item.truncate':
        return this.truncate(event, eventId)
      case 'response.create':
        if (this.response) {
          this.sendError(
            { code: 'conversation_already_has_active_response', message: `Conversation already has an active response in progress: ${this.response.id}. Wait until the response is finished before creating a new one.` },
            eventId,
          )
          return
        }
        this.startResponse(event.response)
        return
      case 'response.cancel':
        if (!this.response || (event.response_id && event.response_id !== this.response.id)) {
          this.sendError({ code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found.', param: event.response_id ? 'response_id' : null }, eventId)
          return
        }
        this.response.cancel('client_cancelled')
        return
      case 'output_audio_buffer.clear':
        this.sendError({ code: 'invalid_value', param: 'type', message: 'output_audio_buffer.clear is only available in avatar mode.' }, eventId)
        return
    }
  }

  private turnSettings() {
    return this.config.turn_detection ? turnDetectorSettings(this.config.turn_detection) : null
  }

  private async updateSession(event: ClientEventOf<'session.update'>, eventId: string | undefined): Promise<void> {
    const next = applySessionUpdate(this.config, event.session)
    if (isConfigError(next)) {
      this.sendError(next, eventId)
      return
    }
    if (next.input_audio_sampling_rate !== this.input.sampleRate) {
      // A new rate starts a new buffer; a turn in progress is dropped, as with a clear.
      this.abortUtterance()
      const previous = this.input
      this.input = await InputAudio.create(next.input_audio_sampling_rate, null, Math.round(previous.nowMs))
      previous.close()
    }
    this.config = next
    this.input.setTurnDetection(this.turnSettings())
    this.emit({ type: 'session.updated', session: this.config })
    const turnType = next.turn_detection?.type
    if (turnType && turnType !== 'server_vad' && event.session.turn_detection) {
      this.emit({
        type: 'warning',
        warning: {
          message: `The local engine has no semantic VAD; turn_detection type '${turnType}' behaves as server_vad with the same settings.`,
          code: 'local_engine_approximation',
        },
      })
    }
  }

  private appendAudio(event: ClientEventOf<'input_audio_buffer.append'>, eventId: string | undefined): void {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(event.audio) || event.audio.length % 4 !== 0) {
      this.sendError({ code: 'invalid_value', param: 'audio', message: 'Invalid value for audio: expected base64-encoded PCM16.' }, eventId)
      return
    }
    const samples = pcm16FromBase64(event.audio)
    for (const turn of this.input.append(samples)) this.onTurnEvent(turn)
    if (!this.speech) return
    const speechEnd = this.input.speechEnd
    if (this.early && speechEnd && speechEnd.endMs > this.early.endMs) {
      // Speech went on after the pause: the finished utterance was not the whole turn.
      this.early = null
      void this.withTranscriber((t) => t.start())?.catch(() => undefined)
      this.speechFedUntilMs = this.speech.startMs
    }
    this.feedTranscriber(this.input.audioSince(this.speechFedUntilMs))
    const silenceMs = this.config.turn_detection?.silence_duration_ms ?? 0
    if (!this.early && speechEnd && speechEnd.silentMs >= silenceMs * EARLY_FINISH_SHARE) this.finishEarly(speechEnd.endMs)
  }

  private finishEarly(endMs: number): void {
    const heard = this.withTranscriber((t) => t.finish())
    if (!heard) return
    heard.catch(() => undefined) // transcribe() reports a failure if this result is used
    this.early = { endMs, heard }
    const responding = this.config.turn_detection?.create_response !== false && this.config.modalities.includes('audio')
    if (!responding) return
    const script = this.options.script?.[this.responseCount]
    void heard.then(
      (hypothesis) => {
        if (this.early?.heard === heard) prepareSpeech(replyFor({ heard: hypothesis.text, confidence: hypothesis.confidence }, script))
      },
      () => undefined,
    )
  }

  private feedTranscriber(samples: Int16Array): void {
    this.speechFedUntilMs = this.input.nowMs
    void this.withTranscriber((t) => t.feed(samples))?.catch(() => undefined)
  }

  /**
   * Call the transcriber: at once once it is up, so start, feed and finish reach its queue in the
   * order the audio came. (Each awaiting the transcriber's promise on its own reordered them: with
   * audio arriving in a burst, an early finish was queued before the feeds it should have followed.)
   */
  private withTranscriber<T>(call: (transcriber: Transcriber) => T | Promise<T>): Promise<T> | null {
    const ready = this.readyTranscriber
    if (!ready) return this.transcriber?.then(call) ?? null
    // The executor runs now, so the call is made now; a throw becomes a rejection.
    return new Promise<T>((resolve) => resolve(call(ready)))
  }

  private onTurnEvent(turn: TurnEvent): void {
    if (turn.type === 'speech_started') {
      this.early = null
      this.speech = { itemId: newId('item'), startMs: turn.audioStartMs }
      this.emit({ type: 'input_audio_buffer.speech_started', audio_start_ms: turn.audioStartMs, item_id: this.speech.itemId })
      if (this.response && this.config.turn_detection?.interrupt_response !== false) this.response.cancel('turn_detected')
      void this.withTranscriber((t) => t.start())?.catch(() => undefined)
      this.speechFedUntilMs = turn.audioStartMs
      this.feedTranscriber(this.input.audioSince(turn.audioStartMs))
      return
    }
    const speech = this.speech ?? { itemId: newId('item'), startMs: turn.audioEndMs }
    this.speech = null
    const early = this.early?.endMs === turn.audioEndMs ? this.early.heard : undefined
    this.early = null
    this.emit({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: turn.audioEndMs, item_id: speech.itemId })
    this.commitItem(speech.itemId, this.input.commit(speech.startMs, turn.audioEndMs), true, early)
    if (this.config.turn_detection?.create_response !== false) this.startResponse(undefined)
  }

  private commitManually(eventId: string | undefined): void {
    const bufferedMs = this.input.bufferedMs
    if (bufferedMs < MIN_COMMIT_MS) {
      this.sendError(
        { code: 'input_audio_buffer_commit_empty', message: `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${bufferedMs.toFixed(2)}ms of audio.` },
        eventId,
      )
      return
    }
    const speech = this.speech
    this.speech = null
    this.early = null
    this.commitItem(speech?.itemId ?? newId('item'), this.input.commit(), speech !== null)
  }

  private commitItem(itemId: string, audio: CommittedAudio, fedLive: boolean, early?: Promise<Hypothesis>): void {
    const previous = this.items.at(-1)?.item.id ?? null
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message' as const,
      status: 'completed',
      role: 'user' as const,
      content: [{ type: 'input_audio', transcript: null as string | null }],
    }
    const stored: StoredItem = { item, audioMs: audio.endMs - audio.startMs, heard: this.transcribe(audio, fedLive, early) }
    this.items.push(stored)
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId })
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item })
    if (this.config.input_audio_transcription) {
      void stored.heard?.then(({ text: transcript }) => {
        item.content = [{ type: 'input_audio', transcript }]
        this.emit({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript })
      })
    }
  }

  private async transcribe(audio: CommittedAudio, fedLive: boolean, early?: Promise<Hypothesis>): Promise<Hypothesis> {
    const transcriber = await this.transcriber?.catch(() => null)
    // These notes are not speech, so they are not marked unsure: the reply says what went wrong.
    if (!transcriber) return { text: `[no speech recogniser is available: ${this.recognizerMissing ?? 'unknown reason'}]`, confidence: 1 }
    try {
      // Inside the try: the session may be closing (a dropped socket), and a closed transcriber
      // throws; that must become a transcript, not an unhandled rejection.
      if (early) return await early
      if (!fedLive) {
        transcriber.start()
        transcriber.feed(audio.samples16k)
      }
      // A manual commit (push-to-talk) can end right after the last word; the recogniser needs a
      // little silence after it to settle on that word ("is it" was heard as "is a" without it).
      transcriber.feed(END_OF_UTTERANCE_PADDING)
      return await transcriber.finish()
    } catch (error) {
      return { text: `[speech recognition failed: ${(error as Error).message}]`, confidence: 1 }
    }
  }

  private abortUtterance(): void {
    if (this.speech === null) return
    this.speech = null
    this.early = null
    void this.withTranscriber((t) => t.abort())?.catch(() => undefined)
  }

  private findItem(itemId: string, eventId: string | undefined): StoredItem | null {
    const stored = this.items.find((entry) => entry.item.id === itemId)
    if (!stored) this.sendError({ code: 'item_not_found', param: 'item_id', message: `Item with item_id '${itemId}' not found.` }, eventId)
    return stored ?? null
  }

  private createItem(event: ClientEventOf<'conversation.item.create'>, eventId: string | undefined): void {
    const item = { ...event.item, id: event.item.id ?? newId('item') }
    if (this.items.some((entry) => entry.item.id === item.id)) {
      this.sendError({ code: 'invalid_value', param: 'item.id', message: `Item with id '${item.id}' already exists.` }, eventId)
      return
    }
    if (item.type !== 'message' && item.type !== 'function_call_output' && item.type !== 'function_call') {
      this.sendError({ code: 'invalid_value', param: 'item.type', message: `Invalid value: '${item.type}'. Supported values are: 'message', 'function_call', 'function_call_output'.` }, eventId)
      return
    }
    let index = this.items.length
    if (event.previous_item_id) {
      const previousIndex = this.items.findIndex((entry) => entry.item.id === event.previous_item_id)
      if (previousIndex < 0) {
        this.sendError({ code: 'item_not_found', param: 'previous_item_id', message: `Item with id '${event.previous_item_id}' not found.` }, eventId)
        return
      }
      index = previousIndex + 1
    }
    const previous = index > 0 ? (this.items[index - 1]?.item.id ?? null) : null
    const stored = { item: { object: 'realtime.item', status: 'completed', ...item }, audioMs: 0 }
    this.items.splice(index, 0, stored)
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item: stored.item })
  }

  private truncate(event: ClientEventOf<'conversation.item.truncate'>, eventId: string | undefined): void {
    const stored = this.findItem(event.item_id, eventId)
    if (!stored) return
    const item = stored.item
    if (item.type !== 'message' || item['role'] !== 'assistant') {
      this.sendError({ code: 'invalid_value', param: 'item_id', message: 'Only assistant message items can be truncated.' }, eventId)
      return
    }
    if (event.content_index !== 0) {
      this.sendError({ code: 'invalid_value', param: 'content_index', message: `Invalid value: ${event.content_index}. The item has audio only at content_index 0.` }, eventId)
      return
    }
    if (event.audio_end_ms > stored.audioMs) {
      this.sendError(
        { code: 'invalid_value', param: 'audio_end_ms', message: `Audio content of ${stored.audioMs}ms is already shorter than ${event.audio_end_ms}ms.` },
        eventId,
      )
      return
    }
    stored.audioMs = event.audio_end_ms
    // The service drops the text of a truncated item so the context holds only what was heard.
    const content = (item as { content?: { type: string; transcript?: string | null }[] }).content ?? []
    for (const part of content) if (part.type === 'audio') part.transcript = ''
    this.emit({ type: 'conversation.item.truncated', item_id: event.item_id, content_index: 0, audio_end_ms: event.audio_end_ms })
  }

  private startResponse(overrides: Record<string, unknown> | undefined): void {
    const modalities = Array.isArray(overrides?.['modalities']) ? (overrides['modalities'] as string[]) : this.config.modalities
    // A newer response takes over (speech ended while one ran with interrupt_response off).
    this.response?.abandon()
    const response: ResponseStream = new ResponseStream(
      {
        emit: this.emit,
        items: this.items,
        outputSampleRate: () => outputSampleRate(this.config),
        recognizerMissing: () => this.recognizerMissing,
        script: this.options.script?.[this.responseCount],
        timing: this.options.timing,
        onAudioDelta: this.options.onAudioDelta,
        ended: () => {
          if (this.response === response) this.response = null
        },
      },
      this.responseCount++,
      modalities.includes('audio'),
    )
    this.response = response
  }
}
