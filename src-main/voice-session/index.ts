/** The Voice Live session core (pure Node, no Electron). */
export { VoiceSession } from './voice-session.js'
export {
  SessionFailure,
  type AudioSink,
  type AuthSettings,
  type ProtocolWarning,
  type ConnectionSettings,
  type ServiceErrorEvent,
  type SessionTiming,
  type TokenProvider,
  type ToolHandler,
  type TurnDone,
  type VoiceSessionEvents,
  type VoiceSessionOptions,
} from './types.js'
