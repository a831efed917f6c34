/**
 * Voice Live wire events (dated GA versions: the flat, OpenAI-Realtime-beta-like shape), both
 * directions, snake_case exactly as on the wire.
 *
 * Every schema is a loose object: fields we do not model pass through untouched, because the
 * service adds fields faster than any client (the official SDK silently drops them — we must not).
 * Only the fields the client or the local engine act on are required.
 *
 * The session core sends client events and parses server events; the local engine does the
 * reverse with the same module, so both ends agree by construction.
 */
import { z } from 'zod'

const id = z.string()
const optionalEventId = { event_id: z.string().optional() }

/** One event schema: a literal `type`, an optional `event_id`, the given fields, and pass-through. */
function eventSchema<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.looseObject({ type: z.literal(type), ...optionalEventId, ...shape })
}

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const contentPartSchema = z.looseObject({
  type: z.string(), // input_text | input_audio | text | audio
  text: z.string().optional(),
  transcript: z.string().nullable().optional(),
  audio: z.string().optional(),
})
export type ContentPart = z.infer<typeof contentPartSchema>

export const messageItemSchema = z.looseObject({
  type: z.literal('message'),
  id: id.optional(),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.array(contentPartSchema),
  status: z.string().optional(),
})
export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  id: id.optional(),
  call_id: id,
  name: z.string(),
  arguments: z.string(),
  status: z.string().optional(),
})
export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  id: id.optional(),
  call_id: id,
  output: z.string(),
})
/** Items of types we do not model (mcp_call, mcp_approval_request, ...) pass through. */
export const otherItemSchema = z.looseObject({ type: z.string(), id: id.optional() })

export const conversationItemSchema = z.union([
  messageItemSchema,
  functionCallItemSchema,
  functionCallOutputItemSchema,
  otherItemSchema,
])
export type MessageItem = z.infer<typeof messageItemSchema>
export type FunctionCallItem = z.infer<typeof functionCallItemSchema>
export type FunctionCallOutputItem = z.infer<typeof functionCallOutputItemSchema>
export type ConversationItem = z.infer<typeof conversationItemSchema>

export const voiceSchema = z.union([
  z.string(), // bare OpenAI voice name
  z.looseObject({ type: z.string(), name: z.string().optional() }),
])

export const turnDetectionSchema = z.looseObject({
  type: z.string(), // server_vad | semantic_vad | azure_semantic_vad[_en|_multilingual]
  threshold: z.number().optional(),
  prefix_padding_ms: z.number().optional(),
  silence_duration_ms: z.number().optional(),
  speech_duration_ms: z.number().optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  remove_filler_words: z.boolean().optional(),
  languages: z.array(z.string()).optional(),
  eagerness: z.string().optional(),
  end_of_utterance_detection: z
    .looseObject({
      model: z.string(),
      threshold_level: z.string().optional(),
      timeout_ms: z.number().optional(),
    })
    .optional(),
})
export type TurnDetection = z.infer<typeof turnDetectionSchema>

export const toolSchema = z.looseObject({ type: z.string(), name: z.string().optional() })
export type Tool = z.infer<typeof toolSchema>

/** `session.update.session` and the effective session in `session.created/updated`. */
export const sessionConfigSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  modalities: z.array(z.string()).optional(),
  instructions: z.string().optional(),
  voice: voiceSchema.optional(),
  input_audio_format: z.string().optional(),
  input_audio_sampling_rate: z.number().optional(),
  output_audio_format: z.string().optional(),
  turn_detection: turnDetectionSchema.nullable().optional(),
  input_audio_noise_reduction: z.looseObject({ type: z.string() }).nullable().optional(),
  input_audio_echo_cancellation: z.looseObject({ type: z.string() }).nullable().optional(),
  input_audio_transcription: z
    .looseObject({ model: z.string(), language: z.string().optional() })
    .nullable()
    .optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).optional(),
  temperature: z.number().optional(),
  max_response_output_tokens: z.union([z.number(), z.literal('inf')]).optional(),
})
export type SessionConfig = z.infer<typeof sessionConfigSchema>

export const usageSchema = z.looseObject({
  total_tokens: z.number().optional(),
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
})

export const responseSchema = z.looseObject({
  id,
  object: z.string().optional(),
  status: z.string().optional(), // in_progress | completed | cancelled (canceled) | incomplete | failed
  status_details: z.looseObject({ type: z.string() }).nullable().optional(),
  output: z.array(conversationItemSchema).optional(),
  usage: usageSchema.nullable().optional(),
})
export type Response = z.infer<typeof responseSchema>

export const errorDetailsSchema = z.looseObject({
  type: z.string().optional(),
  code: z.string().nullable().optional(),
  message: z.string(),
  param: z.string().nullable().optional(),
  event_id: z.string().nullable().optional(),
})

// ---------------------------------------------------------------------------------------------
// Client → server

export const clientEventSchemas = {
  'session.update': eventSchema('session.update', { session: sessionConfigSchema }),
  'input_audio_buffer.append': eventSchema('input_audio_buffer.append', { audio: z.string() }),
  'input_audio_buffer.commit': eventSchema('input_audio_buffer.commit', {}),
  'input_audio_buffer.clear': eventSchema('input_audio_buffer.clear', {}),
  'conversation.item.create': eventSchema('conversation.item.create', {
    previous_item_id: id.nullable().optional(),
    item: conversationItemSchema,
  }),
  'conversation.item.retrieve': eventSchema('conversation.item.retrieve', { item_id: id }),
  'conversation.item.truncate': eventSchema('conversation.item.truncate', {
    item_id: id,
    content_index: z.number().int().nonnegative(),
    audio_end_ms: z.number().int().nonnegative(),
  }),
  'conversation.item.delete': eventSchema('conversation.item.delete', { item_id: id }),
  'response.create': eventSchema('response.create', {
    response: z.looseObject({}).optional(),
  }),
  'response.cancel': eventSchema('response.cancel', { response_id: id.optional() }),
  'output_audio_buffer.clear': eventSchema('output_audio_buffer.clear', {}),
} as const

type ClientSchemas = typeof clientEventSchemas
export type ClientEventType = keyof ClientSchemas
export type ClientEventOf<T extends ClientEventType> = z.infer<ClientSchemas[T]>
export type KnownClientEvent = { [T in ClientEventType]: ClientEventOf<T> }[ClientEventType]

// ---------------------------------------------------------------------------------------------
// Server → client

const itemRef = { item_id: id }
const responseRef = { response_id: id, item_id: id, output_index: z.number(), content_index: z.number() }

export const serverEventSchemas = {
  error: eventSchema('error', { error: errorDetailsSchema }),
  warning: eventSchema('warning', {
    warning: z.looseObject({ message: z.string(), code: z.string().nullable().optional() }),
  }),
  'session.created': eventSchema('session.created', { session: sessionConfigSchema }),
  'session.updated': eventSchema('session.updated', { session: sessionConfigSchema }),
  'input_audio_buffer.speech_started': eventSchema('input_audio_buffer.speech_started', {
    audio_start_ms: z.number(),
    ...itemRef,
  }),
  'input_audio_buffer.speech_stopped': eventSchema('input_audio_buffer.speech_stopped', {
    audio_end_ms: z.number(),
    ...itemRef,
  }),
  'input_audio_buffer.committed': eventSchema('input_audio_buffer.committed', {
    previous_item_id: id.nullable().optional(),
    ...itemRef,
  }),
  'input_audio_buffer.cleared': eventSchema('input_audio_buffer.cleared', {}),
  'conversation.item.created': eventSchema('conversation.item.created', {
    previous_item_id: id.nullable().optional(),
    item: conversationItemSchema,
  }),
  'conversation.item.truncated': eventSchema('conversation.item.truncated', {
    ...itemRef,
    content_index: z.number(),
    audio_end_ms: z.number(),
  }),
  'conversation.item.retrieved': eventSchema('conversation.item.retrieved', { item: conversationItemSchema }),
  'conversation.item.deleted': eventSchema('conversation.item.deleted', itemRef),
  'conversation.item.input_audio_transcription.delta': eventSchema(
    'conversation.item.input_audio_transcription.delta',
    { ...itemRef, content_index: z.number().optional(), delta: z.string() },
  ),
  'conversation.item.input_audio_transcription.completed': eventSchema(
    'conversation.item.input_audio_transcription.completed',
    { ...itemRef, content_index: z.number().optional(), transcript: z.string() },
  ),
  'conversation.item.input_audio_transcription.failed': eventSchema(
    'conversation.item.input_audio_transcription.failed',
    { ...itemRef, content_index: z.number().optional(), error: errorDetailsSchema.optional() },
  ),
  'response.created': eventSchema('response.created', { response: responseSchema }),
  'response.done': eventSchema('response.done', { response: responseSchema }),
  'response.output_item.added': eventSchema('response.output_item.added', {
    response_id: id,
    output_index: z.number(),
    item: conversationItemSchema,
  }),
  'response.output_item.done': eventSchema('response.output_item.done', {
    response_id: id,
    output_index: z.number(),
    item: conversationItemSchema,
  }),
  'response.content_part.added': eventSchema('response.content_part.added', {
    ...responseRef,
    part: contentPartSchema,
  }),
  'response.content_part.done': eventSchema('response.content_part.done', {
    ...responseRef,
    part: contentPartSchema,
  }),
  'response.text.delta': eventSchema('response.text.delta', { ...responseRef, delta: z.string() }),
  'response.text.done': eventSchema('response.text.done', { ...responseRef, text: z.string() }),
  'response.audio.delta': eventSchema('response.audio.delta', { ...responseRef, delta: z.string() }),
  'response.audio.done': eventSchema('response.audio.done', responseRef),
  'response.audio_transcript.delta': eventSchema('response.audio_transcript.delta', {
    ...responseRef,
    delta: z.string(),
  }),
  'response.audio_transcript.done': eventSchema('response.audio_transcript.done', {
    ...responseRef,
    transcript: z.string(),
  }),
  'response.function_call_arguments.delta': eventSchema('response.function_call_arguments.delta', {
    response_id: id,
    item_id: id,
    output_index: z.number(),
    call_id: id,
    delta: z.string(),
  }),
  'response.function_call_arguments.done': eventSchema('response.function_call_arguments.done', {
    response_id: id,
    item_id: id,
    output_index: z.number(),
    call_id: id,
    name: z.string().optional(),
    arguments: z.string(),
  }),
  'rate_limits.updated': eventSchema('rate_limits.updated', {
    rate_limits: z.array(z.looseObject({ name: z.string() })),
  }),
} as const

type ServerSchemas = typeof serverEventSchemas
export type ServerEventType = keyof ServerSchemas
export type ServerEventOf<T extends ServerEventType> = z.infer<ServerSchemas[T]>
export type KnownServerEvent = { [T in ServerEventType]: ServerEventOf<T> }[ServerEventType]

// ---------------------------------------------------------------------------------------------
// Parsing: one result type for both directions.

/** An event whose `type` this module does not model; kept whole so nothing is lost. */
export interface UnknownEvent {
  readonly type: string
  readonly [field: string]: unknown
}

/** Why an event was refused, for a peer that must answer each case with its own error. */
export type InvalidReason = 'not-json' | 'not-object' | 'no-type' | 'bad-shape'

export type ParsedEvent<Known> =
  | { readonly kind: 'known'; readonly event: Known }
  | { readonly kind: 'unknown'; readonly event: UnknownEvent }
  /** Not JSON, not an object with a string `type`, or a known type with a wrong shape. */
  | {
      readonly kind: 'invalid'
      readonly reason: InvalidReason
      readonly type: string | null
      readonly error: string
      /** The event's own `event_id`, when it is an object with a string one. */
      readonly eventId?: string
      /** For `bad-shape`: what the schema found wrong, first issue first. */
      readonly issues?: readonly z.core.$ZodIssue[]
    }

function parseWith<Known>(schemas: Record<string, z.ZodType>, data: string | unknown): ParsedEvent<Known> {
  let value: unknown = data
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data)
    } catch (error) {
      return { kind: 'invalid', reason: 'not-json', type: null, error: `not JSON: ${(error as Error).message}` }
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not-object', type: null, error: 'event is not a JSON object' }
  }
  const { type, event_id: id } = value as { type?: unknown; event_id?: unknown }
  const eventId = typeof id === 'string' ? { eventId: id } : {}
  if (typeof type !== 'string') {
    return { kind: 'invalid', reason: 'no-type', type: null, error: 'event has no string "type"', ...eventId }
  }
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined
  if (!schema) return { kind: 'unknown', event: value as UnknownEvent }
  const result = schema.safeParse(value)
  if (!result.success) {
    const { issues } = result.error
    const issue = issues[0]
    const where = issue?.path.length ? issue.path.join('.') : type
    return { kind: 'invalid', reason: 'bad-shape', type, error: `${where}: ${issue?.message ?? 'invalid'}`, ...eventId, issues }
  }
  return { kind: 'known', event: result.data as Known }
}

/** Parse a server event (a JSON text frame or an already-parsed value). Never throws. */
export function parseServerEvent(data: string | unknown): ParsedEvent<KnownServerEvent> {
  return parseWith<KnownServerEvent>(serverEventSchemas, data)
}

/** Parse a client event (the local engine's input). Never throws. */
export function parseClientEvent(data: string | unknown): ParsedEvent<KnownClientEvent> {
  return parseWith<KnownClientEvent>(clientEventSchemas, data)
}

/** Serialize an event to a JSON text frame. Fields stay snake_case as given. */
export function serializeEvent(event: KnownClientEvent | KnownServerEvent | UnknownEvent): string {
  return JSON.stringify(event)
}
