/**
 * `voicelive serve`: run the local Voice Live-compatible engine until SIGINT/SIGTERM.
 * When ready it prints exactly one line to stdout, `listening on ws://HOST:PORT`; everything else
 * goes to stderr. The API key is never printed.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { engineFaultsSchema, type EngineFaults } from '../engine/faults.js'
import { startLocalEngine } from '../engine/server.js'

/** Where the key may come from instead of the command line (which other processes can read). */
export const SERVE_API_KEY_ENV = 'VOICELIVE_SERVE_API_KEY'

/** ~22 MB of memory each; more than this is a typo, not a plan. */
const MAX_READY_DECODERS = 32

export const SERVE_USAGE = `Usage: voicelive serve [--host 127.0.0.1] [--port 0] [--api-key KEY] [--ready-decoders N] [faults] [--script-file FILE]

Runs a local Voice Live-compatible engine on ws://HOST:PORT/voice-live/realtime.
  --host HOST               interface to listen on (default 127.0.0.1)
  --port N                  port; 0 picks a free one (default 0)
  --api-key KEY             require this key (api-key header/query or bearer token);
                            or set ${SERVE_API_KEY_ENV}. Without it any key is accepted.
  --script-file FILE        JSON array of reply texts for turns 1, 2, … of every session
  --ready-decoders N        speech decoders made ahead for N sessions that connect at once
                            (0–${MAX_READY_DECODERS}, ~22 MB each; default 0: each at its connect)
Faults (for testing clients):
  --refuse 401|403|404|429  refuse every connection with this HTTP status
  --drop-after-audio-deltas N  drop the socket after N audio deltas of the first response
  --close-after SECONDS     close each session after SECONDS with --close-code (1011 or 4008; default 1011)
  --error-event             send an error event after session.created
  --malformed-json          send a frame that is not JSON after session.created
  --oversized-frame         send an event larger than 1 MiB after session.created
  --latency-ms N            delay the first delta of each response by N ms
  --jitter-ms N             add up to N ms of random delay to each audio delta`

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

const numberText = (flag: string, { integer = false } = {}) =>
  z
    .string()
    .regex(integer ? /^\d+$/ : /^\d+(\.\d+)?$/, `${flag} expects a ${integer ? 'whole ' : ''}number`)
    .transform(Number)

const scriptSchema = z.array(z.string())

export interface ServeSettings {
  readonly host: string
  readonly port: number
  readonly apiKey?: string
  readonly faults: EngineFaults
  readonly script?: readonly string[]
  readonly readyDecoders: number
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new UsageError(result.error.issues[0]?.message ?? 'invalid value')
  return result.data
}

/** Parse `serve` arguments (after the word `serve`); throws UsageError with a specific message. */
export function parseServeArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeSettings {
  let parsed
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '0' },
        'ready-decoders': { type: 'string', default: '0' },
        'api-key': { type: 'string' },
        'script-file': { type: 'string' },
        refuse: { type: 'string' },
        'drop-after-audio-deltas': { type: 'string' },
        'close-after': { type: 'string' },
        'close-code': { type: 'string' },
        'error-event': { type: 'boolean' },
        'malformed-json': { type: 'boolean' },
        'oversized-frame': { type: 'boolean' },
        'latency-ms': { type: 'string' },
        'jitter-ms': { type: 'string' },
      },
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const v = parsed.values
  const port = check(numberText('--port', { integer: true }).pipe(z.number().max(65_535, '--port must be at most 65535')), v.port)
  const readyDecoders = check(
    numberText('--ready-decoders', { integer: true }).pipe(z.number().max(MAX_READY_DECODERS, `--ready-decoders must be at most ${MAX_READY_DECODERS}`)),
    v['ready-decoders'],
  )
  if (v['close-code'] !== undefined && v['close-after'] === undefined) throw new UsageError('--close-code needs --close-after')
  const faultInput = {
    ...(v.refuse !== undefined ? { refuse: check(numberText('--refuse', { integer: true }), v.refuse) } : {}),
    ...(v['drop-after-audio-deltas'] !== undefined
      ? { dropAfterAudioDeltas: check(numberText('--drop-after-audio-deltas', { integer: true }), v['drop-after-audio-deltas']) }
      : {}),
    ...(v['close-after'] !== undefined
      ? {
          closeAfter: {
            seconds: check(numberText('--close-after'), v['close-after']),
            code: v['close-code'] === undefined ? 1011 : check(numberText('--close-code', { integer: true }), v['close-code']),
          },
        }
      : {}),
    ...(v['error-event'] ? { errorEvent: true } : {}),
    ...(v['malformed-json'] ? { malformedJson: true } : {}),
    ...(v['oversized-frame'] ? { oversizedFrame: true } : {}),
    ...(v['latency-ms'] !== undefined ? { latencyMs: check(numberText('--latency-ms'), v['latency-ms']) } : {}),
    ...(v['jitter-ms'] !== undefined ? { jitterMs: check(numberText('--jitter-ms'), v['jitter-ms']) } : {}),
  }
  const faults = engineFaultsSchema.safeParse(faultInput)
  if (!faults.success) {
    const issue = faults.error.issues[0]
    const flag = { refuse: '--refuse', closeAfter: '--close-code', dropAfterAudioDeltas: '--drop-after-audio-deltas' }[String(issue?.path[0])]
    throw new UsageError(`${flag ?? 'fault option'}: ${issue?.message ?? 'invalid'} (see voicelive serve --help)`)
  }
  let script: string[] | undefined
  if (v['script-file'] !== undefined) {
    let text: string
    try {
      text = readFileSync(v['script-file'], 'utf8')
    } catch (error) {
      throw new UsageError(`--script-file: cannot read ${v['script-file']} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new UsageError(`--script-file: ${v['script-file']} is not JSON (expected an array of strings)`)
    }
    const result = scriptSchema.safeParse(json)
    if (!result.success) throw new UsageError(`--script-file: ${v['script-file']} must hold a JSON array of strings`)
    script = result.data
  }
  const apiKey = v['api-key'] ?? env[SERVE_API_KEY_ENV]
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be empty')
  return {
    host: v.host,
    port,
    readyDecoders,
    faults: faults.data,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(script ? { script } : {}),
  }
}

/** Run `serve` until SIGINT/SIGTERM. Resolves with the process exit code. */
export async function serveCommand(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${SERVE_USAGE}\n`)
    return 0
  }
  let settings: ServeSettings
  try {
    settings = parseServeArgs(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`voicelive serve: ${error.message}\n${SERVE_USAGE}\n`)
    return 2
  }
  let engine
  try {
    engine = await startLocalEngine(settings)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'EADDRINUSE' ? `port ${settings.port} is already in use` : (error as Error).message
    process.stderr.write(`voicelive serve: cannot listen on ${settings.host}:${settings.port}: ${why}\n`)
    return 1
  }
  // Handlers go in before the line is printed: whoever reads it may signal at once, and a signal
  // that beats process.on() kills the process. Ctrl+C in a terminal signals the whole process
  // group, so serve can get the same signal twice (directly and relayed by npm/tsx); keep the
  // handlers until the engine has closed so a repeated signal never falls through.
  let stopRequested: () => void = () => {}
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve))
  const onSignal = () => stopRequested()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.stdout.write(`listening on ${engine.url}\n`)
  try {
    await stopped
    await engine.close()
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return 0
}
