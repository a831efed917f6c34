/**
 * The engine's side of `session.update`: which fields it accepts, their defaults, and the service's
 * error shape for the ones it does not (`unknown_parameter` / `invalid_value` with a `param` path).
 * An update with any bad field is rejected whole, like the service does.
 */
import type { SessionConfig, TurnDetection } from '../voicelive-protocol/events.js'
import type { TurnDetectorSettings } from './turn-detector.js'

export interface ConfigError {
  readonly code: 'unknown_parameter' | 'invalid_value' | 'invalid_type'
  readonly param: string
  readonly message: string
}

/** Fields of `session` the engine knows. Those it cannot act on are accepted and echoed back. */
const SESSION_FIELDS = new Set([
  'model', 'modalities', 'instructions', 'voice', 'input_audio_format', 'input_audio_sampling_rate',
  'output_audio_format', 'turn_detection', 'input_audio_noise_reduction', 'input_audio_echo_cancellation',
  'input_audio_transcription', 'tools', 'tool_choice', 'temperature', 'max_response_output_tokens',
  'animation', 'avatar', 'output_audio_timestamp_types', 'interim_response', 'include', 'metadata',
  'reasoning_effort',
])
const TURN_DETECTION_FIELDS = new Set([
  'type', 'threshold', 'prefix_padding_ms', 'silence_duration_ms', 'speech_duration_ms', 'create_response',
  'interrupt_response', 'auto_truncate', 'remove_filler_words', 'languages', 'eagerness', 'end_of_utterance_detection',
])
export const TURN_DETECTION_TYPES = ['server_vad', 'semantic_vad', 'azure_semantic_vad', 'azure_semantic_vad_en', 'azure_semantic_vad_multilingual'] as const
const INPUT_RATES = [24_000, 16_000]
/** Output formats the engine can produce, with their sample rates. */
export const OUTPUT_FORMATS: Readonly<Record<string, number>> = { pcm16: 24_000, pcm16_16000hz: 16_000, pcm16_8000hz: 8_000 }
const MODALITIES = ['text', 'audio', 'avatar', 'animation']

export interface EngineSession extends SessionConfig {
  readonly id: string
  readonly model: string
  readonly modalities: string[]
  readonly input_audio_format: string
  readonly input_audio_sampling_rate: number
  readonly output_audio_format: string
  readonly turn_detection: TurnDetection | null
}

export function defaultSession(id: string, model: string): EngineSession {
  return {
    id,
    object: 'realtime.session',
    model,
    modalities: ['text', 'audio'],
    instructions: '',
    voice: { type: 'azure-standard', name: 'en-US-AvaNeural' },
    input_audio_format: 'pcm16',
    input_audio_sampling_rate: 24_000,
    output_audio_format: 'pcm16',
    turn_detection: withTurnDefaults({ type: 'server_vad' }),
    input_audio_noise_reduction: null,
    input_audio_echo_cancellation: null,
    input_audio_transcription: null,
    tools: [],
    tool_choice: 'auto',
    temperature: 0.8,
    max_response_output_tokens: 'inf',
  }
}

/** Turn detection with every number the detector needs filled in. */
type TurnWithDefaults = TurnDetection &
  Required<Pick<TurnDetection, 'threshold' | 'prefix_padding_ms' | 'silence_duration_ms' | 'speech_duration_ms'>>

function withTurnDefaults(turn: TurnDetection): TurnWithDefaults {
  const azure = turn.type.startsWith('azure_semantic_vad')
  return {
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    speech_duration_ms: azure ? 80 : 200,
    create_response: true,
    interrupt_response: true,
    ...turn,
  }
}

const unknown = (param: string): ConfigError => ({ code: 'unknown_parameter', param, message: `Unknown parameter: '${param}'.` })
const invalid = (param: string, value: unknown, expected: string): ConfigError => ({
  code: 'invalid_value',
  param,
  message: `Invalid value: ${JSON.stringify(value)}. ${expected}`,
})
const oneOf = (values: readonly unknown[]) => `Supported values are: ${values.map((v) => `'${String(v)}'`).join(', ')}.`

function checkNumber(param: string, value: unknown, min: number, max: number): ConfigError | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    return invalid(param, value, `Expected a number between ${min} and ${max}.`)
  }
  return null
}

function checkTurnDetection(value: unknown): ConfigError | { readonly turn: TurnDetection | null } {
  if (value === null) return { turn: null }
  if (typeof value !== 'object' || Array.isArray(value)) return invalid('session.turn_detection', value, 'Expected an object or null.')
  const turn = value as Record<string, unknown>
  for (const key of Object.keys(turn)) if (!TURN_DETECTION_FIELDS.has(key)) return unknown(`session.turn_detection.${key}`)
  if (!TURN_DETECTION_TYPES.includes(turn['type'] as (typeof TURN_DETECTION_TYPES)[number])) {
    return invalid('session.turn_detection.type', turn['type'], oneOf(TURN_DETECTION_TYPES))
  }
  const ranges: Record<string, [number, number]> = {
    threshold: [0, 1],
    prefix_padding_ms: [0, 10_000],
    silence_duration_ms: [0, 10_000],
    speech_duration_ms: [0, 10_000],
  }
  for (const [key, [min, max]] of Object.entries(ranges)) {
    if (key in turn) {
      const error = checkNumber(`session.turn_detection.${key}`, turn[key], min, max)
      if (error) return error
    }
  }
  for (const key of ['create_response', 'interrupt_response', 'auto_truncate', 'remove_filler_words']) {
    if (key in turn && typeof turn[key] !== 'boolean') return invalid(`session.turn_detection.${key}`, turn[key], 'Expected a boolean.')
  }
  return { turn: withTurnDefaults(turn as TurnDetection) }
}

/** Apply a `session.update` payload to the current session: the new session, or the first error. */
export function applySessionUpdate(current: EngineSession, update: Record<string, unknown>): EngineSession | ConfigError {
  for (const key of Object.keys(update)) if (!SESSION_FIELDS.has(key)) return unknown(`session.${key}`)
  const next: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(update)) {
    const param = `session.${key}`
    switch (key) {
      case 'model':
        if (value !== current.model) return invalid(param, value, 'The model is fixed by the connection URL.')
        break
      case 'modalities':
        if (!Array.isArray(value) || !value.every((m) => MODALITIES.includes(m as string)) || !value.includes('text')) {
          return invalid(param, value, `Expected a list of ${oneOf(MODALITIES)} that includes 'text'.`)
        }
        break
      case 'input_audio_format':
        if (value !== 'pcm16') return invalid(param, value, `The local engine supports only 'pcm16'.`)
        break
      case 'input_audio_sampling_rate':
        if (!INPUT_RATES.includes(value as number)) return invalid(param, value, oneOf(INPUT_RATES))
        break
      case 'output_audio_format':
        if (typeof value !== 'string' || !(value in OUTPUT_FORMATS)) return invalid(param, value, oneOf(Object.keys(OUTPUT_FORMATS)))
        break
      case 'turn_detection': {
        const checked = checkTurnDetection(value)
        if ('code' in checked) return checked
        next[key] = checked.turn
        continue
      }
      case 'instructions':
        if (typeof value !== 'string') return invalid(param, value, 'Expected a string.')
        break
      case 'temperature': {
        const error = checkNumber(param, value, 0.6, 1.2)
        if (error) return error
        break
      }
      case 'input_audio_transcription':
        if (value !== null && (typeof value !== 'object' || typeof (value as { model?: unknown }).model !== 'string')) {
          return invalid(param, value, 'Expected null or an object with a string "model".')
        }
        break
    }
    next[key] = value
  }
  return next as EngineSession
}

export const isConfigError = (value: EngineSession | ConfigError): value is ConfigError => 'code' in value && 'param' in value

export function turnDetectorSettings(turn: TurnDetection): TurnDetectorSettings {
  // The session's turn detection already has its defaults; this keeps one table of them.
  const complete = withTurnDefaults(turn)
  return {
    threshold: complete.threshold,
    prefixPaddingMs: complete.prefix_padding_ms,
    silenceDurationMs: complete.silence_duration_ms,
    speechDurationMs: complete.speech_duration_ms,
  }
}

export const outputSampleRate = (session: EngineSession): number => OUTPUT_FORMATS[session.output_audio_format] ?? 24_000
