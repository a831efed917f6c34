/**
 * `voicelive presets list | show NAME | export [NAME | --all] --output FILE | import FILE | delete NAME`:
 * the saved presets, in the same `presets.json` the app uses (the app's data folder, or
 * `VOICE_LIVE_CONFIG_DIR`). Names are printed exactly as written, one per line. Exit codes: 0 ok,
 * 2 a bad command line, an unknown preset, an invalid import (every problem listed, the store
 * unchanged) or a built-in that cannot be deleted; 1 the data folder could not be read or written.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'
import { openPresetStore, PresetStoreError, type PresetStore } from '../presets/preset-store.js'
import { IMPORT_SIZE_LIMIT } from '../presets/preset-transfer.js'
import type { CliIo } from './chat-args.js'
import { cliAppDataDir } from './cli-app-data.js'

export const PRESETS_USAGE = `Usage: voicelive presets <command>

  list                                  one preset name per line (built-ins first)
  show NAME                             the preset as JSON
  export NAME --output FILE             one preset to a JSON file (also usable with chat --preset-file)
  export --all --output FILE            every saved preset to one JSON file
  import FILE                           add the presets of a JSON file; nothing is added if any is invalid
  delete NAME                           delete a saved preset (built-ins cannot be deleted)

NAME is a display name (any case) or an id. The presets live in the app's data folder
(VOICE_LIVE_CONFIG_DIR overrides it), shared with the app.
Exit codes: 0 ok, 1 the data folder could not be used, 2 usage, unknown preset, invalid file.`

class UsageError extends Error {}

type Flags = { output?: string; all?: boolean; help?: boolean }

function parse(args: readonly string[]): { positionals: string[]; flags: Flags } {
  try {
    const { positionals, values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        all: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    return { positionals, flags: values }
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function one(positionals: string[], what: string): string {
  const [value, extra] = positionals
  if (value === undefined || extra !== undefined) throw new UsageError(`expects exactly one ${what}`)
  return value
}

async function importFile(store: PresetStore, file: string, io: CliIo): Promise<number> {
  const size = await stat(file).then((s) => s.size)
  if (size > IMPORT_SIZE_LIMIT) {
    io.stderr(
      `voicelive presets import: ${file} is invalid:\n  (file): ${size} bytes is over the ${IMPORT_SIZE_LIMIT}-byte limit`,
    )
    return 2
  }
  const outcome = await store.importText(await readFile(file, 'utf8'))
  if (!outcome.ok) {
    io.stderr(`voicelive presets import: ${file} is invalid; nothing was imported:`)
    for (const problem of outcome.problems) io.stderr(`  ${problem}`)
    return 2
  }
  for (const preset of outcome.imported) io.stdout(`imported: ${preset.name}`)
  return 0
}

async function run(store: PresetStore, verb: string, positionals: string[], flags: Flags, io: CliIo): Promise<number> {
  switch (verb) {
    case 'list':
      if (positionals.length > 0) throw new UsageError('list takes no arguments')
      for (const preset of store.list()) io.stdout(preset.name)
      return 0
    case 'show': {
      const key = one(positionals, 'NAME')
      const preset = store.find(key)
      if (!preset) throw new PresetStoreError(`There is no preset named "${key}".`, 'not-found')
      io.stdout(JSON.stringify(preset, null, 2))
      return 0
    }
    case 'export': {
      if (!flags.output) throw new UsageError('export needs --output FILE')
      if (flags.all === positionals.length > 0) throw new UsageError('export takes either one NAME or --all')
      const text = store.exportText(flags.all ? undefined : one(positionals, 'NAME'))
      const output = path.resolve(io.cwd, flags.output)
      await writeFileAtomic(output, text)
      io.stdout(`exported to ${output}`)
      return 0
    }
    case 'import':
      return importFile(store, path.resolve(io.cwd, one(positionals, 'FILE')), io)
    case 'delete': {
      const { preset } = await store.remove(one(positionals, 'NAME'))
      io.stdout(`deleted: ${preset.name}`)
      return 0
    }
    default:
      throw new UsageError(`unknown command "${verb}"`)
  }
}

export async function presetsCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { positionals, flags } = parse(args)
    const [verb, ...rest] = positionals
    if (flags.help) {
      io.stdout(PRESETS_USAGE)
      return 0
    }
    if (verb === undefined) throw new UsageError('which command?')
    const store = await openPresetStore(cliAppDataDir(io.env), {
      onProblem: (message) => io.stderr(`voicelive presets: ${message}`),
    })
    return await run(store, verb, rest, flags, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`voicelive presets: ${error.message}\n\n${PRESETS_USAGE}`)
      return 2
    }
    if (error instanceof PresetStoreError) {
      io.stderr(`voicelive presets: ${error.message}`)
      return error.kind === 'io' ? 1 : 2
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.stderr(`voicelive presets: ${(error as Error).message}`)
      return 2
    }
    throw error
  }
}
