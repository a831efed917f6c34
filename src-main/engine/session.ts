/**
 * One Voice Live session on the local engine: the protocol state machine. It owns the event
 * order and ids, the input buffer and server VAD, the conversation, and the running response.
 * The socket is behind `SessionTransport`, so the server (and its fault switches) stay outside.
 */
import type { z } from 'zod'
import {
  parseClientEvent,
  type ClientEventOf,
  type ConversationItem,
  type KnownClientEvent,
  type ParsedEvent,
  type ServerEventOf,
  type ServerEventType,
} from '../voicelive-protocol/events.js'
import { newId } from './ids.js'
import { InputAudio, type CommittedAudio } from './input-audio.js'
import { base64FromPcm16, pcm16FromBase64, samplesToMs } from '../pcm-audio/pcm16-samples.js'
import type { RecognizerAvailability, Transcriber } from './pocketsphinx.js'
import { replyFor } from './responder.js'
import { synthesizeSpeech, FLITE_SAMPLE_RATE } from './flite.js'
import { createResampler } from '../pcm-audio/speex-resampler.js'
import {
  applySessionUpdate,
  defaultSession,
  isConfigError,
  outputSampleRate,
  turnDetectorSettings,
  type EngineSession,
} from './session-update-rules.js'
import type { TurnEvent } from './turn-detector.js'

/** Audio is sent in chunks of this length, paced at real time with a small lead. */
export const AUDIO_CHUNK_MS = 100
const PLAYBACK_LEAD_MS = 200
/** The service refuses to commit less than this. */
const MIN_COMMIT_MS = 100

export interface SessionTransport {
  send(frame: string): void
}

export interface DeltaTiming {
  /** Extra delay before the first delta of each response. */
  readonly latencyMs: number
  /** Up to this much random extra delay per audio chunk. */
  readonly jitterMs: number
}

export interface SessionOptions {
  readonly model: string
  readonly recognizer: RecognizerAvailability
  /** Replies for turns 1, 2, …; later turns fall back to the rule table. */
  readonly script?: readonly string[] | undefined
  readonly timing: DeltaTiming
  /** Called after each audio delta is sent (the server's mid-response drop fault hooks in here). */
  readonly onAudioDelta?: (responseIndex: number, chunkIndex: number) => void
}

type Outgoing<T extends ServerEventType> = Omit<ServerEventOf<T>, 'event_id'>

interface ErrorDetails {
  readonly type?: string
  readonly code: string | null
  readonly message: string
  readonly param?: string | null
}

interface StoredItem {
  item: ConversationItem & { id: string }
  /** For assistant audio: ms of audio sent so far (what truncate may cut). */
  audioMs: number
  /** For user audio: the pending or finished transcript. */
  transcript?: Promise<string>
}

interface ActiveResponse {
  readonly id: string
  readonly index: number
  readonly audio: boolean
  item: (ConversationItem & { id: string }) | null
  transcript: string
  timer: NodeJS.Timeout | null
  finished: boolean
}

/** The service's error for an event it cannot take, by why it was refused. */
function invalidEventError(parsed: Extract<ParsedEvent<KnownClientEvent>, { kind: 'invalid' }>): ErrorDetails {
  switch (parsed.reason) {
    case 'not-json':
      return { code: 'invalid_json', message: 'The event could not be parsed as JSON.' }
    case 'not-object':
      return { code: 'invalid_json', message: 'An event must be a JSON object.' }
    case 'no-type':
      return { code: 'missing_required_parameter', param: 'type', message: "Missing required parameter: 'type'." }
    case 'bad-shape':
      return zodIssueToError(parsed.type ?? 'event', parsed.issues ?? [])
  }
}

const zodIssueToError = (type: string, issues: readonly z.core.$ZodIssue[]): ErrorDetails => {
  const issue = issues[0]
  const param = issue?.path.length ? issue.path.join('.') : null
  if (issue?.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { code: 'missing_required_parameter', param, message: `Missing required parameter: '${param}'.` }
  }
  if (issue?.code === 'invalid_type') {
    return { code: 'invalid_type', param, message: `Invalid type for '${param}': ${issue.message}.` }
  }
  return { code: 'invalid_value', param, message: `Invalid value for '${param ?? type}': ${issue?.message ?? 'invalid'}.` }
}

export class LocalSession {
  private config: EngineSession
  private input: InputAudio
  private readonly items: StoredItem[] = []
  private transcriber: Promise<Transcriber> | null
  private recognizerMissing: string | null
  /** The user turn VAD is hearing: the item id handed out at speech_started, and where it began. */
  private speech: { readonly itemId: string; readonly startMs: number } | null = null
  /** Session time up to which the live utterance has been fed to the recogniser. */
  private speechFedUntilMs = 0
  private response: ActiveResponse | null = null
  private responseCount = 0
  private closed = false
  private queue: Promise<void> = Promise.resolve()

  private constructor(
    private readonly transport: SessionTransport,
    private readonly options: SessionOptions,
    input: InputAudio,
  ) {
    this.config = defaultSession(newId('sess'), options.model)
    this.input = input
    this.input.setTurnDetection(this.turnSettings())
    if (options.recognizer.available) {
      this.recognizerMissing = null
      this.transcriber = options.recognizer.createTranscriber()
      this.transcriber.catch((error: unknown) => {
        this.recognizerMissing = `the PocketSphinx decoder failed to start (${(error as Error).message})`
      })
    } else {
      this.recognizerMissing = options.recognizer.reason
      this.transcriber = null
    }
  }

  static async open(transport: SessionTransport, options: SessionOptions): Promise<LocalSession> {
    const input = await InputAudio.create(24_000, null)
    const session = new LocalSession(transport, options, input)
    session.emit({ type: 'session.created', session: session.config })
    return session
  }

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
    if (this.response?.timer) clearTimeout(this.response.timer)
    this.response = null
    await this.queue
    this.input.close()
    const transcriber = await this.transcriber?.catch(() => null)
    await transcriber?.close()
  }

  // -------------------------------------------------------------------------------------------

  private emit<T extends ServerEventType>(event: Outgoing<T> & { type: T }): void {
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
        this.cancelResponse('client_cancelled')
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
    if (this.speech) void this.feedTranscriber(this.input.audioSince(this.speechFedUntilMs))
  }

  private async feedTranscriber(samples: Int16Array): Promise<void> {
    this.speechFedUntilMs = this.input.nowMs
    const transcriber = await this.transcriber?.catch(() => null)
    transcriber?.feed(samples)
  }

  private onTurnEvent(turn: TurnEvent): void {
    if (turn.type === 'speech_started') {
      this.speech = { itemId: newId('item'), startMs: turn.audioStartMs }
      this.emit({ type: 'input_audio_buffer.speech_started', audio_start_ms: turn.audioStartMs, item_id: this.speech.itemId })
      if (this.response && this.config.turn_detection?.interrupt_response !== false) this.cancelResponse('turn_detected')
      void this.transcriber?.then((t) => t.start()).catch(() => undefined)
      this.speechFedUntilMs = turn.audioStartMs
      void this.feedTranscriber(this.input.audioSince(turn.audioStartMs))
      return
    }
    const speech = this.speech ?? { itemId: newId('item'), startMs: turn.audioEndMs }
    this.speech = null
    this.emit({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: turn.audioEndMs, item_id: speech.itemId })
    this.commitItem(speech.itemId, this.input.commit(speech.startMs, turn.audioEndMs), true)
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
    this.commitItem(speech?.itemId ?? newId('item'), this.input.commit(), speech !== null)
  }

  private commitItem(itemId: string, audio: CommittedAudio, fedLive: boolean): void {
    const previous = this.items.at(-1)?.item.id ?? null
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message' as const,
      status: 'completed',
      role: 'user' as const,
      content: [{ type: 'input_audio', transcript: null as string | null }],
    }
    const stored: StoredItem = { item, audioMs: audio.endMs - audio.startMs, transcript: this.transcribe(audio, fedLive) }
    this.items.push(stored)
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: itemId })
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item })
    if (this.config.input_audio_transcription) {
      void stored.transcript?.then((transcript) => {
        item.content = [{ type: 'input_audio', transcript }]
        this.emit({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript })
      })
    }
  }

  private async transcribe(audio: CommittedAudio, fedLive: boolean): Promise<string> {
    const transcriber = await this.transcriber?.catch(() => null)
    if (!transcriber) return `[no speech recogniser is available: ${this.recognizerMissing ?? 'unknown reason'}]`
    try {
      // Inside the try: the session may be closing (a dropped socket), and a closed transcriber
      // throws; that must become a transcript, not an unhandled rejection.
      if (!fedLive) {
        transcriber.start()
        transcriber.feed(audio.samples16k)
      }
      return await transcriber.finish()
    } catch (error) {
      return `[speech recognition failed: ${(error as Error).message}]`
    }
  }

  private abortUtterance(): void {
    if (this.speech === null) return
    this.speech = null
    void this.transcriber?.then((t) => t.abort()).catch(() => undefined)
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

  // -------------------------------------------------------------------------------------------
  // Responses

  private startResponse(overrides: Record<string, unknown> | undefined): void {
    const modalities = Array.isArray(overrides?.['modalities']) ? (overrides['modalities'] as string[]) : this.config.modalities
    const response: ActiveResponse = {
      id: newId('resp'),
      index: this.responseCount++,
      audio: modalities.includes('audio'),
      item: null,
      transcript: '',
      timer: null,
      finished: false,
    }
    this.response = response
    this.emit({ type: 'response.created', response: this.responseBody(response, 'in_progress', null) })
    void this.produce(response).catch((error: unknown) => {
      if (this.response !== response) return
      this.finishResponse(response, 'failed', { type: 'failed', error: { type: 'server_error', message: (error as Error).message } })
    })
  }

  private responseBody(response: ActiveResponse, status: string, details: Record<string, unknown> | null) {
    return {
      id: response.id,
      object: 'realtime.response',
      status,
      status_details: details,
      output: response.item ? [response.item] : [],
      usage: status === 'in_progress' ? null : this.usage(response),
    }
  }

  /**
   * Token counts in the service's full shape (clients such as the official SDK read every nested
   * field). Estimated at the service's published rates: ~4 characters per text token, ~10 tokens
   * per second of input audio and ~20 per second of output audio.
   */
  private usage(response: ActiveResponse) {
    let inputText = 0
    let inputAudio = 0
    for (const { item, audioMs, transcript } of this.items) {
      if (item.id === response.item?.id) continue
      if (transcript) inputAudio += Math.ceil(audioMs / 100)
      else inputText += Math.ceil(JSON.stringify(item['content'] ?? item['output'] ?? '').length / 4)
    }
    const outputText = Math.ceil(response.transcript.length / 4)
    const outputAudio = response.audio && response.item ? Math.ceil(this.audioMsOf(response.item.id) / 50) : 0
    const input = inputText + inputAudio
    const output = outputText + outputAudio
    return {
      total_tokens: input + output,
      input_tokens: input,
      output_tokens: output,
      input_token_details: {
        cached_tokens: 0,
        text_tokens: inputText,
        audio_tokens: inputAudio,
        image_tokens: 0,
        cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
      },
      output_token_details: { text_tokens: outputText, audio_tokens: outputAudio, reasoning_tokens: 0 },
    }
  }

  private audioMsOf(itemId: string): number {
    return this.items.find((entry) => entry.item.id === itemId)?.audioMs ?? 0
  }

  /** What the reply answers: the last user message, function output, or nothing. */
  private async heard(): Promise<{ heard: string | null; functionOutput?: string }> {
    const last = this.items.at(-1)
    if (!last) return { heard: null }
    const item = last.item
    if (item.type === 'function_call_output') return { heard: null, functionOutput: String(item['output']) }
    if (item.type !== 'message' || item['role'] !== 'user') return { heard: null }
    if (last.transcript) return { heard: await last.transcript }
    const parts = (item['content'] as { type: string; text?: string }[] | undefined) ?? []
    return { heard: parts.map((part) => part.text ?? '').join(' ').trim() || null }
  }

  private async produce(response: ActiveResponse): Promise<void> {
    const { heard, functionOutput } = await this.heard()
    if (this.response !== response) return
    const lastIsAudio = this.items.at(-1)?.transcript !== undefined
    const text = replyFor(
      { heard, ...(functionOutput !== undefined ? { functionOutput } : {}), ...(lastIsAudio && this.recognizerMissing ? { recognizerMissing: this.recognizerMissing } : {}) },
      this.options.script?.[response.index],
    )
    let audio: Int16Array = new Int16Array(0)
    const rate = outputSampleRate(this.config)
    if (response.audio) {
      const speech = await synthesizeSpeech(text)
      const resampler = await createResampler(FLITE_SAMPLE_RATE, rate)
      audio = resampler.process(speech, true)
      resampler.close()
    }
    if (this.response !== response) return

    const previous = this.items.at(-1)?.item.id ?? null
    const item = {
      id: newId('item'),
      object: 'realtime.item',
      type: 'message' as const,
      status: 'in_progress',
      role: 'assistant' as const,
      content: [] as { type: string; transcript?: string; text?: string }[],
    }
    response.item = item
    this.items.push({ item, audioMs: 0 })
    const ids = { response_id: response.id, item_id: item.id, output_index: 0, content_index: 0 }
    this.emit({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item })
    this.emit({ type: 'conversation.item.created', previous_item_id: previous, item })
    const part = response.audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' }
    this.emit({ type: 'response.content_part.added', ...ids, part })
    this.stream(response, text, audio, rate, ids)
  }

  /** Send transcript words and audio chunks at about real-time pace, then close the response. */
  private stream(
    response: ActiveResponse,
    text: string,
    audio: Int16Array,
    rate: number,
    ids: { response_id: string; item_id: string; output_index: number; content_index: number },
  ): void {
    const words = text.split(/(?<=\s)/)
    const chunkSamples = (rate * AUDIO_CHUNK_MS) / 1000
    const chunks = response.audio ? Math.max(1, Math.ceil(audio.length / chunkSamples)) : words.length
    const started = Date.now() + this.options.timing.latencyMs
    let chunk = 0
    let wordsSent = 0
    const step = () => {
      response.timer = null
      if (this.response !== response || this.closed) return
      const wordsDue = Math.ceil(((chunk + 1) / chunks) * words.length)
      while (wordsSent < wordsDue) {
        const delta = words[wordsSent++] ?? ''
        response.transcript += delta
        this.emit({ type: response.audio ? 'response.audio_transcript.delta' : 'response.text.delta', ...ids, delta })
      }
      if (response.audio) {
        const samples = audio.subarray(chunk * chunkSamples, (chunk + 1) * chunkSamples)
        this.emit({ type: 'response.audio.delta', ...ids, delta: base64FromPcm16(samples) })
        const stored = this.items.find((entry) => entry.item.id === ids.item_id)
        if (stored) stored.audioMs += samplesToMs(samples.length, rate)
        this.options.onAudioDelta?.(response.index, chunk)
      }
      chunk++
      if (chunk >= chunks) {
        this.completeStream(response, ids)
        return
      }
      const due = started + Math.max(0, chunk * AUDIO_CHUNK_MS - PLAYBACK_LEAD_MS) + Math.random() * this.options.timing.jitterMs
      response.timer = setTimeout(step, Math.max(0, due - Date.now()))
    }
    response.timer = setTimeout(step, Math.max(0, started - Date.now()))
  }

  private completeStream(response: ActiveResponse, ids: { response_id: string; item_id: string; output_index: number; content_index: number }): void {
    if (response.audio) {
      this.emit({ type: 'response.audio.done', ...ids })
      this.emit({ type: 'response.audio_transcript.done', ...ids, transcript: response.transcript })
    } else {
      this.emit({ type: 'response.text.done', ...ids, text: response.transcript })
    }
    const part = response.audio ? { type: 'audio', transcript: response.transcript } : { type: 'text', text: response.transcript }
    this.emit({ type: 'response.content_part.done', ...ids, part })
    this.finishResponse(response, 'completed', null)
  }

  private cancelResponse(reason: 'turn_detected' | 'client_cancelled'): void {
    const response = this.response
    if (!response) return
    if (response.timer) clearTimeout(response.timer)
    this.finishResponse(response, 'cancelled', { type: 'cancelled', reason })
  }

  private finishResponse(response: ActiveResponse, status: string, details: Record<string, unknown> | null): void {
    if (response.finished) return
    response.finished = true
    this.response = null
    if (response.item) {
      const item = response.item as { status?: string; content?: unknown }
      item.status = status === 'completed' ? 'completed' : 'incomplete'
      item.content = [response.audio ? { type: 'audio', transcript: response.transcript } : { type: 'text', text: response.transcript }]
      this.emit({ type: 'response.output_item.done', response_id: response.id, output_index: 0, item: response.item })
    }
    this.emit({ type: 'response.done', response: this.responseBody(response, status, details) })
  }
}
