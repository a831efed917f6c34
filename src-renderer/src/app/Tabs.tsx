import { useId, useRef, type ReactNode } from 'react'

export interface Tab {
  readonly id: string
  readonly label: string
  readonly content: ReactNode
}

/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; Tab moves into the panel. */
export function Tabs(props: {
  readonly label: string
  readonly tabs: readonly Tab[]
  readonly selected: string
  readonly onSelect: (id: string) => void
}) {
  const base = useId()
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({})
  const index = Math.max(
    0,
    props.tabs.findIndex((tab) => tab.id === props.selected),
  )
  const move = (to: number) => {
    const tab = props.tabs[(to + props.tabs.length) % props.tabs.length]
    if (!tab) return
    props.onSelect(tab.id)
    buttons.current[tab.id]?.focus()
  }
  const current = props.tabs[index]
  return (
    <div className="tabs">
      <div
        role="tablist"
        aria-label={props.label}
        className="tablist"
        onKeyDown={(event) => {
          const keys: Record<string, number> = {
            ArrowRight: index + 1,
            ArrowLeft: index - 1,
            Home: 0,
            End: props.tabs.length - 1,
          }
          const to = keys[event.key]
          if (to === undefined) return
          event.preventDefault()
          move(to)
        }}
      >
        {props.tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[tab.id] = element
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={tab.id === current?.id}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === current?.id ? 0 : -1}
            className="tab"
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current ? (
        <div
          role="tabpanel"
          id={`${base}-panel-${current.id}`}
          aria-labelledby={`${base}-tab-${current.id}`}
          className="tabpanel"
          tabIndex={0}
        >
          {current.content}
        </div>
      ) : null}
    </div>
  )
}
