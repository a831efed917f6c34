import { useLayoutEffect, useRef } from 'react'
import { formatMs } from './figure-formats.js'
import type { TranscriptTurn } from './use-session-model.js'

/**
 * The live transcript: a `log` region so screen readers announce new turns. It keeps the newest
 * line in view while text streams, unless the user has scrolled up to read.
 */
export function TranscriptView(props: { readonly turns: readonly TranscriptTurn[]; readonly emptyHint: string }) {
  const { turns } = props
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)

  useLayoutEffect(() => {
    const element = scroller.current
    if (element && pinned.current) element.scrollTop = element.scrollHeight
  }, [turns])

  return (
    <div
      ref={scroller}
      className="transcript"
      role="log"
      aria-label="Transcript"
      aria-live="polite"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24
      }}
    >
      {turns.length === 0 ? <p className="transcript-empty">{props.emptyHint}</p> : null}
      {turns.map((turn) => (
        <article
          key={turn.itemId}
          className={`turn turn-${turn.role} turn-${turn.status}`}
          data-item-id={turn.itemId}
          data-status={turn.status}
        >
          <header className="turn-header">
            <span className="turn-role">{turn.role === 'user' ? 'You' : 'Assistant'}</span>
            {turn.role === 'assistant' ? (
              <span className="turn-latency" title="From the end of your speech to the first audio">
                {turn.metrics ? formatMs(turn.metrics.speechEndToFirstAudioMs) : ''}
              </span>
            ) : null}
          </header>
          <p className="turn-text">
            {turn.text || (turn.status === 'in_progress' ? '…' : '')}
            {turn.status === 'truncated' ? <span className="turn-note"> (interrupted)</span> : null}
            {turn.status === 'failed' ? <span className="turn-note"> (not transcribed)</span> : null}
          </p>
        </article>
      ))}
    </div>
  )
}
