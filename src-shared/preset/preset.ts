/**
 * A preset (scenario): everything the Voice Live playground lets you set for a session, in one
 * JSON-friendly object. Shared by the app, the CLI's `--preset-file` and the local engine.
 * camelCase here; `src-main/voicelive-protocol/preset-session-config.ts` turns it into the wire config.
 * Strict objects: a typo in a preset file is an error that names the key, not a silent default.
 */
import { z } from 'zod'

/** The preset format's version: files without one are the first format, migrated on load. */
export const PRESET_VERSION = 1

const RATE_RANGE = 'must be between 0.5 and 1.5'

/** Speaking rate as the service takes it: a decimal string from 0.5 to 1.5 ("1.2"). A number in a
 * hand-written file is accepted and stored as that string. */
const speakingRate = z
  .union([z.string().max(20), z.number()], { error: 'must be a number between 0.5 and 1.5' })
  .transform((value, context) => {
    const text = String(value).trim()
    const rate = Number(text)
    if (text === '' || !Number.isFinite(rate) || rate < 0.5 || rate > 1.5) {
      context.addIssue({ code: 'custom', message: RATE_RANGE })
      return z.NEVER
    }
    return text
  })

const prosody = {
  /** HD voice variability, 0–1. */
  temperature: z.number().min(0).max(1).optional(),
  /** Speaking rate, 0.5–1.5 (the playground's "playback speed"). */
  rate: speakingRate.optional(),
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

/** Hands-free: the service's turn detection decides when you have finished. Push-to-talk: you
 * hold a key or button, and the app commits your turn when you let go (no server turn detection). */
export const talkModes = ['hands-free', 'push-to-talk'] as const
export type TalkMode = (typeof talkModes)[number]

/** The browser's own mic processing (getUserMedia constraints). Off by default: the service's
 * echo cancellation and noise suppression expect the raw signal (notes/peers.md). */
export const captureProcessingSchema = z
  .object({
    echoCancellation: z.boolean().default(false),
    noiseSuppression: z.boolean().default(false),
    autoGainControl: z.boolean().default(false),
  })
  .strict()
export type CaptureProcessing = z.infer<typeof captureProcessingSchema>

/** A stable id: what the store, `--preset` and the tray menu key on; the UI shows `name`. */
export const presetIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1–64 lowercase letters, digits or -, starting with a letter or digit')

/** Display names are kept exactly as written (any script); only blank and control characters are refused. */
export const presetNameSchema = z
  .string()
  .max(100)
  .refine((name) => name.trim().length > 0, 'must not be blank')
  .refine(
    (name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f'),
    'must not contain control characters',
  )

export const presetSchema = z
  .object({
    version: z.literal(PRESET_VERSION).default(PRESET_VERSION),
    /** Absent in a hand-written or `--preset-file` file; the store gives every saved preset one. */
    id: presetIdSchema.optional(),
    name: presetNameSchema,
    description: z.string().max(500).optional(),
    talkMode: z.enum(talkModes).default('hands-free'),
    captureProcessing: captureProcessingSchema.default({
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    }),
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

/** `voice.rate`, `tools[0].name`: where a problem is, the way a user reads a JSON file. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

/** Every problem of a candidate preset, one `path: message` line each (`voice.rate: must be between 0.5 and 1.5`). */
export function presetProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = formatIssuePath(issue.path)
    const where = prefix && path ? `${prefix}.${path}` : prefix || path || '(preset)'
    // zod says "expected string, received undefined"; a user reads "is required".
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
    return `${where}: ${missing ? 'is required' : issue.message}`
  })
}

/** Validate a preset read from a file or the UI; the error names every offending key. */
export function parsePreset(value: unknown): { ok: true; preset: Preset } | { ok: false; error: string } {
  const result = presetSchema.safeParse(value)
  if (result.success) return { ok: true, preset: result.data }
  return { ok: false, error: presetProblems(result.error).join('; ') }
}

/** The preset as a session runs it: push-to-talk means no server turn detection, whatever else it says. */
export function sessionPreset<P extends Preset>(preset: P, talkMode: TalkMode = preset.talkMode): P {
  return talkMode === 'push-to-talk' ? { ...preset, turnDetection: { type: 'none' } } : preset
}
