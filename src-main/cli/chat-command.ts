/**
 * `voicelive chat`: the quickstart, headless and scriptable. Sends a WAV as the user's turn, waits
 * for the reply, writes the reply audio (exact bytes received) and a JSON Lines transcript.
 *
 * Exit codes: 0 ok, 2 usage/config, 3 authentication/authorization, 4 connection/network,
 * 5 service error, 130 interrupted. Every failure prints one stderr line naming the cause.
 */
import { writeFileSync } from 'node:fs'
import type { SessionError, SessionErrorKind, TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import { readWavFileAsMonoPcm16 } from '../pcm-audio/wav-to-pcm16.js'
import { encodePcm16Wav } from '../pcm-audio/wav.js'
import { redactingTokens } from '../auth/developer-credential.js'
import { FileLogger } from '../logging/file-logger.js'
import { AuthOptionError } from '../auth/auth-options.js'
import type { MicrosoftSignIn } from '../auth/microsoft-sign-in.js'
import { openNodeSignIn } from '../auth/node-sign-in.js'
import { VoiceSession, SessionFailure, type AudioSink, type AuthSettings } from '../voice-session/index.js'
import { CHAT_USAGE, CliFailure, parseChatArgs, type ChatSettings, type CliIo } from './chat-args.js'

export const EXIT_CODES: Record<SessionErrorKind, number> = {
  config: 2,
  auth: 3,
  not_found: 4,
  network: 4,
  timeout: 4,
  rate_limit: 5,
  policy: 5,
  duration_cap: 5,
  protocol: 5,
  service: 5,
}

/** The shell convention for "stopped by Ctrl+C" (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130

/** Trailing silence after the input, so the server's VAD can see the end of the turn. */
const TRAILING_SILENCE_MS = 2000
/** How long to wait after the input for the server's VAD before committing the turn by hand. */
const VAD_GRACE_MS = 3000

/** The CLI's audio sink: keeps every byte received; nothing is played, so all of it counts as heard. */
class WavFileSink implements AudioSink {
  private readonly chunks: Uint8Array[] = []
  private readonly bytesByItem = new Map<string, number>()
  private lastItem: string | null = null

  play(itemId: string, pcm16: Uint8Array): void {
    this.chunks.push(Uint8Array.from(pcm16))
    this.bytesByItem.set(itemId, (this.bytesByItem.get(itemId) ?? 0) + pcm16.byteLength)
    this.lastItem = itemId
  }

  async flush(): Promise<{ itemId: string | null; playedSamples: number } | null> {
    if (!this.lastItem) return null
    return { itemId: this.lastItem, playedSamples: (this.bytesByItem.get(this.lastItem) ?? 0) / 2 }
  }

  pcm(): Uint8Array {
    return Buffer.concat(this.chunks)
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Send PCM in frames, paced against the wall clock (no drift) unless `fast`. */
async function streamFrames(
  session: VoiceSession,
  pcm: Uint8Array,
  frameBytes: number,
  frameMs: number,
  fast: boolean,
  stopped: () => boolean,
): Promise<void> {
  const start = performance.now()
  for (let offset = 0, index = 0; offset < pcm.byteLength && !stopped(); offset += frameBytes, index++) {
    session.appendAudio(pcm.subarray(offset, Math.min(offset + frameBytes, pcm.byteLength)))
    const due = start + (index + 1) * frameMs - performance.now()
    if (!fast && due > 0) await sleep(due)
    else if (index % 50 === 49) await sleep(0) // let replies in even when sending fast
  }
}

/** Run `voicelive chat`; resolves with the exit code. */
export async function chatCommand(args: readonly string[], io: CliIo): Promise<number> {
  let settings: ChatSettings | 'help'
  try {
    settings = await parseChatArgs(args, io)
  } catch (error) {
    if (error instanceof CliFailure) {
      io.stderr(
        `voicelive chat: ${error.message}${error.error.kind === 'config' ? ' (see voicelive chat --help)' : ''}`,
      )
      return EXIT_CODES[error.error.kind]
    }
    throw error
  }
  if (settings === 'help') {
    io.stdout(CHAT_USAGE)
    return 0
  }
  return runChat(settings, io)
}

async function runChat(settings: ChatSettings, io: CliIo): Promise<number> {
  const logger = new FileLogger({ path: settings.log })
  if (settings.auth.kind === 'api-key') logger.addSecret(settings.auth.apiKey)
  if (settings.auth.kind === 'token') logger.addSecret(settings.auth.token)
  const fail = (error: SessionError): number => {
    logger.log('error', 'chat failed', { kind: error.kind, message: error.message })
    io.stderr(`voicelive chat: ${error.message}`)
    return EXIT_CODES[error.kind]
  }
  try {
    let input: Uint8Array
    try {
      input = (await readWavFileAsMonoPcm16(settings.input, settings.preset.inputSampleRate)).pcm16
    } catch (error) {
      return fail({ kind: 'config', message: `cannot use the input: ${(error as Error).message}`, retryable: false })
    }
    // The service rejects a turn of less than 100 ms; say so now rather than wait for a reply.
    if (input.byteLength < (settings.preset.inputSampleRate / 10) * 2) {
      return fail({
        kind: 'config',
        message: `the input ${settings.input} holds less than 100 ms of audio`,
        retryable: false,
      })
    }
    const interrupt = new AbortController()
    const auth = await resolveAuth(settings, io, logger, interrupt.signal)
    if ('message' in auth) return fail(auth)
    const sink = new WavFileSink()
    const session = new VoiceSession({
      connection: {
        endpoint: settings.endpoint,
        // Every token a provider hands out is registered with the log's redactor as it arrives.
        auth:
          auth.kind === 'token-provider'
            ? { kind: 'token-provider', provider: redactingTokens(auth.provider, (token) => logger.addSecret(token)) }
            : auth,
        target: settings.target,
        apiVersion: settings.apiVersion,
        tokenScope: settings.tokenScope,
      },
      preset: settings.preset,
      audioSink: sink,
      logger,
    })
    // Ctrl+C (or a kill) still closes the session properly and writes what was received.
    const onSignal = () => interrupt.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    let outcome: SessionError | null | 'interrupted'
    try {
      outcome = await converse(session, settings, input, io, interrupt.signal)
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    await session.stop()
    try {
      writeOutputs(settings, sink, session.audioFormat.outputSampleRate, session.transcriptEntries(), io)
    } catch (error) {
      return fail({ kind: 'config', message: `cannot write the output: ${(error as Error).message}`, retryable: false })
    }
    if (outcome === 'interrupted') {
      logger.log('info', 'chat interrupted by a signal')
      io.stderr('voicelive chat: interrupted; the output files hold what was received so far')
      return EXIT_INTERRUPTED
    }
    return outcome ? fail(outcome) : 0
  } finally {
    logger.close()
  }
}

/**
 * `--entra`: a token provider over the cached sign-in (silent, refreshed when expired), falling
 * back to the browser; the session core asks it before every connect. Tokens join the log's
 * secrets the moment they exist.
 */
async function resolveAuth(
  settings: ChatSettings,
  io: CliIo,
  logger: FileLogger,
  signal: AbortSignal,
): Promise<AuthSettings | SessionError> {
  if (settings.auth.kind !== 'entra') return settings.auth
  let signIn: MicrosoftSignIn
  try {
    signIn = await openNodeSignIn({
      values: settings.auth.options,
      env: settings.auth.env,
      warn: (line) => io.stderr(`voicelive chat: ${line}`),
      cache: 'file',
      logger,
    })
  } catch (error) {
    if (error instanceof AuthOptionError) return { kind: 'config', message: error.message, retryable: false }
    throw error
  }
  const provider = signIn.tokenProvider({ interactive: true, signal })
  return {
    kind: 'token-provider',
    provider: {
      getToken: async (scope) => {
        const token = await provider.getToken(scope)
        logger.addSecret(token)
        return token
      },
    },
  }
}

/** Connect, stream the input, and wait for the reply. Returns the error that ended it, if any. */
async function converse(
  session: VoiceSession,
  settings: ChatSettings,
  input: Uint8Array,
  io: CliIo,
  interrupt: AbortSignal,
): Promise<SessionError | null | 'interrupted'> {
  let finished: (outcome: SessionError | null | 'interrupted') => void = () => undefined
  const done = new Promise<SessionError | null | 'interrupted'>((resolve) => (finished = resolve))
  let over = false
  let heardSpeech = false
  let speechHeard: () => void = () => undefined
  const speech = new Promise<void>((resolve) => (speechHeard = resolve))
  // Our own audio appends (50 a second) would drown the listing: print each run of them as one
  // line with a count, just before the next other event (or when the chat ends).
  let pendingAppends = 0
  const printPendingAppends = () => {
    if (pendingAppends > 0) io.stdout(`-> input_audio_buffer.append ×${pendingAppends}`)
    pendingAppends = 0
  }
  const end = (outcome: SessionError | null | 'interrupted') => {
    over = true
    printPendingAppends()
    finished(outcome)
  }
  interrupt.addEventListener('abort', () => {
    end('interrupted')
    void session.stop() // also ends a start() still connecting
  })
  session.on('protocol', (event) => {
    if (settings.events) {
      if (event.direction === 'client' && event.type === 'input_audio_buffer.append') pendingAppends++
      else {
        printPendingAppends()
        io.stdout(`${event.direction === 'client' ? '->' : '<-'} ${event.type}`)
      }
    }
    const warning =
      event.type === 'warning' ? (event.summary['warning'] as { message?: unknown } | undefined) : undefined
    if (typeof warning?.message === 'string') io.stderr(`voicelive chat: service warning: ${warning.message}`)
    if (event.type === 'input_audio_buffer.speech_started' || event.type === 'input_audio_buffer.committed') {
      heardSpeech = true
      speechHeard()
    }
  })
  session.on('transcript', (entry) => {
    if (entry.status === 'done' || entry.status === 'truncated') io.stdout(`${entry.role}: ${entry.text}`)
  })
  session.on('metrics', (turn) => {
    if (turn.speechEndToDoneMs === null) return
    const ms = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value)} ms`)
    const tokens = turn.tokens ? `; tokens in ${turn.tokens.input}, out ${turn.tokens.output}` : ''
    io.stderr(
      `voicelive chat: reply ${turn.status}: first audio ${ms(turn.speechEndToFirstAudioMs)} after your speech ended, ` +
        `done after ${ms(turn.speechEndToDoneMs)}; ${(turn.audioBytesReceived / 2 / session.audioFormat.outputSampleRate).toFixed(2)} s of audio${tokens}`,
    )
  })
  session.on('turn-done', (turn) => {
    // A cancelled answer was interrupted by more speech in the file: the answer to that comes next.
    if (turn.afterUserInput && !turn.status.startsWith('cancel')) end(null)
  })
  session.on('protocol-warning', (warning) => io.stderr(`voicelive chat: warning: ${warning.message}`))
  session.on('service-error', (error) =>
    end({
      kind: 'service',
      message: `the service reported an error: ${error.message}${error.code ? ` (${error.code})` : ''}`,
      retryable: false,
    }),
  )
  session.on('state', (state) => {
    if (state.status === 'error') end(state.error)
    if (state.status === 'reconnecting')
      io.stderr(`voicelive chat: reconnecting (attempt ${state.attempt}): ${state.reason}`)
  })
  const timer = setTimeout(
    () => end({ kind: 'service', message: `no complete reply within ${settings.timeoutMs / 1000} s`, retryable: true }),
    settings.timeoutMs,
  )
  try {
    try {
      await session.start()
    } catch (error) {
      if (interrupt.aborted) return 'interrupted'
      if (error instanceof SessionFailure) return error.error
      throw error
    }
    const rate = settings.preset.inputSampleRate
    const frameBytes = Math.round((rate * settings.frameMs) / 1000) * 2
    const stopped = () => over
    if (settings.preset.turnDetection.type === 'none') {
      await session.pressToTalk()
      await streamFrames(session, input, frameBytes, settings.frameMs, settings.fast, stopped)
      session.releaseToTalk()
    } else {
      await streamFrames(session, input, frameBytes, settings.frameMs, settings.fast, stopped)
      const silence = new Uint8Array(Math.round((rate * TRAILING_SILENCE_MS) / 1000) * 2)
      await streamFrames(session, silence, frameBytes, settings.frameMs, settings.fast, stopped)
      // Sent fast, the audio may still be in the service's queue: give its VAD time before deciding.
      let grace: NodeJS.Timeout | undefined
      await Promise.race([speech, done, new Promise((resolve) => (grace = setTimeout(resolve, VAD_GRACE_MS)))])
      clearTimeout(grace)
      if (!heardSpeech && !over) {
        io.stderr('voicelive chat: the service detected no speech in the input; committing it as the turn')
        session.commitInput()
      }
    }
    return await done
  } finally {
    clearTimeout(timer)
  }
}

function writeOutputs(
  settings: ChatSettings,
  sink: WavFileSink,
  sampleRate: number,
  entries: readonly TranscriptEntry[],
  io: CliIo,
): void {
  if (settings.output) {
    const pcm = sink.pcm()
    writeFileSync(settings.output, encodePcm16Wav(pcm, sampleRate))
    io.stderr(`voicelive chat: ${(pcm.byteLength / 2 / sampleRate).toFixed(2)} s of reply audio → ${settings.output}`)
  }
  if (settings.transcript) {
    const lines = entries
      .filter((entry) => (entry.status === 'done' || entry.status === 'truncated') && entry.text !== '')
      .map((entry) => JSON.stringify({ role: entry.role, text: entry.text, item_id: entry.itemId }))
    writeFileSync(settings.transcript, lines.map((line) => `${line}\n`).join(''))
  }
}
