/**
 * The current preset: starts as the default built-in one and is edited by the configuration
 * panel. It is kept in `current-preset.json` in the one schema the CLI's `--preset-file` reads,
 * so a user can take the file to the command line. (Named, saved presets come later.)
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BUILT_IN_PRESETS, DEFAULT_PRESET_NAME, findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import { parsePreset, type Preset } from '../../src-shared/preset/preset.js'
import { writeFileAtomic } from './write-file-atomic.js'

export interface PresetState {
  current(): Preset
  builtIns(): readonly { name: string; description?: string }[]
  select(name: string): Promise<Preset>
  update(preset: Preset): Promise<Preset>
  readonly file: string
}

export async function openPresetState(
  userDataDir: string,
  onProblem: (message: string) => void = () => undefined,
): Promise<PresetState> {
  const file = join(userDataDir, 'current-preset.json')
  const fallback = findBuiltInPreset(DEFAULT_PRESET_NAME) ?? BUILT_IN_PRESETS[0]
  if (!fallback) throw new Error('No built-in presets are defined.')
  let current: Preset = fallback
  try {
    const parsed = parsePreset(JSON.parse(await readFile(file, 'utf8')))
    if (parsed.ok) current = parsed.preset
    else onProblem(`${file} is not a valid preset (${parsed.error}); using "${fallback.name}"`)
  } catch {
    // No saved preset yet: the default built-in one.
  }

  const save = async (preset: Preset): Promise<Preset> => {
    await mkdir(userDataDir, { recursive: true })
    await writeFileAtomic(file, `${JSON.stringify(preset, null, 2)}\n`)
    current = preset
    return preset
  }

  return {
    file,
    current: () => current,
    builtIns: () =>
      BUILT_IN_PRESETS.map(({ name, description }) => ({ name, ...(description ? { description } : {}) })),
    async select(name) {
      const preset = findBuiltInPreset(name)
      if (!preset) throw new Error(`There is no preset named "${name}".`)
      return save(preset)
    },
    update: save,
  }
}
