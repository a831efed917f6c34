/**
 * The diagnostics event log: consecutive events of the same direction and type collapse into one
 * row with a count (mic appends and audio deltas arrive 50 times a second; main already sends most
 * of such a run as one event with a `count`), and the list is capped.
 */
import type { ProtocolEvent } from '../../../src-shared/session-model/session-model.js'

export interface EventLogRow {
  readonly key: number
  readonly direction: ProtocolEvent['direction']
  readonly type: string
  readonly count: number
  readonly firstAtMs: number
  /** The latest event of the run, shown when the row is expanded. */
  readonly last: ProtocolEvent
}

export const MAX_EVENT_ROWS = 400

export function appendEvents(
  rows: readonly EventLogRow[],
  events: readonly ProtocolEvent[],
  nextKey: () => number,
): EventLogRow[] {
  const out = rows.slice()
  for (const event of events) {
    const tail = out[out.length - 1]
    if (tail && tail.direction === event.direction && tail.type === event.type) {
      out[out.length - 1] = { ...tail, count: tail.count + (event.count ?? 1), last: event }
    } else {
      out.push({
        key: nextKey(),
        direction: event.direction,
        type: event.type,
        count: event.count ?? 1,
        firstAtMs: event.atMs,
        last: event,
      })
    }
  }
  return out.length > MAX_EVENT_ROWS ? out.slice(out.length - MAX_EVENT_ROWS) : out
}
