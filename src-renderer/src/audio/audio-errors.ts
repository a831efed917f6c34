/** Audio failures the UI can explain to a person, each with a specific kind and message. */

export type AudioErrorKind =
  | 'mic-denied'
  | 'mic-not-found'
  | 'mic-busy'
  | 'mic-unplugged'
  | 'output-device'
  | 'unsupported'
  | 'audio-engine'

export class AudioPipelineError extends Error {
  override readonly name = 'AudioPipelineError'
  constructor(
    readonly kind: AudioErrorKind,
    message: string,
    /** True when the pipeline recovered by itself (e.g. switched to the default device). */
    readonly recovered = false,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

const named = (device: string | null): string => (device ? `The microphone "${device}"` : 'The microphone')

/** Turns a getUserMedia rejection into a message that says what happened and what to do. */
export function micOpenError(error: unknown, device: string | null): AudioPipelineError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : ''
  const cause = { cause: error }
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new AudioPipelineError(
        'mic-denied',
        'Microphone access was denied. Allow microphone access for Voice Live Desktop in your system privacy settings, then start again.',
        false,
        cause,
      )
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new AudioPipelineError('mic-not-found', 'No microphone was found. Plug one in, then start again.', false, cause)
    case 'NotReadableError':
    case 'AbortError':
      return new AudioPipelineError(
        'mic-busy',
        `${named(device)} could not be opened: another application may be using it, or it stopped responding.`,
        false,
        cause,
      )
    default:
      return new AudioPipelineError(
        'audio-engine',
        `${named(device)} could not be opened: ${error instanceof Error ? error.message : String(error)}`,
        false,
        cause,
      )
  }
}
