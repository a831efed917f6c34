/**
 * The response part of the session core: which responses and assistant items exist, which one is
 * playing, their audio and transcript deltas, and barge-in.
 *
 * Every response is tracked by id from `response.created` to `response.done`; every assistant item
 * by the audio bytes received for it. That is what barge-in needs: mark the running response
 * interrupted (so its late deltas are dropped, neither played nor shown), cancel it when the
 * service will not, ask the sink what the listener really heard, and truncate the item at that
 * point, clamped to the audio that exists. Kept apart from the socket and the user's side of the
 * turn so these races stay in one place.
 */
import type { TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import type { Logger } from '../logging/logger.js'
import type { KnownClientEvent, ReceivedEventOf } from '../voicelive-protocol/events.js'
import { newResponseTrack, type ResponseTrack } from './response-track.js'
import type { Transcript } from './transcript.js'
import type { AudioSink } from './types.js'

/** The server events about responses and their items (the assistant's side of a turn). */
export type ResponseEvent = ReceivedEventOf<
  | 'response.output_item.added'
  | 'response.audio.delta'
  | 'response.audio_transcript.delta'
  | 'response.text.delta'
  | 'response.audio_transcript.done'
  | 'response.text.done'
  | 'conversation.item.truncated'
>

/** The service answers `output_audio_format: pcm16` at 24 kHz. */
export const OUTPUT_SAMPLE_RATE = 24_000

export interface ResponseLifecycleOptions {
  readonly sink: AudioSink
  readonly transcript: Transcript
  /** A transcript entry changed. */
  readonly entry: (entry: TranscriptEntry) => void
  readonly send: (event: KnownClientEvent) => void
  readonly logger: Logger
  readonly now: () => number
  /** The service's VAD cancels the response itself when the user speaks (`interrupt_response`). */
  readonly serverInterrupts: boolean
  /** An event the session cannot use (it names a response never created): the session ends. */
  readonly unusable: (type: string, problem: string) => void
}

export class ResponseLifecycle {
  private readonly responses = new Map<string, ResponseTrack>()
  private activeResponseId: string | null = null
  /** Audio bytes received per assistant item, to clamp truncation to what exists. */
  private readonly itemAudioBytes = new Map<string, number>()
  private readonly itemResponse = new Map<string, string>()
  private lastAudioItemId: string | null = null
  /** Audio went to the sink since its last flush (else a barge-in has nothing to silence). */
  private audioSinceFlush = false

  constructor(private readonly options: ResponseLifecycleOptions) {}

  /** A response is between `response.created` and `response.done`. */
  get running(): boolean {
    return this.activeResponseId !== null
  }

  created(response: { readonly id: string }, afterUserInput: boolean): void {
    this.responses.set(response.id, newResponseTrack(response.id, afterUserInput))
    this.activeResponseId = response.id
  }

  handle(event: ResponseEvent): void {
    const { transcript, entry } = this.options
    switch (event.type) {
      case 'response.output_item.added':
        if (!this.known(event.type, event.response_id)) return
        if (event.item.type === 'message' && typeof event.item.id === 'string') {
          this.itemResponse.set(event.item.id, event.response_id)
          transcript.ensure(event.item.id, 'assistant')
        }
        return
      case 'response.audio.delta':
        return this.audioDelta(event)
      case 'response.audio_transcript.delta':
      case 'response.text.delta': {
        const track = this.live(event)
        if (!track) return
        track.firstDeltaAt ??= this.options.now()
        return entry(transcript.appendDelta(event.item_id, 'assistant', event.delta))
      }
      case 'response.audio_transcript.done':
      case 'response.text.done':
        if (!this.live(event)) return
        return entry(
          transcript.finish(
            event.item_id,
            'assistant',
            event.type === 'response.text.done' ? event.text : event.transcript,
          ),
        )
      case 'conversation.item.truncated': {
        const receivedMs = ((this.itemAudioBytes.get(event.item_id) ?? 0) / 2 / OUTPUT_SAMPLE_RATE) * 1000
        const truncated = transcript.truncate(event.item_id, event.audio_end_ms, receivedMs)
        if (truncated) entry(truncated)
        return
      }
    }
  }

  /**
   * The response an event refers to. An id this session never saw created is a protocol error,
   * not a late delta: dropping it quietly would lose the answer.
   */
  private known(type: string, responseId: string, field = 'response_id'): ResponseTrack | undefined {
    const track = this.responses.get(responseId)
    if (!track) this.options.unusable(type, `${field}: "${responseId}" names no response this session saw created`)
    return track
  }

  /** The response if its deltas should still be used (not interrupted, not finished). */
  private live(event: { readonly type: string; readonly response_id: string }): ResponseTrack | undefined {
    const track = this.known(event.type, event.response_id)
    if (!track || track.interrupted || track.done) return undefined
    return track
  }

  /** Plays the delta unless it is a late delta of an interrupted or finished response. */
  private audioDelta(event: ReceivedEventOf<'response.audio.delta'>): void {
    const track = this.live(event)
    if (!track) return
    const pcm = Buffer.from(event.delta, 'base64')
    const at = this.options.now()
    track.firstDeltaAt ??= at
    track.firstAudioAt ??= at
    track.audioBytesReceived += pcm.byteLength
    this.itemAudioBytes.set(event.item_id, (this.itemAudioBytes.get(event.item_id) ?? 0) + pcm.byteLength)
    this.itemResponse.set(event.item_id, event.response_id)
    this.lastAudioItemId = event.item_id
    this.audioSinceFlush = true
    this.options.sink.play(event.item_id, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
  }

  /** `response.done`: the track, now finished; undefined (a protocol error) for a response never created. */
  finish(response: ReceivedEventOf<'response.done'>['response']): ResponseTrack | undefined {
    const track = this.known('response.done', response.id, 'response.id')
    if (!track) return undefined
    track.done = true
    if (this.activeResponseId === response.id) this.activeResponseId = null
    const status = response.status
    this.settleEntries(
      response.id,
      track.interrupted || status.startsWith('cancel') ? 'truncated' : status === 'failed' ? 'failed' : 'done',
    )
    return track
  }

  /**
   * The socket dropped: the running response will never finish on it. Its partial text was never
   * finished or heard whole: not replayed, shown as failed. The answer will be asked for again, so
   * the cut one must not play on underneath it; a finished answer (e.g. at a roll-over) keeps
   * playing to its end. Resolves whether a response was cut.
   */
  async cutActive(): Promise<boolean> {
    const active = this.activeResponseId ? this.responses.get(this.activeResponseId) : undefined
    this.activeResponseId = null
    if (!active || active.done) return false
    active.done = true
    this.settleEntries(active.id, 'failed')
    await this.flushSink()
    return true
  }

  /** Entries a finished response left in progress (interrupted before their `done` events). */
  private settleEntries(responseId: string, status: TranscriptEntry['status']): void {
    const { transcript, entry } = this.options
    for (const [itemId, owner] of this.itemResponse) {
      if (owner !== responseId) continue
      const current = transcript.entry(itemId)
      if (current?.status === 'in_progress') entry(transcript.finish(itemId, current.role, current.text, status))
    }
  }

  /** Stop the assistant: cancel if needed, silence the sink, truncate the item at what was heard. */
  async bargeIn(cause: 'server-vad' | 'local'): Promise<void> {
    const active = this.activeResponseId ? this.responses.get(this.activeResponseId) : undefined
    const responseRunning = active !== undefined && !active.done
    // The item playing now; audio that arrives while the sink flushes belongs to what comes next.
    const playingItemId = this.lastAudioItemId
    // Mark first (synchronously) so deltas arriving while the sink flushes are dropped.
    if (responseRunning) active.interrupted = true
    if (responseRunning && (cause === 'local' || !this.options.serverInterrupts)) {
      this.options.send({ type: 'response.cancel', response_id: active.id })
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
    this.options.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: audioEndMs,
    })
  }

  /** Silence the sink; a failing sink (e.g. the window closed) must not break the session. */
  private async flushSink(): Promise<{ itemId: string | null; playedSamples: number } | null> {
    this.audioSinceFlush = false
    try {
      return await this.options.sink.flush()
    } catch (error) {
      this.options.logger.log('warn', 'audio sink flush failed', { error: String(error) })
      return null
    }
  }
}
