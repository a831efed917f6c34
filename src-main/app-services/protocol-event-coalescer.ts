/**
 * The renderer's event log shows a run of events of one direction and type as one row with a
 * count. A live session streams some types at up to 50 events a second (one
 * `input_audio_buffer.append` per 20 ms mic frame, one `response.audio.delta` per reply chunk,
 * transcript deltas), often two streams interleaved while the assistant talks over the user.
 * Sending each one over the bridge would double the renderer's share of the audio traffic. The
 * session already merges these runs where it records them (voice-session/event-streams.ts), so
 * what arrives here is a few counted events per run; this keeps the bridge's own limit whatever
 * the source sends.
 *
 * So for streamed types (`*.append`, `*.delta`) main sends the first event at once, then holds the
 * rest back and sends them as one event per type every `windowMs`, carrying `count` (and the
 * latest event's time and summary, which is what the log row shows). Any other event first sends
 * everything held back, so it keeps its place; streams of different types may swap places within
 * one window, never within a type. No event is lost and no event waits longer than `windowMs`.
 */
import type { ProtocolEvent } from '../../src-shared/session-model/session-model.js'
import { isStreamedEventType } from '../voicelive-protocol/summary.js'

export const PROTOCOL_EVENT_WINDOW_MS = 150

export interface ProtocolEventCoalescer {
  push(event: ProtocolEvent): void
  /** Sends everything held back, now. */
  flush(): void
}

export function createProtocolEventCoalescer(
  send: (event: ProtocolEvent) => void,
  windowMs = PROTOCOL_EVENT_WINDOW_MS,
): ProtocolEventCoalescer {
  /** Streams with an open window, in the order they opened, and what each holds back (if any). */
  const held = new Map<string, { latest: ProtocolEvent; count: number } | null>()
  let timer: ReturnType<typeof setTimeout> | null = null

  const sendHeld = (): void => {
    for (const [key, run] of held) {
      if (run === null) continue
      send({ ...run.latest, count: run.count })
      held.set(key, null)
    }
  }

  /** End of a window: streams still flowing keep their window open; quiet ones close. */
  const onWindowEnd = (): void => {
    timer = null
    for (const [key, run] of held) if (run === null) held.delete(key)
    sendHeld()
    if (held.size > 0) timer = setTimeout(onWindowEnd, windowMs)
  }

  const flush = (): void => {
    sendHeld()
    held.clear()
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  return {
    push(event) {
      if (!isStreamedEventType(event.type)) {
        flush()
        send(event)
        return
      }
      const key = `${event.direction} ${event.type}`
      if (!held.has(key)) {
        send(event) // the first of a stream goes at once: the UI reacts to it (speaking indicators)
        held.set(key, null)
        timer ??= setTimeout(onWindowEnd, windowMs)
        return
      }
      const run = held.get(key)
      held.set(key, { latest: event, count: (run?.count ?? 0) + (event.count ?? 1) })
    },
    flush,
  }
}
