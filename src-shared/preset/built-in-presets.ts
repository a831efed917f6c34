/**
 * The presets that ship with the app and the CLI, mirroring the Voice Live playground's sample
 * scenarios ("Casual chat") and the Voice Live samples' presets (teacher, customer service).
 * Read-only: the app offers "duplicate" and "reset to defaults", never an edit in place. Their ids
 * are stable forever (saved "last used" choices and scripts refer to them); the names of the first
 * release (`assistant`, `push-to-talk`) still resolve through `LEGACY_BUILT_IN_IDS`.
 */
import { presetSchema, type Preset, type PresetInput } from './preset.js'

/** Azure semantic VAD with barge-in: the quickstart's turn detection. */
const semanticVad = {
  type: 'azure_semantic_vad',
  threshold: 0.3,
  prefixPaddingMs: 200,
  silenceDurationMs: 300,
  interruptResponse: true,
  removeFillerWords: true,
  endOfUtterance: { model: 'semantic_detection_v1', thresholdLevel: 'default', timeoutMs: 1000 },
} as const

const builtIns: readonly (PresetInput & { id: string })[] = [
  {
    id: 'casual-chat',
    name: 'Casual chat',
    description: 'The quickstart: a friendly, concise voice assistant with semantic turn detection and barge-in.',
    instructions:
      'You are a helpful voice assistant. Answer briefly and conversationally, in the language the user speaks.',
    voice: { type: 'azure-standard', name: 'en-US-Ava:DragonHDLatestNeural', temperature: 0.8 },
    turnDetection: semanticVad,
    noiseSuppression: true,
    echoCancellation: true,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
  },
  {
    id: 'language-tutor',
    name: 'Language tutor',
    description: 'Practise a language: short turns, gentle corrections, a slower voice.',
    instructions:
      'You are a patient language tutor. Speak in the language the learner practises, in short simple sentences. ' +
      'When the learner makes a mistake, repeat the sentence correctly once, then carry on the conversation.',
    voice: { type: 'azure-standard', name: 'en-US-Emma:DragonHDLatestNeural', rate: '0.9' },
    turnDetection: { ...semanticVad, type: 'azure_semantic_vad_multilingual', silenceDurationMs: 600 },
    noiseSuppression: true,
    echoCancellation: true,
    inputTranscription: { model: 'azure-speech' },
  },
  {
    id: 'interview-practice',
    name: 'Interview practice',
    description: 'A job interviewer who asks one question at a time and gives feedback at the end.',
    instructions:
      'You are a friendly but demanding job interviewer. Ask one question at a time, listen to the whole answer, ' +
      'and ask a follow-up when it is vague. When the candidate says they are done, give three points of feedback.',
    voice: { type: 'azure-standard', name: 'en-US-Andrew:DragonHDLatestNeural' },
    turnDetection: { ...semanticVad, silenceDurationMs: 800, interruptResponse: false },
    noiseSuppression: true,
    echoCancellation: true,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
    proactiveGreeting: { enabled: true, instructions: 'Introduce yourself and ask the first interview question.' },
  },
  {
    id: 'customer-support',
    name: 'Customer support',
    description: 'A calm support agent that confirms details and keeps answers short.',
    instructions:
      'You are a customer support agent. Be calm and polite, confirm names and numbers by repeating them, ' +
      'and keep every answer under three sentences.',
    voice: { type: 'azure-standard', name: 'en-US-Ava:DragonHDLatestNeural' },
    turnDetection: semanticVad,
    noiseSuppression: true,
    echoCancellation: true,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
    proactiveGreeting: { enabled: true, instructions: 'Greet the customer and ask how you can help.' },
  },
  {
    id: 'push-to-talk-assistant',
    name: 'Push-to-talk assistant',
    description: 'No server turn detection: hold to talk, release to get the answer.',
    talkMode: 'push-to-talk',
    instructions: 'You are a helpful voice assistant. Answer briefly.',
    voice: { type: 'azure-standard', name: 'en-US-AvaNeural' },
    turnDetection: { type: 'none' },
    noiseSuppression: true,
    echoCancellation: false,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
  },
  {
    id: 'greeter',
    name: 'Greeter',
    description: 'Speaks first: a receptionist that greets the caller as soon as the session opens.',
    instructions: 'You are the receptionist of a small company. Be warm and brief.',
    voice: { type: 'azure-standard', name: 'en-US-Emma:DragonHDLatestNeural' },
    turnDetection: { type: 'server_vad', threshold: 0.5, silenceDurationMs: 500, interruptResponse: true },
    proactiveGreeting: { enabled: true, instructions: 'Greet the caller and ask how you can help.' },
    inputTranscription: { model: 'azure-speech' },
  },
  {
    id: 'openai-voice',
    name: 'OpenAI voice',
    description: 'gpt-realtime with an OpenAI voice and semantic VAD.',
    model: 'gpt-realtime',
    instructions: 'You are a helpful voice assistant. Answer briefly.',
    voice: { type: 'openai', name: 'marin' },
    turnDetection: { type: 'semantic_vad', eagerness: 'auto', interruptResponse: true },
    inputTranscription: { model: 'whisper-1' },
  },
]

export type BuiltInPreset = Preset & { readonly id: string }

export const BUILT_IN_PRESETS: readonly BuiltInPreset[] = builtIns.map((preset) => ({
  ...presetSchema.parse(preset),
  id: preset.id,
}))

export const DEFAULT_PRESET_ID = 'casual-chat'

/** The first release's internal names, kept so old scripts and `current-preset.json` files resolve. */
export const LEGACY_BUILT_IN_IDS: Readonly<Record<string, string>> = {
  assistant: 'casual-chat',
  'push-to-talk': 'push-to-talk-assistant',
  greeter: 'greeter',
  'openai-voice': 'openai-voice',
}

export function isBuiltInId(id: string): boolean {
  return BUILT_IN_PRESETS.some((preset) => preset.id === id)
}

/** A built-in by id, display name (any case) or legacy name. */
export function findBuiltInPreset(key: string): BuiltInPreset | undefined {
  const wanted = key.trim().toLowerCase()
  const id = LEGACY_BUILT_IN_IDS[wanted] ?? wanted
  return BUILT_IN_PRESETS.find((preset) => preset.id === id || preset.name.toLowerCase() === wanted)
}

export function defaultBuiltInPreset(): BuiltInPreset {
  const preset = findBuiltInPreset(DEFAULT_PRESET_ID)
  if (!preset) throw new Error(`The default built-in preset "${DEFAULT_PRESET_ID}" is missing.`)
  return preset
}
