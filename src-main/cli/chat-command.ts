/**
 * `voicelive chat`: the quickstart, headless and scriptable. Sends a WAV as the user's turn, waits
 * for the reply, writes the reply audio (exact bytes received) and a JSON Lines transcript.
 *
 * Exit codes: 0 ok, 2 usage/config, 3 authentication/authorization, 4 connection/network,
 * 5 service error. Every failure prints one stderr line naming the cause.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { SessionError, SessionErrorKind, TranscriptEntry } from '../../src-shared/bridge/payloads.js'
import { DEFAULT_MODEL } from '../../src-shared/models/models.js'
import { BUILT_IN_PRESETS, DEFAULT_PRESET_NAME, findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import { parsePreset, type Preset } from '../../src-shared/preset/preset.js'
import { readWavFileAsMonoPcm16 } from '../audio-files/convert.js'
import { encodePcm16Wav } from '../audio-files/wav.js'
import { FileLogger } from '../logging/file-logger.js'
import { VoiceSession, SessionFailure, type AudioSink, type AuthSettings } from '../voice-session/index.js'
import { isLoopbackEndpoint, parseEndpoint, type Target } from '../voicelive-protocol/connection-url.js'
import { readDotenv } from './dotenv.js'

export const CHAT_USAGE = `Usage: voicelive chat --input FILE.wav [options]

Sends FILE.wav as your turn to an Azure AI Voice Live model or agent and saves the reply.

Connection (flags win over the environment, which wins over ./.env):
  --endpoint URL        https://<resource>.services.ai.azure.com, or ws://127.0.0.1:PORT for
                        the local engine                       [AZURE_VOICE_LIVE_ENDPOINT]
  --api-key KEY         prefer the environment variable: the command line is visible to
                        other processes                        [AZURE_VOICE_LIVE_API_KEY]
  --token TOKEN         a ready Microsoft Entra bearer token (scope https://ai.azure.com/.default);
                        prefer the environment variable          [AZURE_VOICE_LIVE_TOKEN]
  --entra               interactive Entra sign-in (not available yet)
  --model NAME          model (default: the preset's, else ${DEFAULT_MODEL})  [VOICE_LIVE_MODEL]
  --agent NAME --project NAME [--agent-version V]   talk to a Foundry agent instead of a model
  --api-version V       override the pinned api-version        [AZURE_VOICE_LIVE_API_VERSION]
  --env-file FILE       read this instead of ./.env
Session:
  --preset NAME         ${BUILT_IN_PRESETS.map((preset) => preset.name).join(', ')} (default ${DEFAULT_PRESET_NAME})
  --preset-file FILE    a preset JSON file
Audio and output:
  --input FILE.wav      any PCM WAV; converted to 24 kHz mono PCM16
  --frame-ms N          input frame length, 10-100 ms (default 20)
  --pace realtime|fast  send input in real time (default) or as fast as possible
  --output FILE.wav     the assistant's audio, 24 kHz mono PCM16, exactly as received
  --transcript FILE     JSON Lines, one {role, text, item_id} per finished utterance
  --log FILE            structured log (default voicelive.log); secrets are never written
  --events              print the type of every event sent and received
  --timeout SECONDS     give up when the reply has not finished after this long (default 120)

Exit codes: 0 ok, 2 usage/config, 3 authentication, 4 connection/network, 5 service error,
130 interrupted (Ctrl+C; the output files still hold what was received).`

/** Where the CLI talks to the world; tests pass their own. */
export interface CliIo {
  readonly stdout: (line: string) => void
  readonly stderr: (line: string) => void
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

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

class CliFailure extends Error {
  constructor(readonly error: SessionError) {
    super(error.message)
  }
}

const usage = (message: string) => new CliFailure({ kind: 'config', message, retryable: false })

/** Trailing silence after the input, so the server's VAD can see the end of the turn. */
const TRAILING_SILENCE_MS = 2000
/** How long to wait after the input for the server's VAD before committing the turn by hand. */
const VAD_GRACE_MS = 3000

interface ChatSettings {
  readonly endpoint: string
  readonly auth: AuthSettings
  readonly target: Target
  readonly apiVersion: string | undefined
  readonly preset: Preset
  readonly input: string
  readonly output: string | undefined
  readonly transcript: string | undefined
  readonly log: string
  readonly events: boolean
  readonly frameMs: number
  readonly fast: boolean
  readonly timeoutMs: number
}

function loadPreset(name: string | undefined, file: string | undefined, cwd: string): Preset {
  if (name && file) throw usage('use either --preset or --preset-file, not both')
  if (file) {
    const full = path.resolve(cwd, file)
    let json: unknown
    try {
      json = JSON.parse(readFileSync(full, 'utf8'))
    } catch (error) {
      throw usage(`cannot read the preset file ${file}: ${(error as Error).message}`)
    }
    const parsed = parsePreset(json)
    if (!parsed.ok) throw usage(`the preset file ${file} is invalid: ${parsed.error}`)
    return parsed.preset
  }
  const preset = findBuiltInPreset(name ?? DEFAULT_PRESET_NAME)
  if (!preset) {
    throw usage(`unknown preset "${name}"; choose one of ${BUILT_IN_PRESETS.map((p) => p.name).join(', ')}`)
  }
  return preset
}

function positiveNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    throw usage(`${flag} expects a number from ${min} to ${max} (got "${text}")`)
  }
  return value
}

function parseChatArgs(args: readonly string[], io: CliIo): ChatSettings | 'help' {
  let parsed: ReturnType<typeof parse>
  function parse() {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        endpoint: { type: 'string' },
        'api-key': { type: 'string' },
        token: { type: 'string' },
        entra: { type: 'boolean' },
        model: { type: 'string' },
        agent: { type: 'string' },
        project: { type: 'string' },
        'agent-version': { type: 'string' },
        'api-version': { type: 'string' },
        'env-file': { type: 'string' },
        preset: { type: 'string' },
        'preset-file': { type: 'string' },
        input: { type: 'string' },
        'frame-ms': { type: 'string' },
        pace: { type: 'string' },
        output: { type: 'string' },
        transcript: { type: 'string' },
        log: { type: 'string' },
        events: { type: 'boolean' },
        timeout: { type: 'string' },
      },
    })
  }
  try {
    parsed = parse()
  } catch (error) {
    throw usage((error as Error).message.split('\n')[0] ?? 'invalid arguments')
  }
  const flags = parsed.values
  if (flags.help) return 'help'
  if (flags.entra) {
    throw usage('--entra (interactive Microsoft Entra sign-in) is not available yet; pass --token TOKEN or an API key')
  }
  let dotenv: Record<string, string>
  try {
    dotenv = readDotenv(path.resolve(io.cwd, flags['env-file'] ?? '.env'))
  } catch (error) {
    throw usage((error as Error).message)
  }
  if (flags['env-file'] && Object.keys(dotenv).length === 0) {
    throw usage(`the env file ${flags['env-file']} does not exist or sets nothing`)
  }
  const env = (name: string): string | undefined => {
    const value = io.env[name] ?? dotenv[name]
    return value?.trim() ? value.trim() : undefined
  }

  const endpoint = flags.endpoint ?? env('AZURE_VOICE_LIVE_ENDPOINT')
  if (!endpoint) throw usage('no endpoint: pass --endpoint or set AZURE_VOICE_LIVE_ENDPOINT')
  try {
    parseEndpoint(endpoint)
  } catch (error) {
    throw usage((error as Error).message)
  }
  if (flags['api-key'] !== undefined && flags.token !== undefined)
    throw usage('use either --api-key or --token, not both')
  // Flags first; then a token from the environment (Entra is the recommended auth), then a key.
  const token = flags.token ?? (flags['api-key'] === undefined ? env('AZURE_VOICE_LIVE_TOKEN') : undefined)
  const apiKey = flags['api-key'] ?? env('AZURE_VOICE_LIVE_API_KEY')
  const auth: AuthSettings = token ? { kind: 'token', token } : apiKey ? { kind: 'api-key', apiKey } : { kind: 'none' }
  if (auth.kind === 'none' && !isLoopbackEndpoint(endpoint)) {
    throw new CliFailure({
      kind: 'auth',
      message: 'no credentials: set AZURE_VOICE_LIVE_API_KEY or AZURE_VOICE_LIVE_TOKEN (or pass --api-key or --token)',
      retryable: false,
    })
  }

  const preset = loadPreset(flags.preset, flags['preset-file'], io.cwd)
  let target: Target
  if (flags.agent !== undefined || flags.project !== undefined) {
    if (!flags.agent || !flags.project) throw usage('agent mode needs both --agent NAME and --project NAME')
    if (flags.model) throw usage('use either --model or --agent, not both')
    target = { kind: 'agent', agentName: flags.agent, projectName: flags.project, agentVersion: flags['agent-version'] }
  } else {
    if (flags['agent-version']) throw usage('--agent-version needs --agent and --project')
    target = { kind: 'model', model: flags.model ?? env('VOICE_LIVE_MODEL') ?? preset.model ?? DEFAULT_MODEL }
  }
  if (!flags.input) throw usage('no input: pass --input FILE.wav')
  for (const [flag, file] of [
    ['--output', flags.output],
    ['--transcript', flags.transcript],
    ['--log', flags.log],
  ] as const) {
    if (file && !existsSync(path.dirname(path.resolve(io.cwd, file)))) {
      throw usage(`${flag}: the folder ${path.dirname(file)} does not exist`)
    }
  }
  const pace = flags.pace ?? 'realtime'
  if (pace !== 'realtime' && pace !== 'fast') throw usage(`--pace expects realtime or fast (got "${pace}")`)
  return {
    endpoint,
    auth,
    target,
    apiVersion: flags['api-version'] ?? env('AZURE_VOICE_LIVE_API_VERSION'),
    preset,
    input: path.resolve(io.cwd, flags.input),
    output: flags.output && path.resolve(io.cwd, flags.output),
    transcript: flags.transcript && path.resolve(io.cwd, flags.transcript),
    log: path.resolve(io.cwd, flags.log ?? 'voicelive.log'),
    events: flags.events ?? false,
    frameMs: positiveNumber('--frame-ms', flags['frame-ms'], 20, 10, 100),
    fast: pace === 'fast',
    timeoutMs: positiveNumber('--timeout', flags.timeout, 120, 1, 3600) * 1000,
  }
}

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
    settings = parseChatArgs(args, io)
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
    const sink = new WavFileSink()
    const session = new VoiceSession({
      connection: {
        endpoint: settings.endpoint,
        auth: settings.auth,
        target: settings.target,
        apiVersion: settings.apiVersion,
      },
      preset: settings.preset,
      audioSink: sink,
      logger,
    })
    // Ctrl+C (or a kill) still closes the session properly and writes what was received.
    const interrupt = new AbortController()
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
  const end = (outcome: SessionError | null | 'interrupted') => {
    over = true
    finished(outcome)
  }
  interrupt.addEventListener('abort', () => {
    end('interrupted')
    void session.stop() // also ends a start() still connecting
  })
  session.on('protocol', (event) => {
    if (settings.events) io.stdout(`${event.direction === 'client' ? '->' : '<-'} ${event.type}`)
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
      await session.releaseToTalk()
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
