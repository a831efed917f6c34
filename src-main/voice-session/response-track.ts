/** What the session knows about one response, and the per-turn metrics derived from it. */
import type { TurnMetrics } from '../../src-shared/session-model/session-model.js'
import { usageSchema, type ReceivedEventOf } from '../voicelive-protocol/events.js'

export interface ResponseTrack {
  readonly id: string
  /** Created in answer to the user's speech or a commit (not a greeting or a bare `response.create`). */
  readonly afterUserInput: boolean
  /** Barged in: its later deltas are dropped. */
  interrupted: boolean
  done: boolean
  firstDeltaAt: number | null
  firstAudioAt: number | null
  audioBytesReceived: number
}

export function newResponseTrack(id: string, afterUserInput: boolean): ResponseTrack {
  return {
    id,
    afterUserInput,
    interrupted: false,
    done: false,
    firstDeltaAt: null,
    firstAudioAt: null,
    audioBytesReceived: 0,
  }
}

/** Latencies from the end of the user's speech (null when the response did not answer speech). */
export function turnMetrics(
  track: ResponseTrack,
  response: ReceivedEventOf<'response.done'>['response'],
  timing: { speechEndAt: number | null; doneAt: number; audioBytesSent: number },
): TurnMetrics {
  const since = (at: number | null) =>
    track.afterUserInput && timing.speechEndAt !== null && at !== null ? at - timing.speechEndAt : null
  // Token counts are informational: shown when well formed, unknown otherwise.
  const parsedUsage = usageSchema.nullable().optional().safeParse(response.usage)
  const usage = parsedUsage.success ? parsedUsage.data : null
  return {
    responseId: response.id,
    speechEndToFirstDeltaMs: since(track.firstDeltaAt),
    speechEndToFirstAudioMs: since(track.firstAudioAt),
    speechEndToDoneMs: since(timing.doneAt),
    audioBytesSent: timing.audioBytesSent,
    audioBytesReceived: track.audioBytesReceived,
    tokens: usage
      ? { input: usage.input_tokens ?? 0, output: usage.output_tokens ?? 0, total: usage.total_tokens ?? 0 }
      : null,
    status: response.status,
  }
}
