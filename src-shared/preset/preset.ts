/**
 * A preset (scenario): everything the Voice Live playground lets you set for a session, in one
 * JSON-friendly object. Shared by the app, the CLI's `--preset-file` and the local engine.
 * camelCase here; `src-main/voicelive-protocol/preset-session-config.ts` turns it into the wire config.
 * Strict objects: a typo in a preset file is an error that names the key, not a silent default.
 */
import { z } from 'zod'

const prosody = {
  /** HD voice variability, 0–1. */
  temperature: z.number().min(0).max(1).optional(),
  /** Speaking rate, e.g. "1.2" (0.5–1.5) or an SSML prosody value such as "+10%". */
  rate: z.string().max(20).optional(),
}

export const voiceSettingsSchema = z.discriminatedUnion('type', [
  /** Azure neural voices, including HD ones such as "en-US-Ava:DragonHDLatestNeural". */
  z.object({ type: z.literal('azure-standard'), name: z.string().min(1), ...prosody }).strict(),
  z
    .object({ type: z.literal('azure-custom'), name: z.string().min(1), endpointId: z.string().min(1), ...prosody })
    .strict(),
  /** OpenAI voices; gpt-realtime family only. */
  z.object({ type: z.literal('openai'), name: z.string().min(1) }).strict(),
])
export type VoiceSettings = z.infer<typeof voiceSettingsSchema>

export const vadTypes = [
  'azure_semantic_vad',
  'azure_semantic_vad_en',
  'azure_semantic_vad_multilingual',
  'server_vad',
  'semantic_vad',
] as const

export const turnDetectionSettingsSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.enum(vadTypes),
      threshold: z.number().min(0).max(1).optional(),
      prefixPaddingMs: z.number().int().min(0).max(5000).optional(),
      silenceDurationMs: z.number().int().min(0).max(10_000).optional(),
      /** Let the service stop the assistant when the user starts speaking (barge-in). */
      interruptResponse: z.boolean(),
      removeFillerWords: z.boolean().optional(),
      languages: z.array(z.string().min(2)).optional(),
      /** semantic_vad only. */
      eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
      endOfUtterance: z
        .object({
          model: z.string().min(1),
          thresholdLevel: z.enum(['low', 'medium', 'high', 'default']).optional(),
          timeoutMs: z.number().int().min(0).max(10_000).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /** No server turn detection: push-to-talk (the client commits and asks for a response). */
  z.object({ type: z.literal('none') }).strict(),
])
export type TurnDetectionSettings = z.infer<typeof turnDetectionSettingsSchema>

export const functionToolSchema = z
  .object({
    type: z.literal('function'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'tool names are 1–64 letters, digits, _ or -'),
    description: z.string().max(1024),
    parameters: z.record(z.string(), z.unknown()),
  })
  .strict()
export type FunctionTool = z.infer<typeof functionToolSchema>

export const presetSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    /** Model used when none is chosen elsewhere (CLI --model, app settings). */
    model: z.string().min(1).optional(),
    /** Ignored in agent mode: the agent owns its instructions. */
    instructions: z.string().max(20_000),
    modalities: z.enum(['text-and-audio', 'text']).default('text-and-audio'),
    voice: voiceSettingsSchema,
    turnDetection: turnDetectionSettingsSchema,
    noiseSuppression: z.boolean().default(false),
    echoCancellation: z.boolean().default(false),
    /** Transcribe the user's speech; model defaults to the model family's transcriber. */
    inputTranscription: z
      .object({ model: z.string().min(1).optional(), language: z.string().min(2).optional() })
      .strict()
      .nullable()
      .default({}),
    /** The assistant speaks first when the session starts. */
    proactiveGreeting: z
      .object({ enabled: z.boolean(), instructions: z.string().max(2000).optional() })
      .strict()
      .default({ enabled: false }),
    /** Sampling temperature, 0.6–1.2. */
    temperature: z.number().min(0.6).max(1.2).optional(),
    maxOutputTokens: z.union([z.number().int().min(1).max(4096), z.literal('inf')]).optional(),
    tools: z.array(functionToolSchema).default([]),
    /** Mic sample rate sent to the service. */
    inputSampleRate: z.union([z.literal(16_000), z.literal(24_000)]).default(24_000),
  })
  .strict()
export type Preset = z.infer<typeof presetSchema>
export type PresetInput = z.input<typeof presetSchema>

/** Validate a preset read from a file or the UI; the error names the offending key. */
export function parsePreset(value: unknown): { ok: true; preset: Preset } | { ok: false; error: string } {
  const result = presetSchema.safeParse(value)
  if (result.success) return { ok: true, preset: result.data }
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(preset)'}: ${issue.message}`)
  return { ok: false, error: issues.join('; ') }
}
