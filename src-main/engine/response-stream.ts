/**
 * One response of the local engine, from `response.created` to `response.done`: it decides what
 * the reply says (what the user said, a tool's output, or the script), synthesises it, and streams
 * transcript words and audio chunks at about real-time pace, in the service's event order. It ends
 * completed, cancelled (barge-in or `response.cancel`), or failed; `usage` estimates tokens the
 * way the service reports them. Kept apart from the connection's protocol state machine, which
 * only starts, cancels and abandons it.
 */
import type { ConversationItem, ServerEventOf, ServerEventType } from '../voicelive-protocol/events.js'
import { FLITE_SAMPLE_RATE, synthesizeSpeech } from './flite.js'
import { newId } from './ids.js'
import { base64FromPcm16, samplesToMs } from '../pcm-audio/pcm16-samples.js'
import { createResampler } from '../pcm-audio/speex-resampler.js'
import type { Hypothesis } from './pocketsphinx.js'
import { replyFor } from './responder.js'

/** Audio is sent in chunks of this length, paced at real time with a small lead. */
export const AUDIO_CHUNK_MS = 100
const PLAYBACK_LEAD_MS = 200

export interface DeltaTiming {
  /** Extra delay before the first delta of each response. */
  readonly latencyMs: number
  /** Up to this much random extra delay per audio chunk. */
  readonly jitterMs: number
}

type Outgoing<T extends ServerEventType> = Omit<ServerEventOf<T>, 'event_id'>

/** Sends one server event (the connection adds its `event_id`, and drops it once closed). */
export type EmitEvent = <T extends ServerEventType>(event: Outgoing<T> & { type: T }) => void

/** One item of the conversation as the engine keeps it. */
export interface StoredItem {
  item: ConversationItem & { id: string }
  /** For assistant audio: ms of audio sent so far (what truncate may cut). */
  audioMs: number
  /** For user audio: what the recogniser heard (pending or finished). */
  heard?: Promise<Hypothesis>
}

/** What a response needs from the connection it runs on. */
export interface ResponseContext {
  readonly emit: EmitEvent
  /** The conversation, in order; the response appends its assistant item. */
  readonly items: StoredItem[]
  /** The session's output rate when the audio is made (a session.update may change it). */
  readonly outputSampleRate: () => number
  /** Why user audio has no transcript, if no recogniser runs. */
  readonly recognizerMissing: () => string | null
  /** The scripted reply for this response, if any. */
  readonly script: string | undefined
  readonly timing: DeltaTiming
  /** Called after each audio delta is sent (the server's mid-response drop fault hooks in here). */
  readonly onAudioDelta?: ((responseIndex: number, chunkIndex: number) => void) | undefined
  /** The response finished (any status): it is no longer the connection's active response. */
  readonly ended: () => void
}

type StreamIds = { response_id: string; item_id: string; output_index: number; content_index: number }

export class ResponseStream {
  readonly id = newId('resp')
  private item: (ConversationItem & { id: string }) | null = null
  private transcript = ''
  private timer: NodeJS.Timeout | null = null
  private finished = false
  /** Still the connection's response: false once finished, or abandoned when the connection closed. */
  private active = true

  /** Emits `response.created` and starts producing the reply. */
  constructor(
    private readonly context: ResponseContext,
    /** 0 for the connection's first response, 1 for the next, … */
    readonly index: number,
    private readonly audio: boolean,
  ) {
    context.emit({ type: 'response.created', response: this.body('in_progress', null) })
    void this.produce().catch((error: unknown) => {
      if (!this.active) return
      this.finish('failed', { type: 'failed', error: { type: 'server_error', message: (error as Error).message } })
    })
  }

  /** Stop at once, as `cancelled` with this reason. */
  cancel(reason: 'turn_detected' | 'client_cancelled'): void {
    if (this.timer) clearTimeout(this.timer)
    this.finish('cancelled', { type: 'cancelled', reason })
  }

  /** Stop without another event: the connection closed, or a newer response took over. */
  abandon(): void {
    this.active = false
    if (this.timer) clearTimeout(this.timer)
  }

  private body(status: string, details: Record<string, unknown> | null) {
    return {
      id: this.id,
      object: 'realtime.response',
      status,
      status_details: details,
      output: this.item ? [this.item] : [],
      usage: status === 'in_progress' ? null : this.usage(),
    }
  }

  /**
   * Token counts in the service's full shape (clients such as the official SDK read every nested
   * field). Estimated at the service's published rates: ~4 characters per text token, ~10 tokens
   * per second of input audio and ~20 per second of output audio.
   */
  private usage() {
    let inputText = 0
    let inputAudio = 0
    for (const { item, audioMs, heard } of this.context.items) {
      if (item.id === this.item?.id) continue
      if (heard) inputAudio += Math.ceil(audioMs / 100)
      else inputText += Math.ceil(JSON.stringify(item['content'] ?? item['output'] ?? '').length / 4)
    }
    const outputText = Math.ceil(this.transcript.length / 4)
    const outputAudio = this.audio && this.item ? Math.ceil(this.audioMsOf(this.item.id) / 50) : 0
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
    return this.context.items.find((entry) => entry.item.id === itemId)?.audioMs ?? 0
  }

  /** What the reply answers: the last user message, function output, or nothing. */
  private async heard(): Promise<{ heard: string | null; confidence?: number; functionOutput?: string }> {
    const last = this.context.items.at(-1)
    if (!last) return { heard: null }
    const item = last.item
    if (item.type === 'function_call_output') return { heard: null, functionOutput: String(item['output']) }
    if (item.type !== 'message' || item['role'] !== 'user') return { heard: null }
    if (last.heard) {
      const { text, confidence } = await last.heard
      return { heard: text, confidence }
    }
    const parts = (item['content'] as { type: string; text?: string }[] | undefined) ?? []
    return { heard: parts.map((part) => part.text ?? '').join(' ').trim() || null }
  }

  private async produce(): Promise<void> {
    const { items, emit } = this.context
    const { heard, confidence, functionOutput } = await this.heard()
    if (!this.active) return
    const lastIsAudio = items.at(-1)?.heard !== undefined
    const recognizerMissing = this.context.recognizerMissing()
    const text = replyFor(
      {
        heard,
        ...(confidence !== undefined ? { confidence } : {}),
        ...(functionOutput !== undefined ? { functionOutput } : {}),
        ...(lastIsAudio && recognizerMissing ? { recognizerMissing } : {}),
      },
      this.context.script,
    )
    let audio: Int16Array = new Int16Array(0)
    const rate = this.context.outputSampleRate()
    if (this.audio) {
      const speech = await synthesizeSpeech(text)
      const resampler = await createResampler(FLITE_SAMPLE_RATE, rate)
      audio = resampler.process(speech, true)
      resampler.close()
    }
    if (!this.active) return

    const previous = items.at(-1)?.item.id ?? null
    const item = {
      id: newId('item'),
      object: 'realtime.item',
      type: 'message' as const,
      status: 'in_progress',
      role: 'assistant' as const,
      content: [] as { type: string; transcript?: string; text?: string }[],
    }
    this.item = item
    items.push({ item, audioMs: 0 })
    const ids = { response_id: this.id, item_id: item.id, output_index: 0, content_index: 0 }
    emit({ type: 'response.output_item.added', response_id: this.id, output_index: 0, item })
    emit({ type: 'conversation.item.created', previous_item_id: previous, item })
    const part = this.audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' }
    emit({ type: 'response.content_part.added', ...ids, part })
    this.stream(text, audio, rate, ids)
  }

  /** Send transcript words and audio chunks at about real-time pace, then close the response. */
  private stream(text: string, audio: Int16Array, rate: number, ids: StreamIds): void {
    const { emit, timing } = this.context
    const words = text.split(/(?<=\s)/)
    const chunkSamples = (rate * AUDIO_CHUNK_MS) / 1000
    const chunks = this.audio ? Math.max(1, Math.ceil(audio.length / chunkSamples)) : words.length
    const started = Date.now() + timing.latencyMs
    let chunk = 0
    let wordsSent = 0
    const step = () => {
      this.timer = null
      if (!this.active) return
      const wordsDue = Math.ceil(((chunk + 1) / chunks) * words.length)
      while (wordsSent < wordsDue) {
        const delta = words[wordsSent++] ?? ''
        this.transcript += delta
        emit({ type: this.audio ? 'response.audio_transcript.delta' : 'response.text.delta', ...ids, delta })
      }
      if (this.audio) {
        const samples = audio.subarray(chunk * chunkSamples, (chunk + 1) * chunkSamples)
        emit({ type: 'response.audio.delta', ...ids, delta: base64FromPcm16(samples) })
        const stored = this.context.items.find((entry) => entry.item.id === ids.item_id)
        if (stored) stored.audioMs += samplesToMs(samples.length, rate)
        this.context.onAudioDelta?.(this.index, chunk)
      }
      chunk++
      if (chunk >= chunks) {
        this.completeStream(ids)
        return
      }
      const due = started + Math.max(0, chunk * AUDIO_CHUNK_MS - PLAYBACK_LEAD_MS) + Math.random() * timing.jitterMs
      this.timer = setTimeout(step, Math.max(0, due - Date.now()))
    }
    this.timer = setTimeout(step, Math.max(0, started - Date.now()))
  }

  private completeStream(ids: StreamIds): void {
    const { emit } = this.context
    if (this.audio) {
      emit({ type: 'response.audio.done', ...ids })
      emit({ type: 'response.audio_transcript.done', ...ids, transcript: this.transcript })
    } else {
      emit({ type: 'response.text.done', ...ids, text: this.transcript })
    }
    const part = this.audio ? { type: 'audio', transcript: this.transcript } : { type: 'text', text: this.transcript }
    emit({ type: 'response.content_part.done', ...ids, part })
    this.finish('completed', null)
  }

  private finish(status: string, details: Record<string, unknown> | null): void {
    if (this.finished) return
    this.finished = true
    this.active = false
    this.context.ended()
    if (this.item) {
      const item = this.item as { status?: string; content?: unknown }
      item.status = status === 'completed' ? 'completed' : 'incomplete'
      item.content = [this.audio ? { type: 'audio', transcript: this.transcript } : { type: 'text', text: this.transcript }]
      this.context.emit({ type: 'response.output_item.done', response_id: this.id, output_index: 0, item: this.item })
    }
    this.context.emit({ type: 'response.done', response: this.body(status, details) })
  }
}
