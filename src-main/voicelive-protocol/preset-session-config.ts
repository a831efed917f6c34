/**
 * Preset (camelCase, app-facing) → `session.update.session` (snake_case wire config).
 * Every playground setting is mapped; `interrupt_response` is always explicit because the docs
 * disagree on its default.
 */
import { modelInfo } from '../../src-shared/models/models.js'
import type { Preset, TurnDetectionSettings, VoiceSettings } from '../../src-shared/preset/preset.js'
import { ConfigError, type Target } from './connection-url.js'
import type { SessionConfig, Tool, TurnDetection } from './events.js'

function wireVoice(voice: VoiceSettings): NonNullable<SessionConfig['voice']> {
  if (voice.type === 'openai') return { type: 'openai', name: voice.name }
  const prosody = {
    ...(voice.temperature !== undefined && { temperature: voice.temperature }),
    ...(voice.rate !== undefined && { rate: voice.rate }),
  }
  if (voice.type === 'azure-custom') {
    return { type: 'azure-custom', name: voice.name, endpoint_id: voice.endpointId, ...prosody }
  }
  return { type: 'azure-standard', name: voice.name, ...prosody }
}

function wireTurnDetection(settings: TurnDetectionSettings): TurnDetection | null {
  if (settings.type === 'none') return null
  const isAzureSemantic = settings.type.startsWith('azure_semantic_vad')
  return {
    type: settings.type,
    ...(settings.threshold !== undefined && { threshold: settings.threshold }),
    ...(settings.prefixPaddingMs !== undefined && { prefix_padding_ms: settings.prefixPaddingMs }),
    ...(settings.silenceDurationMs !== undefined && { silence_duration_ms: settings.silenceDurationMs }),
    ...(settings.type === 'semantic_vad' && settings.eagerness !== undefined && { eagerness: settings.eagerness }),
    ...(isAzureSemantic &&
      settings.removeFillerWords !== undefined && {
        remove_filler_words: settings.removeFillerWords,
      }),
    ...(settings.type === 'azure_semantic_vad_multilingual' || settings.type === 'azure_semantic_vad'
      ? settings.languages !== undefined && { languages: settings.languages }
      : {}),
    ...(settings.endOfUtterance !== undefined &&
      settings.type !== 'semantic_vad' && {
        end_of_utterance_detection: {
          model: settings.endOfUtterance.model,
          ...(settings.endOfUtterance.thresholdLevel !== undefined && {
            threshold_level: settings.endOfUtterance.thresholdLevel,
          }),
          ...(settings.endOfUtterance.timeoutMs !== undefined && { timeout_ms: settings.endOfUtterance.timeoutMs }),
        },
      }),
    create_response: true,
    interrupt_response: settings.interruptResponse,
  }
}

/** The model the session runs, for model-dependent defaults (null in agent mode). */
function targetModel(target: Target): string | null {
  return target.kind === 'model' ? target.model : null
}

/** Build the wire session config. Throws `ConfigError` for combinations the service rejects. */
export function sessionConfigFromPreset(preset: Preset, target: Target): SessionConfig {
  const model = targetModel(target)
  const info = model ? modelInfo(model) : null
  if (preset.voice.type === 'openai' && info && !info.openaiVoices) {
    throw new ConfigError(
      `OpenAI voice "${preset.voice.name}" needs a gpt-realtime model; ${model} uses Azure voices (azure-standard).`,
    )
  }
  if (preset.turnDetection.type === 'semantic_vad' && info && !info.openaiVoices) {
    throw new ConfigError(`semantic_vad works only with gpt-realtime models; use azure_semantic_vad with ${model}.`)
  }
  const config: SessionConfig = {
    modalities: preset.modalities === 'text' ? ['text'] : ['text', 'audio'],
    voice: wireVoice(preset.voice),
    input_audio_format: 'pcm16',
    input_audio_sampling_rate: preset.inputSampleRate,
    output_audio_format: 'pcm16',
    turn_detection: wireTurnDetection(preset.turnDetection),
    input_audio_noise_reduction: preset.noiseSuppression ? { type: 'azure_deep_noise_suppression' } : null,
    input_audio_echo_cancellation: preset.echoCancellation ? { type: 'server_echo_cancellation' } : null,
    input_audio_transcription: preset.inputTranscription
      ? {
          model: preset.inputTranscription.model ?? info?.transcriptionModel ?? 'azure-speech',
          ...(preset.inputTranscription.language !== undefined && { language: preset.inputTranscription.language }),
        }
      : null,
  }
  // In agent mode the agent owns instructions, tools and sampling; sending them is an error.
  if (target.kind === 'model') {
    config.instructions = preset.instructions
    if (preset.temperature !== undefined) config.temperature = preset.temperature
    if (preset.maxOutputTokens !== undefined) config.max_response_output_tokens = preset.maxOutputTokens
    if (preset.tools.length > 0) {
      config.tools = preset.tools.map((tool): Tool => ({
        type: 'function',
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
      }))
      config.tool_choice = 'auto'
    }
  }
  return config
}
