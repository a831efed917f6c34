/**
 * Client → server events, validated strictly: the session core sends them (typed by these schemas)
 * and the local engine refuses any that do not match, answering with an `error` event as the
 * service does.
 */
import { z } from 'zod'
import { conversationItemSchema, id, sessionConfigSchema } from './event-shapes.js'

/** One event schema: a literal `type`, an optional `event_id`, the given fields, and pass-through. */
function clientEvent<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.looseObject({ type: z.literal(type), event_id: z.string().optional(), ...shape })
}

export const clientEventSchemas = {
  'session.update': clientEvent('session.update', { session: sessionConfigSchema }),
  'input_audio_buffer.append': clientEvent('input_audio_buffer.append', { audio: z.string() }),
  'input_audio_buffer.commit': clientEvent('input_audio_buffer.commit', {}),
  'input_audio_buffer.clear': clientEvent('input_audio_buffer.clear', {}),
  'conversation.item.create': clientEvent('conversation.item.create', {
    previous_item_id: id.nullable().optional(),
    item: conversationItemSchema,
  }),
  'conversation.item.retrieve': clientEvent('conversation.item.retrieve', { item_id: id }),
  'conversation.item.truncate': clientEvent('conversation.item.truncate', {
    item_id: id,
    content_index: z.number().int().nonnegative(),
    audio_end_ms: z.number().int().nonnegative(),
  }),
  'conversation.item.delete': clientEvent('conversation.item.delete', { item_id: id }),
  'response.create': clientEvent('response.create', {
    response: z.looseObject({}).optional(),
  }),
  'response.cancel': clientEvent('response.cancel', { response_id: id.optional() }),
  'output_audio_buffer.clear': clientEvent('output_audio_buffer.clear', {}),
} as const

type ClientSchemas = typeof clientEventSchemas
export type ClientEventType = keyof ClientSchemas
export type ClientEventOf<T extends ClientEventType> = z.infer<ClientSchemas[T]>
export type KnownClientEvent = { [T in ClientEventType]: ClientEventOf<T> }[ClientEventType]
