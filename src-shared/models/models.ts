/**
 * The Voice Live model catalogue, as data: the list changes often, so nothing else may hard-code
 * model names as a type. Source: the Voice Live overview (model table, 2026-09-29).
 */

export interface ModelInfo {
  readonly id: string
  /** native: speech goes straight into the model; cascaded: Azure STT → text LLM → Azure TTS. */
  readonly kind: 'native' | 'cascaded'
  readonly tier: 'pro' | 'standard' | 'lite'
  /** OpenAI voices (alloy, marin, ...) only work with the gpt-realtime family. */
  readonly openaiVoices: boolean
  /** Default input transcription model for this model family. */
  readonly transcriptionModel: string
  readonly preview?: boolean
}

const realtime = (id: string, tier: ModelInfo['tier']): ModelInfo => ({
  id,
  kind: 'native',
  tier,
  openaiVoices: true,
  transcriptionModel: 'whisper-1',
})
const cascaded = (id: string, tier: ModelInfo['tier']): ModelInfo => ({
  id,
  kind: 'cascaded',
  tier,
  openaiVoices: false,
  transcriptionModel: 'azure-speech',
})

export const MODELS: readonly ModelInfo[] = [
  realtime('gpt-realtime', 'pro'),
  realtime('gpt-realtime-1.5', 'pro'),
  realtime('gpt-realtime-2.1', 'pro'),
  realtime('gpt-realtime-mini', 'standard'),
  realtime('gpt-realtime-2.1-mini', 'standard'),
  { id: 'azure-realtime', kind: 'native', tier: 'pro', openaiVoices: false, transcriptionModel: 'azure-speech' },
  {
    id: 'phi4-mm-realtime',
    kind: 'native',
    tier: 'lite',
    openaiVoices: false,
    transcriptionModel: 'azure-speech',
    preview: true,
  },
  cascaded('gpt-4o', 'pro'),
  cascaded('gpt-4.1', 'pro'),
  cascaded('gpt-5', 'pro'),
  cascaded('gpt-5-chat', 'pro'),
  cascaded('gpt-5.1', 'pro'),
  cascaded('gpt-5.2', 'pro'),
  cascaded('gpt-5.4', 'pro'),
  cascaded('gpt-5.6-terra', 'pro'),
  cascaded('gpt-4o-mini', 'standard'),
  cascaded('gpt-4.1-mini', 'standard'),
  cascaded('gpt-5-mini', 'standard'),
  cascaded('gpt-5.6-luna', 'standard'),
  cascaded('gpt-4.1-nano', 'lite'),
  cascaded('gpt-5-nano', 'lite'),
]

export const DEFAULT_MODEL = 'gpt-realtime'

/**
 * What we know about a model. Unknown ids (new models, `-datazone` variants, BYOM deployments)
 * are allowed: they get the traits of their family by prefix, else cascaded defaults.
 */
export function modelInfo(id: string): ModelInfo {
  const exact = MODELS.find((model) => model.id === id)
  if (exact) return exact
  const family = [...MODELS].sort((a, b) => b.id.length - a.id.length).find((model) => id.startsWith(`${model.id}-`))
  return family ? { ...family, id } : cascaded(id, 'standard')
}
