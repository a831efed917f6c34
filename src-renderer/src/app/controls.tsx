/** Small labelled form controls shared by the Configuration and Settings panels. */
import { useId, type ReactNode } from 'react'

/** A label above one control; `children` receives the id that ties them together. */
export function Field(props: {
  readonly label: string
  readonly children: (id: string) => ReactNode
  readonly hint?: string | undefined
}) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint ? <span className="hint">{props.hint}</span> : null}
    </div>
  )
}

export function Check(props: {
  readonly label: string
  readonly checked: boolean
  readonly disabled?: boolean
  readonly onChange: (checked: boolean) => void
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.label}
    </label>
  )
}

/** Native radios in a named group: arrow keys move and select, as everywhere. */
export function RadioGroup<V extends string>(props: {
  readonly label: string
  readonly value: V
  readonly options: readonly { readonly value: V; readonly label: string }[]
  readonly onChange: (value: V) => void
}) {
  const name = useId()
  return (
    <div className="radio-row" role="radiogroup" aria-label={props.label}>
      {props.options.map((option) => (
        <label key={option.value} className="check">
          <input
            type="radio"
            name={name}
            checked={props.value === option.value}
            onChange={() => props.onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </div>
  )
}
