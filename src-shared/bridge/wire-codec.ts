/**
 * Wire format for carrying the bridge contract over a WebSocket (the browser harness).
 * Every message is one binary frame:
 *
 *   [u32 LE: header length][header: UTF-8 JSON][binary parts, back to back]
 *
 * Byte arrays inside a payload (a top-level `Uint8Array`, or one in a top-level field such as
 * `pcm`) are lifted out of the JSON and sent raw, so audio never becomes JSON or base64.
 */
export type WireEnvelope =
  | { readonly kind: 'hello'; readonly token: string }
  | { readonly kind: 'welcome' }
  | { readonly kind: 'command'; readonly id: number; readonly channel: string }
  | { readonly kind: 'result'; readonly id: number }
  | { readonly kind: 'send'; readonly channel: string }
  | { readonly kind: 'event'; readonly channel: string }

interface BinaryPart {
  readonly field: string | null
  readonly length: number
}

export interface WireMessage {
  readonly envelope: WireEnvelope
  readonly payload?: unknown
}

/** Most binary parts one message may carry (a payload has at most a few byte-array fields). */
const MAX_BINARY_PARTS = 8

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * Checks a decoded header by hand rather than with a schema: this codec also runs in the renderer (the
 * harness transport), whose bundle must stay free of the schema library. Returns what is wrong, or null.
 */
function headerProblem(header: unknown): string | null {
  if (!isRecord(header)) return 'header is not an object'
  const { envelope, binary } = header
  if (!isRecord(envelope)) return 'envelope is missing'
  const hasString = (key: string) => typeof envelope[key] === 'string'
  const hasId = () => Number.isInteger(envelope['id'])
  const valid: Record<string, () => boolean> = {
    hello: () => hasString('token'),
    welcome: () => true,
    command: () => hasId() && hasString('channel'),
    result: hasId,
    send: () => hasString('channel'),
    event: () => hasString('channel'),
  }
  const kind = envelope['kind']
  if (typeof kind !== 'string' || !Object.hasOwn(valid, kind)) return `unknown envelope kind ${JSON.stringify(kind)}`
  if (!valid[kind]!()) return `envelope of kind ${kind} lacks its fields`
  if (!Array.isArray(binary) || binary.length > MAX_BINARY_PARTS) return `binary must be a list of at most ${MAX_BINARY_PARTS} parts`
  const badPart = binary.some(
    (part) =>
      !isRecord(part) ||
      !(part['field'] === null || typeof part['field'] === 'string') ||
      !Number.isInteger(part['length']) ||
      (part['length'] as number) < 0,
  )
  return badPart ? 'binary part needs a field (string or null) and a length (whole number >= 0)' : null
}

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** Largest frame either side accepts; a playback chunk is at most 1 MiB of audio. */
export const MAX_WIRE_FRAME_BYTES = 2 * 1024 * 1024

export function encodeWireMessage(message: WireMessage): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = []
  const binary: BinaryPart[] = []
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
  const problem = headerProblem(json)
  if (problem !== null) throw new Error(`header is malformed: ${problem}`)
  const header = json as { envelope: WireEnvelope; payload?: unknown; binary: BinaryPart[] }
  let offset = 4 + headerLength
  let payload = header.payload
  for (const part of header.binary) {
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
  return payload === undefined ? { envelope: header.envelope } : { envelope: header.envelope, payload }
}
