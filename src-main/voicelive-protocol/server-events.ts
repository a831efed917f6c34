/**
 * Server → client events, written once and read two ways:
 *
 * - `serverEventSpecs` — the spec's shape: what a server must send. The local engine's output is
 *   typed by it, and tests check the engine and the scripted server against it.
 * - `serverEventIntake` — what the client accepts ("liberal in what it accepts"). A field the client
 *   does not act on takes any value: null, another type, an unknown enum value, or nothing at all,
 *   and still passes through untouched. Only the fields below are checked, so a known event is
 *   refused only when the client truly cannot use it, and the refusal names the field.
 *
 * Fields each event's handling depends on (everything else is informational: it is kept, logged and
 * shown, never required):
 *
 * | event | fields the client acts on |
 * |---|---|
 * | `error` | none required: `error.message`, `.code`, `.type` are read when they are strings (an error event is always surfaced, with a stand-in message if it has none) |
 * | `session.created`, `session.updated` | none (`session.id` is shown when it is a string; `model` may be null in agent sessions) |
 * | `input_audio_buffer.speech_started` / `speech_stopped` / `cleared` | none: their arrival is the signal |
 * | `input_audio_buffer.committed` | `item_id` (places the user's entry in the transcript) |
 * | `conversation.item.input_audio_transcription.delta` | `item_id`, `delta` |
 * | `conversation.item.input_audio_transcription.completed` | `item_id`, `transcript` |
 * | `conversation.item.input_audio_transcription.failed` | `item_id` |
 * | `conversation.item.truncated` | `item_id`, `audio_end_ms` |
 * | `conversation.item.deleted` | `item_id` |
 * | `response.created` | `response.id` |
 * | `response.output_item.added` | `response_id`, `item.type` (`message` items are tracked; any other value is an item we do not model), `item.id` of a message |
 * | `response.audio.delta` | `response_id`, `item_id`, `delta` (base64 PCM16) |
 * | `response.audio_transcript.delta`, `response.text.delta` | `response_id`, `item_id`, `delta` |
 * | `response.audio_transcript.done` / `response.text.done` | `response_id`, `item_id`, `transcript` / `text` |
 * | `response.done` | `response.id`, `response.status` (one of the known outcomes), `response.output` (an array; its `function_call` items need `call_id`, `name`, `arguments`) |
 * | `warning`, `rate_limits.updated`, `conversation.item.created` / `.retrieved`, `response.output_item.done`, `response.content_part.*`, `response.audio.done`, `response.function_call_arguments.*` | none |
 *
 * `usage` in `response.done` feeds the token figures of the turn metrics when it is well formed and
 * is otherwise shown as unknown. The session core also checks references it looks up: a
 * `response_id` must name a response this session saw created (see voice-session).
 */
import { z } from 'zod'
import {
  base64Audio,
  errorDetailsSchema,
  functionCallItemSchema,
  id,
  reportedContentPartSchema,
  reportedItemSchema,
  reportedSessionSchema,
  usageSchema,
} from './event-shapes.js'

/** `spec`: what a server must send. `intake`: what the client accepts. */
type Reading = 'spec' | 'intake'
/** A field the client does not act on: its spec shape, or anything (even absent) at intake. */
type Informational<S extends z.ZodType, R extends Reading> = R extends 'spec' ? S : z.ZodOptional<z.ZodUnknown>
type Either<R extends Reading, Spec, Intake> = R extends 'spec' ? Spec : Intake

/** The outcomes the client knows how to settle a turn with (the REF-2510 docs spell one `canceled`). */
const RESPONSE_STATUSES = ['completed', 'cancelled', 'canceled', 'incomplete', 'failed', 'in_progress'] as const

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** An output item at intake: only a `function_call` is acted on (the client must answer it). */
const outputItemIntake = z.unknown().superRefine((value, context) => {
  if (!isRecord(value) || value['type'] !== 'function_call') return
  const call = functionCallItemSchema.safeParse(value)
  if (call.success) return
  for (const issue of call.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path })
})

/** An added output item at intake: a `message` is tracked by id; any other type passes through. */
const addedItemIntake = z
  .looseObject({ type: z.unknown().optional(), id: z.unknown().optional() })
  .superRefine((item, context) => {
    if (item.type === 'message' && typeof item.id !== 'string') {
      context.addIssue({ code: 'custom', path: ['id'], message: 'a message item needs a string id' })
    }
  })

function serverEvents<R extends Reading>(reading: R) {
  const info = <S extends z.ZodType>(schema: S) =>
    (reading === 'spec' ? schema : z.unknown().optional()) as Informational<S, R>
  const either = <Spec, Intake>(spec: Spec, intake: Intake) =>
    (reading === 'spec' ? spec : intake) as Either<R, Spec, Intake>
  const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
    z.looseObject({ type: z.literal(type), event_id: info(z.string().optional()), ...shape })

  const position = { output_index: info(z.number()), content_index: info(z.number()) }
  /** A delta or done event the client files under a response and an item. */
  const usedRef = { response_id: id, item_id: id, ...position }
  /** The same reference on an event the client does not act on. */
  const infoRef = { response_id: info(id), item_id: info(id), ...position }
  const responseInfo = {
    status_details: info(z.looseObject({ type: z.string() }).nullable().optional()),
    usage: info(usageSchema.nullable().optional()),
  }
  const errorInfo = info(errorDetailsSchema)

  return {
    error: event('error', { error: errorInfo }),
    warning: event('warning', {
      warning: info(z.looseObject({ message: z.string(), code: z.string().nullable().optional() })),
    }),
    'session.created': event('session.created', { session: info(reportedSessionSchema) }),
    'session.updated': event('session.updated', { session: info(reportedSessionSchema) }),
    'input_audio_buffer.speech_started': event('input_audio_buffer.speech_started', {
      audio_start_ms: info(z.number()),
      item_id: info(id),
    }),
    'input_audio_buffer.speech_stopped': event('input_audio_buffer.speech_stopped', {
      audio_end_ms: info(z.number()),
      item_id: info(id),
    }),
    'input_audio_buffer.committed': event('input_audio_buffer.committed', {
      previous_item_id: info(id.nullable().optional()),
      item_id: id,
    }),
    'input_audio_buffer.cleared': event('input_audio_buffer.cleared', {}),
    'conversation.item.created': event('conversation.item.created', {
      previous_item_id: info(id.nullable().optional()),
      item: info(reportedItemSchema),
    }),
    'conversation.item.truncated': event('conversation.item.truncated', {
      item_id: id,
      content_index: info(z.number()),
      audio_end_ms: z.number(),
    }),
    'conversation.item.retrieved': event('conversation.item.retrieved', { item: info(reportedItemSchema) }),
    'conversation.item.deleted': event('conversation.item.deleted', { item_id: id }),
    'conversation.item.input_audio_transcription.delta': event('conversation.item.input_audio_transcription.delta', {
      item_id: id,
      content_index: info(z.number().optional()),
      delta: z.string(),
    }),
    'conversation.item.input_audio_transcription.completed': event(
      'conversation.item.input_audio_transcription.completed',
      { item_id: id, content_index: info(z.number().optional()), transcript: z.string() },
    ),
    'conversation.item.input_audio_transcription.failed': event('conversation.item.input_audio_transcription.failed', {
      item_id: id,
      content_index: info(z.number().optional()),
      error: info(errorDetailsSchema.optional()),
    }),
    'response.created': event('response.created', {
      response: z.looseObject({
        id,
        status: info(z.string().optional()),
        output: info(z.array(reportedItemSchema).optional()),
        ...responseInfo,
      }),
    }),
    'response.done': event('response.done', {
      response: z.looseObject({
        id,
        status: either(z.string(), z.enum(RESPONSE_STATUSES)),
        output: either(z.array(reportedItemSchema), z.array(outputItemIntake)),
        ...responseInfo,
      }),
    }),
    'response.output_item.added': event('response.output_item.added', {
      response_id: id,
      output_index: info(z.number()),
      item: either(reportedItemSchema, addedItemIntake),
    }),
    'response.output_item.done': event('response.output_item.done', {
      response_id: info(id),
      output_index: info(z.number()),
      item: info(reportedItemSchema),
    }),
    'response.content_part.added': event('response.content_part.added', {
      ...infoRef,
      part: info(reportedContentPartSchema),
    }),
    'response.content_part.done': event('response.content_part.done', {
      ...infoRef,
      part: info(reportedContentPartSchema),
    }),
    'response.text.delta': event('response.text.delta', { ...usedRef, delta: z.string() }),
    'response.text.done': event('response.text.done', { ...usedRef, text: z.string() }),
    'response.audio.delta': event('response.audio.delta', { ...usedRef, delta: base64Audio }),
    'response.audio.done': event('response.audio.done', infoRef),
    'response.audio_transcript.delta': event('response.audio_transcript.delta', { ...usedRef, delta: z.string() }),
    'response.audio_transcript.done': event('response.audio_transcript.done', { ...usedRef, transcript: z.string() }),
    'response.function_call_arguments.delta': event('response.function_call_arguments.delta', {
      response_id: info(id),
      item_id: info(id),
      output_index: info(z.number()),
      call_id: info(id),
      delta: info(z.string()),
    }),
    'response.function_call_arguments.done': event('response.function_call_arguments.done', {
      response_id: info(id),
      item_id: info(id),
      output_index: info(z.number()),
      call_id: info(id),
      name: info(z.string().optional()),
      arguments: info(z.string()),
    }),
    'rate_limits.updated': event('rate_limits.updated', {
      rate_limits: info(z.array(z.looseObject({ name: z.string() }))),
    }),
  } as const
}

/** The spec's shape of every modelled server event: what a server (the local engine) must send. */
export const serverEventSpecs = serverEvents('spec')
/** The client's intake: only the fields it acts on are checked. */
export const serverEventIntake = serverEvents('intake')

type Specs = typeof serverEventSpecs
type Intake = typeof serverEventIntake
export type ServerEventType = keyof Specs
/** A server event as the spec describes it (what the local engine sends). */
export type ServerEventOf<T extends ServerEventType> = z.infer<Specs[T]>
/** A server event as the client receives it: informational fields are `unknown`. */
export type ReceivedEventOf<T extends ServerEventType> = z.infer<Intake[T]>
export type ReceivedServerEvent = { [T in ServerEventType]: ReceivedEventOf<T> }[ServerEventType]

/** The session id a `session.created/updated` reports, when it reports one as a string. */
export function sessionIdOf(session: unknown): string | undefined {
  return isRecord(session) && typeof session['id'] === 'string' ? session['id'] : undefined
}

export interface ServiceErrorDetails {
  readonly type: string | undefined
  readonly code: string | null
  readonly message: string
}

/** What an `error` event says, read leniently: an error must reach the user whatever its shape. */
export function serviceErrorOf(error: unknown): ServiceErrorDetails {
  const details = isRecord(error) ? error : {}
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  return {
    type: text(details['type']),
    code: text(details['code']) ?? null,
    message: text(details['message']) ?? 'The service reported an error without a message.',
  }
}
