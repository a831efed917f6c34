/**
 * Shapes shared by several Voice Live events (dated GA versions: the flat, OpenAI-Realtime-beta-like
 * shape), snake_case exactly as on the wire, written the way the spec describes them. Client events
 * use them as they are; the client's intake of server events relaxes every field it does not act on
 * (see server-events.ts).
 *
 * Every object is loose: fields we do not model pass through untouched, because the service adds
 * fields faster than any client (the official SDK silently drops them; we must not).
 */
import { z } from 'zod'

export const id = z.string()

/**
 * Base64 as the service sends audio: the standard alphabet, padded. `Buffer.from(x, 'base64')`
 * silently skips anything else, so without this check a broken delta would play as noise or silence.
 */
export const base64Audio = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64 audio (a character outside the base64 alphabet)')
  .refine((text) => text.length % 4 === 0, 'not base64 audio (its length is not a multiple of 4)')

const contentPartSchema = z.looseObject({
  type: z.string(), // input_text | input_audio | text | audio
  text: z.string().optional(),
  transcript: z.string().nullable().optional(),
  audio: z.string().optional(),
})
/** A part as the service reports it: the audio of an input item is reported as null. */
export const reportedContentPartSchema = contentPartSchema.extend({ audio: z.string().nullable().optional() })
export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  id: id.optional(),
  call_id: id,
  name: z.string(),
  arguments: z.string(),
  status: z.string().optional(),
})
const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  id: id.optional(),
  call_id: id,
  output: z.string(),
})
/** Items of types we do not model (mcp_call, mcp_approval_request, ...) pass through. */
const otherItemSchema = z.looseObject({ type: z.string(), id: id.optional() })

function conversationItem<P extends z.ZodType>(part: P) {
  const messageItemSchema = z.looseObject({
    type: z.literal('message'),
    id: id.optional(),
    role: z.enum(['user', 'assistant', 'system']),
    content: z.array(part),
    status: z.string().optional(),
  })
  return z.union([messageItemSchema, functionCallItemSchema, functionCallOutputItemSchema, otherItemSchema])
}
/** An item the client sends (`conversation.item.create`). */
export const conversationItemSchema = conversationItem(contentPartSchema)
/** An item as the service reports it. */
export const reportedItemSchema = conversationItem(reportedContentPartSchema)
export type FunctionCallItem = z.infer<typeof functionCallItemSchema>
export type ConversationItem = z.infer<typeof conversationItemSchema>

const voiceSchema = z.union([
  z.string(), // bare OpenAI voice name
  z.looseObject({ type: z.string(), name: z.string().optional() }),
])

const turnDetectionSchema = z.looseObject({
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

const toolSchema = z.looseObject({ type: z.string(), name: z.string().optional() })
export type Tool = z.infer<typeof toolSchema>

/** `session.update.session` (and the base of the effective session the service reports). */
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
/**
 * The effective session in `session.created/updated`. `model` may be null: a session that runs an
 * agent, not a model, can report exactly that.
 */
export const reportedSessionSchema = sessionConfigSchema.extend({ model: z.string().nullable().optional() })

export const usageSchema = z.looseObject({
  total_tokens: z.number().optional(),
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
})

export const errorDetailsSchema = z.looseObject({
  type: z.string().optional(),
  code: z.string().nullable().optional(),
  message: z.string(),
  param: z.string().nullable().optional(),
  event_id: z.string().nullable().optional(),
})
