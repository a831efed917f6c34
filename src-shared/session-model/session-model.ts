/**
 * The voice session's domain model, shared by every room that talks about a session: its state and
 * error kinds, transcript entries, turn metrics, protocol-log rows and the audio format. The session
 * core and the CLI use it with no bridge in sight; the bridge contract carries these same shapes.
 * Schemas are zod so main can validate them; the renderer imports only their types.
 */
import { z } from 'zod'

// Session state, shown by the connection status region.

/** Distinct, human-meaningful failure kinds. The CLI maps them to exit codes, the UI to messages. */
export const sessionErrorKindSchema = z.enum([
  'config', // bad settings or preset (CLI exit 2)
  'auth', // 401/403, missing or rejected credentials (CLI exit 3)
  'not_found', // 404: wrong endpoint, model or agent (CLI exit 4)
  'rate_limit', // 429 (CLI exit 5)
  'policy', // close 1008
  'duration_cap', // close 4008 / session_expired
  'network', // DNS, refused, reset, dropped (CLI exit 4)
  'timeout', // connect timeout (CLI exit 4)
  'protocol', // malformed frames from the service (CLI exit 5)
  'service', // error events, 1011, other server-side failures (CLI exit 5)
])
export type SessionErrorKind = z.infer<typeof sessionErrorKindSchema>

export const sessionErrorSchema = z.object({
  kind: sessionErrorKindSchema,
  message: z.string(),
  /** True when trying again later may work (the UI shows Retry). */
  retryable: z.boolean(),
})
export type SessionError = z.infer<typeof sessionErrorSchema>

export const sessionStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  z.object({ status: z.literal('connecting'), step: z.string() }),
  z.object({
    status: z.literal('live'),
    sessionId: z.string(),
    turnDetection: z.enum(['vad', 'push-to-talk']),
  }),
  z.object({
    status: z.literal('reconnecting'),
    attempt: z.number().int().positive(),
    retryInMs: z.number().nonnegative(),
    reason: z.string(),
  }),
  z.object({ status: z.literal('error'), error: sessionErrorSchema }),
])
export type SessionState = z.infer<typeof sessionStateSchema>

// Conversation

/** One utterance, sent whole each time it changes: small, and the UI never has to merge. */
export const transcriptEntrySchema = z.object({
  itemId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  status: z.enum(['in_progress', 'done', 'truncated', 'failed']),
})
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>

export const turnMetricsSchema = z.object({
  responseId: z.string(),
  /** User speech end (speech_stopped, or commit in push-to-talk) → first response delta. */
  speechEndToFirstDeltaMs: z.number().nullable(),
  /** User speech end → first audio delta: the latency the user hears. */
  speechEndToFirstAudioMs: z.number().nullable(),
  /** User speech end → response.done. */
  speechEndToDoneMs: z.number().nullable(),
  audioBytesSent: z.number().int().nonnegative(),
  audioBytesReceived: z.number().int().nonnegative(),
  tokens: z
    .object({ input: z.number().int(), output: z.number().int(), total: z.number().int() })
    .nullable(),
  status: z.string(),
})
export type TurnMetrics = z.infer<typeof turnMetricsSchema>

/** A row of the diagnostics event log. Audio payloads are summarised by size, never included. */
export const protocolEventSchema = z.object({
  direction: z.enum(['client', 'server']),
  type: z.string(),
  atMs: z.number(),
  summary: z.record(z.string(), z.unknown()),
  /** How many consecutive events of this direction and type this one stands for (default 1);
   * `atMs` and `summary` are the latest one's. Main merges runs such as mic appends. */
  count: z.number().int().min(1).optional(),
})
export type ProtocolEvent = z.infer<typeof protocolEventSchema>

// Audio

/** How the renderer must capture: sent by main when a session starts. */
export const audioFormatSchema = z.object({
  inputSampleRate: z.union([z.literal(16_000), z.literal(24_000)]),
  outputSampleRate: z.union([z.literal(16_000), z.literal(24_000)]),
  frameMs: z.number().int().min(10).max(100),
})
export type AudioFormat = z.infer<typeof audioFormatSchema>
