import type { TurnMetrics } from '../../../src-shared/session-model/session-model.js'
import type { AudioStats } from '../audio/pipeline.js'
import type { EventLogRow } from './event-log.js'
import { percentile } from '../../../src-shared/stats/percentile.js'
import { formatBytes, formatMs } from './figure-formats.js'

const latencyColumns = [
  ['Audio', (m: TurnMetrics) => m.speechEndToFirstAudioMs],
  ['Delta', (m: TurnMetrics) => m.speechEndToFirstDeltaMs],
  ['Done', (m: TurnMetrics) => m.speechEndToDoneMs],
] as const

function MetricsTable({
  metrics,
  playback,
}: {
  readonly metrics: readonly TurnMetrics[]
  readonly playback: AudioStats | null
}) {
  const values = (pick: (m: TurnMetrics) => number | null) =>
    metrics.map(pick).filter((value): value is number => value !== null)
  const sum = (pick: (m: TurnMetrics) => number) => metrics.reduce((total, m) => total + pick(m), 0)
  const tokens = sum((m) => m.tokens?.total ?? 0)
  return (
    <section aria-labelledby="metrics-heading">
      <h3 id="metrics-heading">Metrics</h3>
      <table className="metrics">
        <caption className="hint">
          From the end of your speech to the first audio, the first delta, and the end of the answer
        </caption>
        <thead>
          <tr>
            <th scope="col">Turn</th>
            {latencyColumns.map(([name]) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((m, index) => (
            <tr key={m.responseId}>
              <th scope="row">{index + 1}</th>
              {latencyColumns.map(([name, pick]) => (
                <td key={name}>{formatMs(pick(m))}</td>
              ))}
              <td>{m.status}</td>
            </tr>
          ))}
          {(['p50', 'p90'] as const).map((label) => (
            <tr key={label} className="metrics-summary">
              <th scope="row">{label}</th>
              {latencyColumns.map(([name, pick]) => (
                <td key={name}>{formatMs(percentile(values(pick), label === 'p50' ? 50 : 90))}</td>
              ))}
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Audio sent</dt>
        <dd>{formatBytes(sum((m) => m.audioBytesSent))}</dd>
        <dt>Audio received</dt>
        <dd data-value={sum((m) => m.audioBytesReceived)}>{formatBytes(sum((m) => m.audioBytesReceived))}</dd>
        <dt>Audio played</dt>
        <dd data-value={playback?.playedSamples ?? 0} title="Samples the speaker really rendered">
          {playback ? `${(playback.playedSamples / 24_000).toFixed(2)} s` : '—'}
        </dd>
        <dt>Underruns</dt>
        <dd>{playback?.underruns ?? '—'}</dd>
        <dt>Tokens</dt>
        <dd>{tokens}</dd>
      </dl>
    </section>
  )
}

function EventLog({ rows, originMs }: { readonly rows: readonly EventLogRow[]; readonly originMs: number }) {
  return (
    <section aria-labelledby="events-heading">
      <h3 id="events-heading">Events</h3>
      <ol className="event-log" aria-label="Protocol events">
        {rows.map((row) => (
          <li key={row.key} className={`event event-${row.direction}`}>
            <details>
              <summary>
                <span className="event-arrow" aria-label={row.direction === 'client' ? 'sent' : 'received'}>
                  {row.direction === 'client' ? '↑' : '↓'}
                </span>
                <span className="event-time">{((row.firstAtMs - originMs) / 1000).toFixed(2)}</span>
                <span className="event-type">{row.type}</span>
                {row.count > 1 ? <span className="event-count">×{row.count}</span> : null}
              </summary>
              <pre>{JSON.stringify(row.last.summary, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  )
}

export function DiagnosticsPanel(props: {
  readonly metrics: readonly TurnMetrics[]
  readonly playback: AudioStats | null
  readonly rows: readonly EventLogRow[]
  readonly eventOriginMs: number
  readonly onOpenLog: () => void
  readonly logMessage: string
}) {
  return (
    <div className="diagnostics">
      <MetricsTable metrics={props.metrics} playback={props.playback} />
      <div className="row">
        <button type="button" className="secondary" onClick={props.onOpenLog}>
          Open log file
        </button>
        <span className="hint" aria-live="polite">
          {props.logMessage}
        </span>
      </div>
      <EventLog rows={props.rows} originMs={props.eventOriginMs} />
    </div>
  )
}
