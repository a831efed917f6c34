/**
 * `voicelive chat` options: flags, then the environment, then `./.env` (as the quickstart reads it).
 * Everything from the command line and files is checked here, so a mistake is one clear message.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { SessionError } from '../../src-shared/session-model/session-model.js'
import { DEFAULT_MODEL } from '../../src-shared/models/models.js'
import { defaultBuiltInPreset, findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import { parsePreset, sessionPreset, type Preset } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../presets/preset-store.js'
import { cliAppDataDir } from './cli-app-data.js'
import { AuthOptionError, resolveScope, type AuthOptionValues } from '../auth/auth-options.js'
import type { AuthSettings } from '../voice-session/index.js'
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../logging/logger.js'
import { isLoopbackEndpoint, parseEndpoint, type Target } from '../voicelive-protocol/connection-url.js'
import { CredentialOptionError, parseDeveloperCredential } from './credential-options.js'
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
  --entra               sign in with a Microsoft account: a token from the cache of
                        "voicelive auth login" when it can, else in the browser
    --tenant T  --client-id ID  --authority URL  --scope S   as for "voicelive auth login"
                        [VOICE_LIVE_TENANT, VOICE_LIVE_CLIENT_ID, VOICE_LIVE_AUTHORITY, VOICE_LIVE_SCOPE]
  --credential NAME     your existing Azure sign-in, no key: cli (az login), azd (azd auth
                        login) or default (DefaultAzureCredential; may probe the network for a
                        managed identity)                      [VOICE_LIVE_CREDENTIAL]
    --tenant T  --scope S   as for --entra (default: the tool's own tenant; scope
                        https://ai.azure.com/.default, legacy https://cognitiveservices.azure.com/.default)
  --model NAME          model (default: the preset's, else ${DEFAULT_MODEL})  [VOICE_LIVE_MODEL]
  --agent NAME --project NAME [--agent-version V]   talk to a Foundry agent instead of a model
  --api-version V       override the pinned api-version        [AZURE_VOICE_LIVE_API_VERSION]
  --env-file FILE       read this instead of ./.env
Session:
  --preset NAME         a saved preset, by name (any case) or id: "voicelive presets list"
                        shows them (default "${defaultBuiltInPreset().name}")
  --preset-file FILE    a preset JSON file
Audio and output:
  --input FILE.wav      any PCM WAV; converted to 24 kHz mono PCM16
  --frame-ms N          input frame length, 10-100 ms (default 20)
  --pace realtime|fast  send input in real time (default) or as fast as possible
  --output FILE.wav     the assistant's audio, 24 kHz mono PCM16, exactly as received
  --transcript FILE     JSON Lines, one {role, text, item_id} per finished utterance
  --log FILE            structured log (default voicelive.log); secrets are never written
  --log-level LEVEL     info (default), debug (every protocol event; audio and transcript
                        streams stay one line each), warn or error
  --events              print the type of every event sent and received (a stream of audio or
                        transcript events as a few lines, each with its count)
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

/** A mistake in the options or the environment, with the error kind that picks the exit code. */
export class CliFailure extends Error {
  constructor(readonly error: SessionError) {
    super(error.message)
  }
}

const usage = (message: string) => new CliFailure({ kind: 'config', message, retryable: false })

/** `--entra`: the sign-in options, turned into a token provider when the chat starts. */
export interface EntraAuth {
  readonly kind: 'entra'
  readonly options: AuthOptionValues
  /** The environment the options fall back to (process environment over ./.env). */
  readonly env: Readonly<Record<string, string | undefined>>
}

export interface ChatSettings {
  readonly endpoint: string
  readonly auth: AuthSettings | EntraAuth
  /** The Entra scope for --token/--entra: --scope, VOICE_LIVE_SCOPE, else the current default. */
  readonly tokenScope: string
  readonly target: Target
  readonly apiVersion: string | undefined
  readonly preset: Preset
  readonly input: string
  readonly output: string | undefined
  readonly transcript: string | undefined
  readonly log: string
  readonly logLevel: LogLevel
  readonly events: boolean
  readonly frameMs: number
  readonly fast: boolean
  readonly timeoutMs: number
}

async function loadPreset(name: string | undefined, file: string | undefined, io: CliIo): Promise<Preset> {
  const cwd = io.cwd
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
  // Built-ins need no data folder; a user preset's name never equals a built-in's.
  if (name === undefined) return defaultBuiltInPreset()
  const builtIn = findBuiltInPreset(name)
  if (builtIn) return builtIn
  const store = await openPresetStore(cliAppDataDir(io.env), {
    onProblem: (message) => io.stderr(`voicelive: ${message}`),
  })
  const saved = store.find(name)
  if (!saved) throw usage(`unknown preset "${name}"; "voicelive presets list" shows the presets there are`)
  return saved
}

function positiveNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    throw usage(`${flag} expects a number from ${min} to ${max} (got "${text}")`)
  }
  return value
}

export async function parseChatArgs(args: readonly string[], io: CliIo): Promise<ChatSettings | 'help'> {
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
        'client-id': { type: 'string' },
        authority: { type: 'string' },
        credential: { type: 'string' },
        tenant: { type: 'string' },
        scope: { type: 'string' },
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
        'log-level': { type: 'string' },
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
  const signInOptions: AuthOptionValues = {
    tenant: flags.tenant,
    clientId: flags['client-id'],
    authority: flags.authority,
    scope: flags.scope,
  }
  if (flags.entra && (flags['api-key'] !== undefined || flags.token !== undefined || flags.credential !== undefined)) {
    throw usage('use one of --entra, --credential, --token or --api-key')
  }
  if (!flags.entra && (flags['client-id'] ?? flags.authority) !== undefined) {
    throw usage('--client-id and --authority go with --entra')
  }
  const signInEnv = { ...dotenv, ...io.env }
  let tokenScope: string
  let developer: ReturnType<typeof parseDeveloperCredential> = null
  try {
    // --tenant and --scope belong to --entra or --credential; the developer credential checks its own.
    if (!flags.entra) developer = parseDeveloperCredential(flags, env, flags['api-key'] !== undefined || flags.token !== undefined)
    tokenScope = developer?.tokenScope ?? resolveScope(signInOptions, signInEnv)
  } catch (error) {
    if (error instanceof AuthOptionError || error instanceof CredentialOptionError) throw usage(error.message)
    throw error
  }
  const auth: AuthSettings | EntraAuth = flags.entra
    ? { kind: 'entra', options: signInOptions, env: signInEnv }
    : (developer?.auth ?? (token ? { kind: 'token', token } : apiKey ? { kind: 'api-key', apiKey } : { kind: 'none' }))
  if (auth.kind === 'none' && !isLoopbackEndpoint(endpoint)) {
    throw new CliFailure({
      kind: 'auth',
      message: 'no credentials: set AZURE_VOICE_LIVE_API_KEY or AZURE_VOICE_LIVE_TOKEN (or pass --api-key or --token)',
      retryable: false,
    })
  }

  const preset = sessionPreset(await loadPreset(flags.preset, flags['preset-file'], io))
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
  const logLevel = flags['log-level'] ?? 'info'
  if (!isLogLevel(logLevel)) throw usage(`--log-level expects ${LOG_LEVELS.join(', ')} (got "${logLevel}")`)
  const pace = flags.pace ?? 'realtime'
  if (pace !== 'realtime' && pace !== 'fast') throw usage(`--pace expects realtime or fast (got "${pace}")`)
  return {
    endpoint,
    auth,
    tokenScope,
    target,
    apiVersion: flags['api-version'] ?? env('AZURE_VOICE_LIVE_API_VERSION'),
    preset,
    input: path.resolve(io.cwd, flags.input),
    output: flags.output && path.resolve(io.cwd, flags.output),
    transcript: flags.transcript && path.resolve(io.cwd, flags.transcript),
    log: path.resolve(io.cwd, flags.log ?? 'voicelive.log'),
    logLevel,
    events: flags.events ?? false,
    frameMs: positiveNumber('--frame-ms', flags['frame-ms'], 20, 10, 100),
    fast: pace === 'fast',
    timeoutMs: positiveNumber('--timeout', flags.timeout, 120, 1, 3600) * 1000,
  }
}
