/**
 * Public types of the session core. Event payloads are exactly the bridge payload types, so the
 * app can forward them to the renderer unchanged and the CLI can print them.
 */
import type {
  AudioFormat,
  ProtocolEvent,
  SessionError,
  SessionState,
  TranscriptEntry,
  TurnMetrics,
} from '../../src-shared/session-model/session-model.js'
import type { Preset } from '../../src-shared/preset/preset.js'
import type { Logger } from '../logging/logger.js'
import type { Target } from '../voicelive-protocol/connection-url.js'

/**
 * Where assistant audio goes. The app implements it over the bridge (renderer playback worklet);
 * the CLI writes a WAV (everything received counts as played).
 */
export interface AudioSink {
  /** PCM16 mono at the session's output rate, for one assistant item, in arrival order. */
  play(itemId: string, pcm16: Uint8Array): void
  /**
   * Stop playback now, drop anything queued, and report how much of the current item the listener
   * really heard; null when nothing was playing. Used to truncate the item at the heard position.
   */
  flush(): Promise<{ itemId: string | null; playedSamples: number } | null>
}

/** Supplies Entra bearer tokens (the MSAL-backed one arrives with sign-in). Called once per connect. */
export interface TokenProvider {
  getToken(scope: string): Promise<string>
}

export type AuthSettings =
  | { readonly kind: 'api-key'; readonly apiKey: string }
  /** A ready bearer token (CLI `--token`). */
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'token-provider'; readonly provider: TokenProvider }
  /** The local engine on 127.0.0.1 needs nothing. */
  | { readonly kind: 'none' }

export interface ConnectionSettings {
  /** https://, wss://, http:// or ws:// (the local engine uses ws://127.0.0.1:PORT). */
  readonly endpoint: string
  readonly auth: AuthSettings
  /** Overrides DEFAULT_API_VERSION. */
  readonly apiVersion?: string | undefined
  readonly target: Target
  /** Entra scope; default TOKEN_SCOPES.default (`https://ai.azure.com/.default`). */
  readonly tokenScope?: string | undefined
}

/** Runs one function tool call; returns the output string sent back to the model. */
export type ToolHandler = (argumentsJson: string, name: string) => Promise<string>

export interface SessionTiming {
  /** Socket open + session.updated must happen within this. Default 15 s. */
  readonly connectTimeoutMs?: number
  /** Waits before each reconnect attempt; its length is the number of attempts. Default 0.5, 1, 2, 4, 8 s. */
  readonly reconnectDelaysMs?: readonly number[]
  /** Start a fresh session (history replayed) once idle after this long; the service caps at 60 min. */
  readonly rolloverAfterMs?: number
}

/** The defaults named above. */
export const DEFAULT_TIMING: Required<SessionTiming> = {
  connectTimeoutMs: 15_000,
  reconnectDelaysMs: [500, 1000, 2000, 4000, 8000],
  rolloverAfterMs: 55 * 60_000,
}

export interface VoiceSessionOptions {
  readonly connection: ConnectionSettings
  readonly preset: Preset
  readonly audioSink: AudioSink
  readonly logger?: Logger
  /** Implementations of the preset's function tools, by name. */
  readonly tools?: Readonly<Record<string, ToolHandler>>
  readonly timing?: SessionTiming
  /** Monotonic clock in ms (tests inject one). */
  readonly now?: () => number
}

/** A final answer to one user turn (no tool follow-up pending). */
export interface TurnDone {
  readonly responseId: string
  readonly status: string
  /** False for a proactive greeting or a response the client asked for without user input. */
  readonly afterUserInput: boolean
}

/** A non-fatal `error` event from the service (most leave the session open). */
export interface ServiceErrorEvent {
  readonly code: string | null
  readonly message: string
}

/** A server frame the client could not use, said at once (the CLI prints it on stderr). */
export interface ProtocolWarning {
  /** The event's type, when the frame had one. */
  readonly type: string | null
  readonly message: string
}

export interface VoiceSessionEvents {
  state: SessionState
  transcript: TranscriptEntry
  metrics: TurnMetrics
  protocol: ProtocolEvent
  'audio-format': AudioFormat
  'service-error': ServiceErrorEvent
  'protocol-warning': ProtocolWarning
  'turn-done': TurnDone
}

/** Thrown by `start()` when the session cannot be opened; `error.kind` drives CLI exit codes. */
export class SessionFailure extends Error {
  override readonly name = 'SessionFailure'
  constructor(readonly error: SessionError) {
    super(error.message)
  }
}
