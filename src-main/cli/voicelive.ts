/**
 * The `voicelive` command line: `voicelive chat …` (talk to Voice Live from a WAV) and
 * `voicelive serve …` (run the local engine), `voicelive presets …` (the saved presets) and
 * `voicelive auth …` (Microsoft account sign-in). Run with `npm run --silent voicelive -- …` or the
 * `voicelive` bin. Exit codes: 0 ok, 2 usage/config, 3 auth, 4 connection/network, 5 service.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CliIo } from './chat-args.js'

const USAGE = `Usage: voicelive <command> [options]

Commands:
  chat    send a WAV file to an Azure AI Voice Live model or agent, save the spoken reply
  serve   run a local Voice Live-compatible engine (no Azure account needed)
  presets list, show, import, export and delete the saved presets (shared with the app)
  auth    sign in with a Microsoft account (login, status, logout) for chat --entra

Run "voicelive <command> --help" for the options of a command.`

const processIo = (): CliIo => ({
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
})

/** Dispatch `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    // Loaded on demand: the engine behind `serve` pulls in WASM modules `chat` does not need.
    case 'chat':
      return (await import('./chat-command.js')).chatCommand(rest, io)
    case 'presets':
      return (await import('./presets-command.js')).presetsCommand(rest, io)
    case 'auth':
      return (await import('./auth-command.js')).authCommand(rest, io)
    case 'serve':
      return (await import('./serve-command.js')).serveCommand(rest)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE)
      return command === undefined ? 2 : 0
    default:
      io.stderr(`voicelive: unknown command "${command}"\n\n${USAGE}`)
      return 2
  }
}

/** Run as a program: exit with the command's code even if a stray handle would keep Node alive. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let code: number
  try {
    code = await main(argv)
  } catch (error) {
    process.stderr.write(`voicelive: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`)
    code = 1
  }
  process.exit(code)
}

function isEntryPoint(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) void run()
