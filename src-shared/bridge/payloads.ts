/**
 * Payload schemas for the bridge between the renderer and main.
 * Every message that crosses the bridge is described here once, except the session's own domain
 * model (state, transcript, metrics, audio format), which lives in `src-shared/session-model/`
 * because the CLI and the session core use it with no bridge. The channel table in `contract.ts`
 * pairs each channel with one of these schemas. Main validates everything the
 * renderer sends against them, because the renderer is the less trusted side.
 */
import { z } from 'zod'

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
  /** Capabilities that depend on the host; the harness reports them as absent and the UI says so. */
  features: z.object({
    /** The API key can be stored encrypted (Electron safeStorage). */
    secureStorage: z.boolean(),
  }),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const openExternalRequestSchema = z.object({ url: z.string().max(2048) }).strict()

// ---------------------------------------------------------------------------------------------
// Audio streams: exact-size binary, never JSON or base64.

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

/**
 * Main → renderer: push-to-talk as its one owner in main sees it (src-main/push-to-talk/). The
 * window only follows: it shows the phase, plays the cue, and shows the notice and the global key.
 */
export const pushToTalkStateSchema = z.object({
  /** What the running session uses (hands-free when none runs). */
  mode: z.enum(['hands-free', 'push-to-talk']),
  /** off: no live session; held: the key is down; tail: released, the last audio still going out. */
  phase: z.enum(['off', 'idle', 'held', 'tail']),
  /** A sound to play now (if cues are on). */
  cue: z.enum(['press', 'release']).nullable(),
  /** Why the last press did nothing, or what went wrong, in words. */
  notice: z.string().nullable(),
  /** The global key on this desktop; null where there is none (the browser harness). */
  globalKey: z
    .object({ mode: z.enum(['hold', 'toggle', 'off']), hotkey: z.string(), reason: z.string().optional() })
    .nullable(),
})
export type PushToTalkState = z.infer<typeof pushToTalkStateSchema>

// ---------------------------------------------------------------------------------------------
// App services: settings, exports, diagnostics, push-to-talk (src-main/app-services/).

/** Where Start connects: the in-process local engine (no set-up), or an Azure resource with a key,
 * with a Microsoft account's token, or with the developer's own Azure CLI sign-in (`az login`: no
 * key, no app registration). */
export const connectionProfileSchema = z.enum(['local-engine', 'api-key', 'microsoft-account', 'azure-cli'])
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
  /** A short sound on push-to-talk press and release. */
  pushToTalkCues: z.boolean(),
  /** The global push-to-talk key, as an accelerator ("Control+Alt+Space"). */
  pushToTalkHotkey: z.string(),
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
    pushToTalkCues: z.boolean().optional(),
    /** Checked by main (src-shared/hotkey/); a key that would fire while typing is refused. */
    pushToTalkHotkey: z.string().max(64).optional(),
  })
  .strict()
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>

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
