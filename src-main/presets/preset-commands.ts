/**
 * The `preset.*` bridge commands: what the Scenario picker and the preset manager do with the
 * store. Each answers with the whole view. Changes are refused while a session runs (the session
 * uses the preset it started with, as in the playground).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { PresetView } from '../../src-shared/bridge/preset-payloads.js'
import { defaultBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import type { CommandHandlers } from '../bridge/serve-bridge.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'
import type { PresetStore } from './preset-store.js'

type PresetChannel = Extract<keyof CommandHandlers, `preset.${string}`>
export type PresetCommandHandlers = Pick<CommandHandlers, PresetChannel>

export interface PresetCommandOptions {
  readonly store: () => Promise<PresetStore>
  /** Throws while a session runs. */
  readonly requireIdle: () => void
  /** Where exports are written (the app's exports/ folder). */
  readonly exportDir: string
}

export function presetView(store: PresetStore): PresetView {
  const { preset, draft, builtIn } = store.selection()
  return { presets: store.list(), selectedId: preset.id, current: draft ?? preset, unsaved: draft !== null, builtIn }
}

const fileStamp = (): string => new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '')

export function presetCommands({ store, requireIdle, exportDir }: PresetCommandOptions): PresetCommandHandlers {
  /** A change: idle only, then the new view. */
  const change =
    <R>(run: (presets: PresetStore, request: R) => Promise<unknown>) =>
    async (request: R): Promise<PresetView> => {
      requireIdle()
      const presets = await store()
      await run(presets, request)
      return presetView(presets)
    }
  return {
    'preset.list': async () => presetView(await store()),
    'preset.select': change((presets, { id }: { id: string }) => presets.select(id)),
    'preset.update': change((presets, { preset }) => presets.edit(preset)),
    'preset.save': change((presets) => presets.save()),
    'preset.save-as': change((presets, { name }: { name: string }) => presets.saveAs(name)),
    'preset.reset': change((presets) => presets.discardEdits()),
    'preset.create': change(async (presets, { name }: { name: string }) => {
      // A new preset starts from the default built-in's settings.
      const created = await presets.create(defaultBuiltInPreset(), name)
      await presets.select(created.id)
    }),
    'preset.rename': change((presets, { id, name }: { id: string; name: string }) => presets.rename(id, name)),
    'preset.duplicate': change((presets, { id }: { id: string }) => presets.duplicate(id)),
    'preset.delete': async ({ id }) => {
      requireIdle()
      const presets = await store()
      const deleted = await presets.remove(id)
      return { view: presetView(presets), deleted }
    },
    'preset.restore': change(async (presets, { preset, index }) => {
      const restored = await presets.restore(preset, index)
      await presets.select(restored.id)
    }),
    'preset.import': async ({ text }) => {
      requireIdle()
      const presets = await store()
      const outcome = await presets.importText(text)
      return {
        view: presetView(presets),
        imported: outcome.ok ? outcome.imported.map((p) => p.name) : [],
        problems: outcome.ok ? [] : outcome.problems,
      }
    },
    'preset.export': async ({ id }) => {
      const text = (await store()).exportText(id)
      await mkdir(exportDir, { recursive: true })
      const path = join(exportDir, `presets-${fileStamp()}.json`)
      await writeFileAtomic(path, text)
      return { path, opened: false }
    },
  }
}
