/**
 * Streamed events (mic appends, audio and transcript deltas: up to 50 a second each) merged where
 * they are recorded, before any per-event object is built. Each frame only bumps a counter. The
 * log gets one line per stream (count, bytes, first and last time) when the stream ends, at the
 * next event of another kind or when the socket ends. The diagnostics get the first event at once
 * (the UI shows "speaking" from it), then what came since, counted, every `reportMs` while the
 * stream flows (so nothing waits longer), and the rest when it ends, so a run keeps its place before
 * the event that ended it.
 */
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import type { Logger } from '../logging/logger.js'
import { isStreamedEventType, streamedEventBytes, summarizeEvent } from '../voicelive-protocol/summary.js'

/** How often a flowing stream's count reaches the diagnostics. */
export const STREAM_REPORT_MS = 200

type Direction = ProtocolEvent['direction']
type WireEvent = { readonly type: string; readonly [field: string]: unknown }

interface OpenStream {
  readonly direction: Direction
  readonly type: string
  count: number
  bytes: number
  readonly firstAtMs: number
  lastAtMs: number
  /** Events not yet counted in a diagnostics event. */
  unreported: number
}

export interface EventStreamsOptions {
  readonly logger: Logger
  readonly protocol: (event: ProtocolEvent) => void
  /** The session's monotonic clock, in ms. */
  readonly now: () => number
  /** Wall clock (ms since the epoch), for the times in the log. */
  readonly wallNow?: () => number
  readonly reportMs?: number
}

export class EventStreams {
  /** Keyed by direction, then type: no string is built per frame. */
  private readonly open: Record<Direction, Map<string, OpenStream>> = { client: new Map(), server: new Map() }
  private readonly reportMs: number
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly options: EventStreamsOptions) {
    this.reportMs = options.reportMs ?? STREAM_REPORT_MS
  }

  /** Counts `event` if its type is streamed (true), else leaves it to the caller (false). */
  add(direction: Direction, event: WireEvent): boolean {
    if (!isStreamedEventType(event.type)) return false
    const atMs = this.options.now()
    const bytes = streamedEventBytes(event)
    const streams = this.open[direction]
    const stream = streams.get(event.type)
    if (!stream) {
      streams.set(event.type, {
        direction,
        type: event.type,
        count: 1,
        bytes,
        firstAtMs: atMs,
        lastAtMs: atMs,
        unreported: 0,
      })
      this.options.protocol({ direction, type: event.type, atMs, summary: summarizeEvent(event) })
      return true
    }
    stream.count++
    stream.bytes += bytes
    stream.lastAtMs = atMs
    stream.unreported++
    this.timer ??= setTimeout(() => this.reportAll(), this.reportMs)
    return true
  }

  /** Every open stream ends: its summary is logged and the rest of its count reported. */
  end(): void {
    this.reportAll()
    for (const streams of Object.values(this.open)) {
      for (const stream of streams.values()) {
        this.options.logger.log(
          'info',
          `${stream.direction === 'client' ? '→' : '←'} ${stream.type} ×${stream.count}`,
          {
            count: stream.count,
            bytes: stream.bytes,
            first: this.wallTime(stream.firstAtMs),
            last: this.wallTime(stream.lastAtMs),
          },
        )
      }
      streams.clear()
    }
  }

  private reportAll(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const streams of Object.values(this.open)) {
      for (const stream of streams.values()) if (stream.unreported > 0) this.report(stream)
    }
  }

  private report(stream: OpenStream): void {
    this.options.protocol({
      direction: stream.direction,
      type: stream.type,
      atMs: stream.lastAtMs,
      summary: { type: stream.type, count: stream.count, bytes: stream.bytes, firstAtMs: stream.firstAtMs },
      count: stream.unreported,
    })
    stream.unreported = 0
  }

  /** A time on the session clock as an ISO time: the log is read against wall-clock times. */
  private wallTime(atMs: number): string {
    const wallNow = (this.options.wallNow ?? Date.now)()
    return new Date(wallNow - (this.options.now() - atMs)).toISOString()
  }
}
