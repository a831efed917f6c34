/**
 * The preset manager above the Configuration panel: save the edits (or save them as a new
 * preset), reset a built-in to its defaults, create, rename, duplicate, delete (with Undo),
 * import and export. Names are typed into an inline field (Electron has no `prompt()`).
 * Main answers every command with the whole view, which is then what shows.
 */
import { useRef, useState } from 'react'
import type { CommandResult } from '../../../src-shared/bridge/contract.js'
import type { PresetView } from '../../../src-shared/bridge/preset-payloads.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'

type Naming = { readonly action: 'create' | 'save-as' | 'rename'; readonly name: string }
/** A command that selects another preset, and how the unsaved-changes question names where it goes. */
export type PresetSwitch = { readonly to: string; readonly run: () => Promise<CommandResult<PresetView>> }
type Deleted = { readonly preset: PresetView['current']; readonly index: number }

const NAMING_LABEL: Record<Naming['action'], string> = {
  create: 'New preset name',
  'save-as': 'Save as new preset named',
  rename: 'New name',
}

export function PresetManager(props: {
  readonly bridge: VoiceLiveBridge
  readonly view: PresetView
  readonly locked: boolean
  readonly onCommand: (run: () => Promise<CommandResult<PresetView>>) => void
  /** New…, Duplicate and Undo select another preset: the window asks first if there are unsaved changes. */
  readonly onSwitch: (next: PresetSwitch) => void
  readonly onView: (view: PresetView) => void
  readonly onNotice: (message: string) => void
}) {
  const { bridge, view, locked, onCommand, onSwitch, onView, onNotice } = props
  const commands = bridge.commands
  const [naming, setNaming] = useState<Naming | null>(null)
  const [deleted, setDeleted] = useState<Deleted | null>(null)
  const [problems, setProblems] = useState<readonly string[]>([])
  const fileInput = useRef<HTMLInputElement>(null)
  const { current, builtIn, unsaved } = view

  const run = (command: () => Promise<CommandResult<PresetView>>) => {
    setDeleted(null)
    setProblems([])
    onCommand(command)
  }
  const switchTo = (next: PresetSwitch) => {
    setDeleted(null)
    setProblems([])
    onSwitch(next)
  }
  const confirmName = () => {
    if (!naming) return
    const name = naming.name
    setNaming(null)
    if (naming.action === 'create') {
      switchTo({ to: `the new preset “${name}”`, run: () => commands['preset.create']({ name }) })
    } else if (naming.action === 'save-as') run(() => commands['preset.save-as']({ name }))
    else run(() => commands['preset.rename']({ id: current.id, name }))
  }
  const remove = async () => {
    const result = await commands['preset.delete']({ id: current.id })
    if (!result.ok) return onNotice(result.error.message)
    onView(result.value.view)
    setDeleted(result.value.deleted)
  }
  const undo = () => {
    if (!deleted) return
    const { preset, index } = deleted
    switchTo({ to: `“${preset.name}”, restored`, run: () => commands['preset.restore']({ preset, index }) })
  }
  const importFile = async (file: File) => {
    setProblems([])
    const result = await commands['preset.import']({ text: await file.text() })
    if (!result.ok) return onNotice(result.error.message)
    onView(result.value.view)
    setProblems(result.value.problems)
    onNotice(
      result.value.problems.length > 0
        ? `${file.name} was not imported: it has ${result.value.problems.length} problem(s).`
        : `Imported: ${result.value.imported.join(', ')}`,
    )
  }
  const exportPresets = async (id?: string) => {
    const result = await commands['preset.export'](id ? { id } : {})
    onNotice(result.ok ? `Saved to ${result.value.path}` : result.error.message)
  }

  return (
    <section className="preset-manager" aria-label="Preset">
      <div className="row">
        <strong className="preset-title">
          {current.name}
          {builtIn ? <span className="badge">built-in</span> : null}
        </strong>
      </div>
      <div className="row wrap" role="group" aria-label="Preset actions">
        <button
          type="button"
          className="primary small"
          disabled={locked || builtIn || !unsaved}
          title={builtIn ? 'Built-in presets are read-only: save your changes as a new preset' : undefined}
          onClick={() => run(() => commands['preset.save']({}))}
        >
          Save
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={locked}
          onClick={() => setNaming({ action: 'save-as', name: current.name })}
        >
          Save as new…
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={locked || !unsaved}
          onClick={() => run(() => commands['preset.reset']({}))}
        >
          {builtIn ? 'Reset to defaults' : 'Discard changes'}
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={locked}
          onClick={() => setNaming({ action: 'create', name: '' })}
        >
          New…
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={locked || builtIn}
          onClick={() => setNaming({ action: 'rename', name: current.name })}
        >
          Rename…
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={locked}
          onClick={() =>
            switchTo({ to: `a copy of “${current.name}”`, run: () => commands['preset.duplicate']({ id: current.id }) })
          }
        >
          Duplicate
        </button>
        <button type="button" className="danger small" disabled={locked || builtIn} onClick={() => void remove()}>
          Delete
        </button>
      </div>
      <div className="row wrap" role="group" aria-label="Preset files">
        <button type="button" className="secondary small" onClick={() => void exportPresets(current.id)}>
          Export
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={!view.presets.some((p) => !p.builtIn)}
          onClick={() => void exportPresets()}
        >
          Export all
        </button>
        <button type="button" className="secondary small" disabled={locked} onClick={() => fileInput.current?.click()}>
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Preset file to import"
          onChange={(event) => {
            const file = event.target.files?.[0]
            event.target.value = ''
            if (file) void importFile(file)
          }}
        />
      </div>
      {naming ? (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault()
            confirmName()
          }}
        >
          <input
            aria-label={NAMING_LABEL[naming.action]}
            placeholder={NAMING_LABEL[naming.action]}
            value={naming.name}
            maxLength={100}
            autoFocus
            onChange={(event) => setNaming({ ...naming, name: event.target.value })}
          />
          <button type="submit" className="primary small" disabled={naming.name.trim() === ''}>
            OK
          </button>
          <button type="button" className="secondary small" onClick={() => setNaming(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      {deleted ? (
        <p className="row" role="status">
          Deleted “{deleted.preset.name}”.
          <button type="button" className="secondary small" onClick={undo}>
            Undo
          </button>
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul className="problems" aria-label="Import problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
