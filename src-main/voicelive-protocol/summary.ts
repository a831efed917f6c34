/**
 * One-line summaries of wire events for the log file and the diagnostics panel.
 * Audio is replaced by its decoded size (never dumped), long text is clipped, and fields that can
 * carry credentials (MCP tool `authorization`/`headers`, anything named like a key or token) are
 * replaced by "[redacted]" so a summary is always safe to write anywhere.
 */

const AUDIO_FIELDS = new Set(['audio'])
const AUDIO_DELTA_TYPE = 'response.audio.delta'
const SECRET_FIELD = /^(authorization|api[-_]?key|access[-_]?token|token|secret|password|headers|client[-_]?secret)$/i
const MAX_TEXT_CHARS = 200

/** Bytes a base64 string decodes to, without decoding it. */
export function base64DecodedBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding)
}

function summarizeValue(key: string, value: unknown, isAudioDelta: boolean): unknown {
  if (SECRET_FIELD.test(key)) return '[redacted]'
  if (typeof value === 'string') {
    if (AUDIO_FIELDS.has(key) || (isAudioDelta && key === 'delta')) {
      return { audioBytes: base64DecodedBytes(value) }
    }
    return value.length > MAX_TEXT_CHARS ? `${value.slice(0, MAX_TEXT_CHARS)}… (${value.length} chars)` : value
  }
  if (Array.isArray(value)) return value.map((entry) => summarizeValue('', entry, false))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = summarizeValue(k, v, false)
    return out
  }
  return value
}

/** A log-safe copy of an event: audio as sizes, text clipped, secrets redacted. */
export function summarizeEvent(event: {
  readonly type: string
  readonly [field: string]: unknown
}): Record<string, unknown> {
  const isAudioDelta = event.type === AUDIO_DELTA_TYPE
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(event)) out[key] = summarizeValue(key, value, isAudioDelta)
  return out
}

/**
 * Types sent as a stream of many small events: mic appends (50 a second), audio and transcript
 * deltas. The log and the diagnostics count them per run instead of listing each one.
 */
export const isStreamedEventType = (type: string): boolean => type.endsWith('.append') || type.endsWith('.delta')

/** What one streamed event carries: decoded audio bytes, or the UTF-8 bytes of a text delta. */
export function streamedEventBytes(event: { readonly type: string; readonly [field: string]: unknown }): number {
  const { audio, delta } = event
  if (typeof audio === 'string') return base64DecodedBytes(audio)
  if (typeof delta !== 'string') return 0
  return event.type === AUDIO_DELTA_TYPE ? base64DecodedBytes(delta) : Buffer.byteLength(delta, 'utf8')
}
