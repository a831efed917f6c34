/**
 * Voice Live wire events, both directions: parsing and serialization. The schemas live in
 * client-events.ts (strict: the local engine refuses what does not match, like the service) and
 * server-events.ts (one definition read two ways: the spec's shape, and the client's lenient
 * intake, which checks only the fields the client acts on; its header lists them per event).
 */
import type { z } from 'zod'
import { clientEventSchemas, type KnownClientEvent } from './client-events.js'
import {
  serverEventIntake,
  type ReceivedServerEvent,
  type ServerEventOf,
  type ServerEventType,
} from './server-events.js'

export type { ClientEventOf, ClientEventType, KnownClientEvent } from './client-events.js'
export type { ConversationItem, FunctionCallItem, SessionConfig, Tool, TurnDetection } from './event-shapes.js'
export { functionCallItemSchema, usageSchema } from './event-shapes.js'
export {
  serverEventSpecs,
  serviceErrorOf,
  sessionIdOf,
  type ReceivedEventOf,
  type ReceivedServerEvent,
  type ServerEventOf,
  type ServerEventType,
  type ServiceErrorDetails,
} from './server-events.js'

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
    return {
      kind: 'invalid',
      reason: 'bad-shape',
      type,
      error: `${where}: ${issue?.message ?? 'invalid'}`,
      ...eventId,
      issues,
    }
  }
  return { kind: 'known', event: result.data as Known }
}

/**
 * Parse a server event (a JSON text frame or an already-parsed value) the client's way: a known
 * event is refused only when a field the client acts on is wrong. Never throws.
 */
export function parseServerEvent(data: string | unknown): ParsedEvent<ReceivedServerEvent> {
  return parseWith<ReceivedServerEvent>(serverEventIntake, data)
}

/** Parse a client event strictly (the local engine's input). Never throws. */
export function parseClientEvent(data: string | unknown): ParsedEvent<KnownClientEvent> {
  return parseWith<KnownClientEvent>(clientEventSchemas, data)
}

/** Serialize an event to a JSON text frame. Fields stay snake_case as given. */
export function serializeEvent(event: KnownClientEvent | ServerEventOf<ServerEventType> | UnknownEvent): string {
  return JSON.stringify(event)
}
