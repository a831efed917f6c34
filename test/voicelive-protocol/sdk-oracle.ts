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
