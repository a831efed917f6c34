/**
 * Payload schemas for the bridge between the renderer and main.
 * Every message that crosses the bridge is described here once; the channel table in
 * `contract.ts` pairs each channel with one of these schemas. Main validates everything the
 * renderer sends against them, because the renderer is the less trusted side.
 */
import { z } from 'zod'
import { presetSchema } from '../preset/preset.js'

/** Largest mic frame main accepts: 100 ms of PCM16 mono at 48 kHz. Frames are 20 ms by default. */
export const MAX_MIC_FRAME_BYTES = 9_600

/** Bytes of PCM16 little-endian mono audio. Always a whole number of samples. */
const pcm16Bytes = (maxBytes: number) =>
  z
    .instanceof(Uint8Array, { message: 'expected binary PCM16 audio (Uint8Array)' })
    .refine((bytes) => bytes.byteLength % 2 === 0, 'PCM16 audio must be a whole number of 2-byte samples')
    .refine((bytes) => bytes.byteLength <= maxBytes, `PCM16 audio frame is larger than ${maxBytes} bytes`)

export const emptyRequestSchema = z.object({}).strict()
export const emptyResponseSchema = z.object({}).strict()

// ---------------------------------------------------------------------------------------------
// App
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport carries the bridge: the Electron app, or the browser harness. */
  transport: z.enum(['electron', 'harness']),
  /** Electron-only capabilities; the harness reports them as absent and the UI says so. */
  features: z.object({
    tray: z.boolean(),
    globalHotkey: z.boolean(),
    secureStorage: z.boolean(),
  }),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const openExternalRequestSchema = z.object({ url: z.string().max(2048) }).strict()

// ---------------------------------------------------------------------------------------------
// Session state, shown by the connection status region.

/** Distinct, human-meaningful failure kinds. The CLI maps them to exit codes, the UI to messages. */
export const sessionErrorKindSchema = z.enum([
  'config', // bad settings or preset (CLI exit 2)
  'auth', // 401/403, missing or rejected credentials (CLI exit 3)
  'not_found', // 404: wrong endpoint, model or agent (CLI exit 4)
  'rate_limit', // 429 (CLI exit 5)
  'policy', // close 1008
  'duration_cap', // close 4008 / session_expired
  'network', // DNS, refused, reset, dropped (CLI exit 4)
  'timeout', // connect timeout (CLI exit 4)
  'protocol', // malformed frames from the service (CLI exit 5)
  'service', // error events, 1011, other server-side failures (CLI exit 5)
])
export type SessionErrorKind = z.infer<typeof sessionErrorKindSchema>

export const sessionErrorSchema = z.object({
  kind: sessionErrorKindSchema,
  message: z.string(),
  /** True when trying again later may work (the UI shows Retry). */
  retryable: z.boolean(),
})
export type SessionError = z.infer<typeof sessionErrorSchema>

export const sessionStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }),
  z.object({ status: z.literal('connecting'), step: z.string() }),
  z.object({
    status: z.literal('live'),
    sessionId: z.string(),
    turnDetection: z.enum(['vad', 'push-to-talk']),
  }),
  z.object({
    status: z.literal('reconnecting'),
    attempt: z.number().int().positive(),
    retryInMs: z.number().nonnegative(),
    reason: z.string(),
  }),
  z.object({ status: z.literal('error'), error: sessionErrorSchema }),
])
export type SessionState = z.infer<typeof sessionStateSchema>

// ---------------------------------------------------------------------------------------------
// Conversation

/** One utterance, sent whole each time it changes: small, and the UI never has to merge. */
export const transcriptEntrySchema = z.object({
  itemId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  status: z.enum(['in_progress', 'done', 'truncated', 'failed']),
})
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>

export const turnMetricsSchema = z.object({
  responseId: z.string(),
  /** User speech end (speech_stopped, or commit in push-to-talk) → first response delta. */
  speechEndToFirstDeltaMs: z.number().nullable(),
  /** User speech end → first audio delta: the latency the user hears. */
  speechEndToFirstAudioMs: z.number().nullable(),
  /** User speech end → response.done. */
  speechEndToDoneMs: z.number().nullable(),
  audioBytesSent: z.number().int().nonnegative(),
  audioBytesReceived: z.number().int().nonnegative(),
  tokens: z
    .object({ input: z.number().int(), output: z.number().int(), total: z.number().int() })
    .nullable(),
  status: z.string(),
})
export type TurnMetrics = z.infer<typeof turnMetricsSchema>

/** A row of the diagnostics event log. Audio payloads are summarised by size, never included. */
export const protocolEventSchema = z.object({
  direction: z.enum(['client', 'server']),
  type: z.string(),
  atMs: z.number(),
  summary: z.record(z.string(), z.unknown()),
  /** How many consecutive events of this direction and type this one stands for (default 1);
   * `atMs` and `summary` are the latest one's. Main merges runs such as mic appends. */
  count: z.number().int().min(1).optional(),
})
export type ProtocolEvent = z.infer<typeof protocolEventSchema>

// ---------------------------------------------------------------------------------------------
// Audio streams: exact-size binary, never JSON or base64.

/** How the renderer must capture: sent by main when a session starts. */
export const audioFormatSchema = z.object({
  inputSampleRate: z.union([z.literal(16_000), z.literal(24_000)]),
  outputSampleRate: z.union([z.literal(16_000), z.literal(24_000)]),
  frameMs: z.number().int().min(10).max(100),
})
export type AudioFormat = z.infer<typeof audioFormatSchema>

/** Mic → main: one capture frame of PCM16 mono at `inputSampleRate`. */
export const micFrameSchema = pcm16Bytes(MAX_MIC_FRAME_BYTES)

/** Main → renderer: assistant audio for one conversation item, PCM16 mono at `outputSampleRate`. */
export const playbackChunkSchema = z.object({
  itemId: z.string().min(1).max(200),
  pcm: pcm16Bytes(1 << 20),
})
export type PlaybackChunk = z.infer<typeof playbackChunkSchema>

/** Main → renderer: silence output now and report what was really played (barge-in). */
export const playbackFlushSchema = z.object({ requestId: z.number().int().nonnegative() })

/**
 * Renderer → main: how many samples of an assistant item the speaker really rendered.
 * Sent in reply to a flush (with its requestId) so the session can truncate at the heard position.
 */
export const playbackPositionSchema = z
  .object({
    requestId: z.number().int().nonnegative().nullable(),
    itemId: z.string().max(200).nullable(),
    playedSamples: z.number().int().nonnegative(),
  })
  .strict()
export type PlaybackPosition = z.infer<typeof playbackPositionSchema>

/** Main → renderer: open or close the push-to-talk capture gate (e.g. from a hotkey). */
export const captureGateSchema = z.object({ open: z.boolean() })

// ---------------------------------------------------------------------------------------------
// App services: settings, exports, diagnostics, push-to-talk (src-main/app-services/).

/** Where Start connects: the in-process local engine (no set-up), or an Azure resource with a key,
 * or with the developer's own Azure CLI sign-in (`az login`: no key, no app registration). */
export const connectionProfileSchema = z.enum(['local-engine', 'api-key', 'azure-cli'])
export type ConnectionProfile = z.infer<typeof connectionProfileSchema>

const deviceLabel = z.string().max(500).nullable()

/** Browser capture processing and devices, applied by the renderer's audio pipeline. */
export const audioSettingsSchema = z.object({
  /** Chosen devices, remembered by label (ids change between runs); null = system default. */
  inputDeviceLabel: deviceLabel,
  outputDeviceLabel: deviceLabel,
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
})
export type AudioSettings = z.infer<typeof audioSettingsSchema>

/** The settings as the renderer sees them: the API key itself never leaves main. */
/** What a session talks to: the preset's generative model, or a Foundry agent (which owns its instructions). */
export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model') }).strict(),
  z
    .object({
      kind: z.literal('agent'),
      name: z.string().max(256),
      project: z.string().max(256),
      version: z.string().max(64),
    })
    .strict(),
])
export type Target = z.infer<typeof targetSchema>

export const settingsViewSchema = z.object({
  target: targetSchema,
  connection: z.object({
    profile: connectionProfileSchema,
    endpoint: z.string(),
    apiVersion: z.string(),
    apiKeySet: z.boolean(),
    /** False in the harness (no safeStorage): the key then lives only for this run. */
    apiKeyPersisted: z.boolean(),
  }),
  audio: audioSettingsSchema,
  talkMode: z.enum(['hands-free', 'push-to-talk']),
  /** Keep the session's audio in main so it can be exported as a stereo WAV. */
  recordAudio: z.boolean(),
})
export type SettingsView = z.infer<typeof settingsViewSchema>

export const settingsUpdateSchema = z
  .object({
    target: targetSchema.optional(),
    connection: z
      .object({
        profile: connectionProfileSchema.optional(),
        endpoint: z.string().max(2048).optional(),
        apiVersion: z.string().max(64).optional(),
        /** A new key, or null to forget the stored one; absent leaves it as it is. */
        apiKey: z.string().max(512).nullable().optional(),
      })
      .strict()
      .optional(),
    audio: audioSettingsSchema.partial().strict().optional(),
    talkMode: z.enum(['hands-free', 'push-to-talk']).optional(),
    recordAudio: z.boolean().optional(),
  })
  .strict()
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>

/** The settings fields an update touches; main's stored settings and the renderer's view differ
 * only in their `connection`. */
interface UpdatableSettings<Connection extends object> {
  readonly target: Target
  readonly connection: Connection
  readonly audio: AudioSettings
  readonly talkMode: SettingsView['talkMode']
  readonly recordAudio: boolean
}

/** What `change` makes of `current`: main applies it, and the renderer shows it before main
 * answers. The API key is left out: main keeps it apart, and the renderer never holds it. */
export function applySettingsUpdate<Connection extends object>(
  current: UpdatableSettings<Connection>,
  change: SettingsUpdate,
): UpdatableSettings<Connection> {
  const { apiKey: _secret, ...connection } = change.connection ?? {}
  return {
    target: change.target ?? current.target,
    connection: { ...current.connection, ...connection },
    audio: { ...current.audio, ...change.audio },
    talkMode: change.talkMode ?? current.talkMode,
    recordAudio: change.recordAudio ?? current.recordAudio,
  }
}

export const exportTranscriptRequestSchema = z.object({ format: z.enum(['markdown', 'json']) }).strict()
/** Where main wrote an export or found the log, and whether it could open it for the user. */
export const savedFileSchema = z.object({ path: z.string(), opened: z.boolean() })
export type SavedFile = z.infer<typeof savedFileSchema>

/** Main → renderer: a non-fatal `error` event from the service; the session stays open. */
export const serviceErrorSchema = z.object({ code: z.string().nullable(), message: z.string() })

/** Main → renderer: who the session connects as, for the status bar (e.g. "alice@contoso.com (Azure
 * CLI)"); null with a key or the local engine. A name at most, never a credential. */
export const sessionIdentitySchema = z.object({ label: z.string().max(300).nullable() })

/** Renderer → main: the in-window hold-to-talk key (Space) went down or up. */
export const pushToTalkSchema = z.object({ pressed: z.boolean() }).strict()

/** The scenario picker: the built-in presets, and the current (possibly edited) one. */
export const presetListSchema = z.object({
  presets: z.array(z.object({ name: z.string(), description: z.string().optional() })),
  current: presetSchema,
})
export const presetSelectSchema = z.object({ name: z.string().max(100) }).strict()
export const presetUpdateSchema = z.object({ preset: presetSchema }).strict()

/** The model catalogue (`src-shared/models/`), grouped by the UI by kind and tier. */
export const modelCatalogueSchema = z.object({
  defaultModel: z.string(),
  models: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['native', 'cascaded']),
      tier: z.enum(['pro', 'standard', 'lite']),
      openaiVoices: z.boolean(),
      transcriptionModel: z.string(),
      preview: z.boolean().optional(),
    }),
  ),
})
