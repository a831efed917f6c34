/**
 * Asked before the Scenario picker leaves a preset with unsaved changes: Save, Discard or Cancel.
 * Cancel (or Escape) changes nothing, so it has the focus: Enter by habit loses no edit. A
 * built-in cannot be saved over, so its Save keeps the edits as a new preset ("Name (2)").
 */
import { useEffect, useRef } from 'react'

export type LeaveChoice = 'save' | 'discard'

export function UnsavedChangesPrompt(props: {
  readonly presetName: string
  readonly builtIn: boolean
  /** Where the switch goes, as the question names it: `“Greeter”`, `the new preset “Tutor”`. */
  readonly target: string
  readonly onChoose: (choice: LeaveChoice) => void
  readonly onCancel: () => void
}) {
  const { presetName, builtIn, target, onChoose, onCancel } = props
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => cancel.current?.focus(), [])
  return (
    <div className="confirm-backdrop">
      <div
        className="confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsaved-title"
        aria-describedby="unsaved-detail"
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel()
        }}
      >
        <h2 id="unsaved-title">Unsaved changes</h2>
        <p id="unsaved-detail">
          “{presetName}” has changes that are not saved. Save them before switching to {target}?
          {builtIn ? ' Built-in presets are read-only: saving keeps them as a new preset.' : ''}
        </p>
        <div className="row">
          <button type="button" className="primary small" onClick={() => onChoose('save')}>
            {builtIn ? 'Save as new preset' : 'Save'}
          </button>
          <button type="button" className="danger small" onClick={() => onChoose('discard')}>
            Discard
          </button>
          <button ref={cancel} type="button" className="secondary small" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  )
}
