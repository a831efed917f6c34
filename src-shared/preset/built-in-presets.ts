/** The presets that ship with the app and the CLI (`--preset NAME`). */
import { presetSchema, type Preset, type PresetInput } from './preset.js'

const builtIns: readonly PresetInput[] = [
  {
    name: 'assistant',
    description: 'A friendly, concise voice assistant with semantic turn detection and barge-in.',
    instructions:
      'You are a helpful voice assistant. Answer briefly and conversationally, in the language the user speaks.',
    voice: { type: 'azure-standard', name: 'en-US-Ava:DragonHDLatestNeural', temperature: 0.8 },
    turnDetection: {
      type: 'azure_semantic_vad',
      threshold: 0.3,
      prefixPaddingMs: 200,
      silenceDurationMs: 300,
      interruptResponse: true,
      removeFillerWords: true,
      endOfUtterance: { model: 'semantic_detection_v1', thresholdLevel: 'default', timeoutMs: 1000 },
    },
    noiseSuppression: true,
    echoCancellation: true,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
  },
  {
    name: 'push-to-talk',
    description: 'No server turn detection: hold to talk, release to get the answer.',
    instructions: 'You are a helpful voice assistant. Answer briefly.',
    voice: { type: 'azure-standard', name: 'en-US-AvaNeural' },
    turnDetection: { type: 'none' },
    noiseSuppression: true,
    echoCancellation: false,
    inputTranscription: { model: 'azure-speech', language: 'en-US' },
  },
  {
    name: 'greeter',
    description: 'Speaks first: a receptionist that greets the caller as soon as the session opens.',
    instructions: 'You are the receptionist of a small company. Be warm and brief.',
    voice: { type: 'azure-standard', name: 'en-US-Emma:DragonHDLatestNeural' },
    turnDetection: { type: 'server_vad', threshold: 0.5, silenceDurationMs: 500, interruptResponse: true },
    proactiveGreeting: { enabled: true, instructions: 'Greet the caller and ask how you can help.' },
    inputTranscription: { model: 'azure-speech' },
  },
  {
    name: 'openai-voice',
    description: 'gpt-realtime with an OpenAI voice and semantic VAD.',
    model: 'gpt-realtime',
    instructions: 'You are a helpful voice assistant. Answer briefly.',
    voice: { type: 'openai', name: 'marin' },
    turnDetection: { type: 'semantic_vad', eagerness: 'auto', interruptResponse: true },
    inputTranscription: { model: 'whisper-1' },
  },
]

export const BUILT_IN_PRESETS: readonly Preset[] = builtIns.map((preset) => presetSchema.parse(preset))

export const DEFAULT_PRESET_NAME = 'assistant'

export function findBuiltInPreset(name: string): Preset | undefined {
  return BUILT_IN_PRESETS.find((preset) => preset.name === name)
}
