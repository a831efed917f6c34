/**
 * Wire format for carrying the bridge contract over a WebSocket (the browser harness).
 * Every message is one binary frame:
 *
 *   [u32 LE: header length][header: UTF-8 JSON][binary parts, back to back]
 *
 * Byte arrays inside a payload (a top-level `Uint8Array`, or one in a top-level field such as
 * `pcm`) are lifted out of the JSON and sent raw, so audio never becomes JSON or base64.
 */
import { z } from 'zod'

const binaryPartSchema = z.object({ field: z.string().nullable(), length: z.number().int().nonnegative() })

export const wireEnvelopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hello'), token: z.string() }),
  z.object({ kind: z.literal('welcome') }),
  z.object({ kind: z.literal('command'), id: z.number().int(), channel: z.string() }),
  z.object({ kind: z.literal('result'), id: z.number().int() }),
  z.object({ kind: z.literal('send'), channel: z.string() }),
  z.object({ kind: z.literal('event'), channel: z.string() }),
])
export type WireEnvelope = z.infer<typeof wireEnvelopeSchema>

export interface WireMessage {
  readonly envelope: WireEnvelope
  readonly payload?: unknown
}

const headerSchema = z.object({
  envelope: wireEnvelopeSchema,
  payload: z.unknown().optional(),
  binary: z.array(binaryPartSchema).max(8),
})

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** Largest frame either side accepts; a playback chunk is at most 1 MiB of audio. */
export const MAX_WIRE_FRAME_BYTES = 2 * 1024 * 1024

export function encodeWireMessage(message: WireMessage): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = []
  const binary: { field: string | null; length: number }[] = []
  let payload = message.payload
  if (payload instanceof Uint8Array) {
    parts.push(payload)
    binary.push({ field: null, length: payload.byteLength })
    payload = undefined
  } else if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const rest: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(payload)) {
      if (value instanceof Uint8Array) {
        parts.push(value)
        binary.push({ field, length: value.byteLength })
      } else {
        rest[field] = value
      }
    }
    payload = rest
  }
  const header = utf8Encoder.encode(JSON.stringify({ envelope: message.envelope, payload, binary }))
  const total = 4 + header.byteLength + parts.reduce((sum, part) => sum + part.byteLength, 0)
  const frame = new Uint8Array(total)
  new DataView(frame.buffer).setUint32(0, header.byteLength, true)
  frame.set(header, 4)
  let offset = 4 + header.byteLength
  for (const part of parts) {
    frame.set(part, offset)
    offset += part.byteLength
  }
  return frame
}

/** Decodes one frame; throws an Error with a specific reason on anything malformed. */
export function decodeWireMessage(frame: Uint8Array): WireMessage {
  if (frame.byteLength > MAX_WIRE_FRAME_BYTES) throw new Error(`frame of ${frame.byteLength} bytes is too large`)
  if (frame.byteLength < 4) throw new Error('frame is shorter than its 4-byte header length')
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true)
  if (4 + headerLength > frame.byteLength) throw new Error('header length runs past the end of the frame')
  let json: unknown
  try {
    json = JSON.parse(utf8Decoder.decode(frame.subarray(4, 4 + headerLength)))
  } catch {
    throw new Error('header is not valid UTF-8 JSON')
  }
  const header = headerSchema.safeParse(json)
  if (!header.success) throw new Error(`header is malformed: ${header.error.issues[0]?.message ?? 'unknown'}`)
  let offset = 4 + headerLength
  let payload = header.data.payload
  for (const part of header.data.binary) {
    if (offset + part.length > frame.byteLength) throw new Error('binary part runs past the end of the frame')
    // Copy into an exact-size plain Uint8Array so the consumer never holds the whole frame alive
    // (in Node the frame is a Buffer, whose slice() is a view, not a copy).
    const bytes = new Uint8Array(part.length)
    bytes.set(frame.subarray(offset, offset + part.length))
    offset += part.length
    if (part.field === null) payload = bytes
    else if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
      payload = { ...(payload as Record<string, unknown>), [part.field]: bytes }
    } else throw new Error('binary field given for a payload that is not an object')
  }
  if (offset !== frame.byteLength) throw new Error('frame has trailing bytes')
  return payload === undefined ? { envelope: header.data.envelope } : { envelope: header.data.envelope, payload }
}
