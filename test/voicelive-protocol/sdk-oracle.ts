/**
 * The @azure/ai-voicelive serializers, loaded by file path (they are not exported publicly), used
 * as a conformance oracle: for the same intent, our JSON must equal what the official SDK sends.
 */
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const sdkEntry = require.resolve('@azure/ai-voicelive')

type Serializer = (item: Record<string, unknown>) => Record<string, unknown>

export const sdkModels = require(path.join(path.dirname(sdkEntry), 'models', 'models.js')) as {
  clientEventUnionSerializer: Serializer
  serverEventUnionDeserializer: Serializer
  requestSessionSerializer: Serializer
}

/** The SDK's name for a wire field: camelCase, and `*_ms` becomes `*InMs`. */
export const sdkName = (field: string): string =>
  field.replace(/_ms$/, '_in_ms').replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())

/** Drop `undefined` values the SDK serializers leave behind, so JSON equality is meaningful. */
export function wireJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)

/**
 * Wire fields SDK 1.1.0 does not model at all (its deserializer drops them; `rate_limits.updated` is
 * absent from the SDK). Everything else must read back the same.
 */
const UNMODELLED_BY_SDK = new Set([
  'session.created.session.object',
  'session.updated.session.object',
  'session.created.session.turn_detection.speech_duration_ms',
  'session.updated.session.turn_detection.speech_duration_ms',
  'rate_limits.updated.rate_limits',
])

function differences(wire: unknown, sdk: unknown, path: readonly string[]): string[] {
  const where = path.join('.')
  if (UNMODELLED_BY_SDK.has(where)) return []
  if (Array.isArray(wire)) {
    if (!Array.isArray(sdk) || sdk.length !== wire.length) return [`${where}: the SDK read ${JSON.stringify(sdk)}`]
    return wire.flatMap((value, index) => differences(value, sdk[index], [...path, String(index)]))
  }
  if (isRecord(wire)) {
    if (!isRecord(sdk)) return [`${where}: the SDK read ${JSON.stringify(sdk)}`]
    return Object.entries(wire).flatMap(([key, value]) => differences(value, sdk[sdkName(key)], [...path, key]))
  }
  // Audio: base64 on the wire, bytes in the SDK.
  if (typeof wire === 'string' && sdk instanceof Uint8Array) {
    return Buffer.from(wire, 'base64').equals(Buffer.from(sdk)) ? [] : [`${where}: different audio bytes`]
  }
  return Object.is(wire, sdk) ? [] : [`${where}: wire ${JSON.stringify(wire)}, the SDK read ${JSON.stringify(sdk)}`]
}

/**
 * Every value of a server event, at every depth, as the official SDK's deserializer reads it: each
 * must come back unchanged under the SDK's name for it. Returns what differs (empty when nothing).
 */
export function sdkReadingDifferences(wire: Record<string, unknown>): string[] {
  return differences(wire, sdkModels.serverEventUnionDeserializer(wire), [String(wire['type'])])
}
