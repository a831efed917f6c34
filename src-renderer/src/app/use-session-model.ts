/**
 * Everything the main process tells the UI about the running session, as React state:
 * connection state, transcript (in order of first appearance), per-turn metrics, the event log
 * and who is speaking. High-rate events are buffered and applied a few times a second so a
 * streaming session never floods React with renders.
 */
import { useEffect, useRef, useState } from 'react'
import type { ProtocolEvent, SessionState, TranscriptEntry, TurnMetrics } from '../../../src-shared/session-model/session-model.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import { appendEvents, type EventLogRow } from './event-log.js'

export interface TranscriptTurn extends TranscriptEntry {
  /** Metrics of the response that produced this assistant turn, once it is done. */
  readonly metrics: TurnMetrics | null
}

export interface SessionModel {
  readonly state: SessionState
  /** Who the session connects as (main says so at each start); null with a key or the local engine. */
  readonly identity: string | null
  readonly turns: readonly TranscriptTurn[]
  readonly metrics: readonly TurnMetrics[]
  readonly eventRows: readonly EventLogRow[]
  /** When the first event of this conversation happened (event times are shown from it). */
  readonly eventOriginMs: number
  readonly userSpeaking: boolean
  readonly assistantSpeaking: boolean
  clear(): void
}

const FLUSH_EVERY_MS = 150

function upsertTurn(turns: readonly TranscriptTurn[], entry: TranscriptEntry): TranscriptTurn[] {
  const index = turns.findIndex((turn) => turn.itemId === entry.itemId)
  if (index === -1) return [...turns, { ...entry, metrics: null }]
  const next = turns.slice()
  next[index] = { ...entry, metrics: turns[index]?.metrics ?? null }
  return next
}

/**
 * Metrics name a response, transcript entries an item; a response.done arrives after its
 * item's transcript, so the metrics belong to the newest assistant turn still without any.
 */
function attachMetrics(turns: readonly TranscriptTurn[], metrics: TurnMetrics): TranscriptTurn[] {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]
    if (turn?.role !== 'assistant') continue
    if (turn.metrics !== null) break
    const next = turns.slice()
    next[i] = { ...turn, metrics }
    return next
  }
  return turns.slice()
}

export function useSessionModel(bridge: VoiceLiveBridge): SessionModel {
  const [state, setState] = useState<SessionState>({ status: 'idle' })
  const [identity, setIdentity] = useState<string | null>(null)
  const [turns, setTurns] = useState<readonly TranscriptTurn[]>([])
  const [metrics, setMetrics] = useState<readonly TurnMetrics[]>([])
  const [eventRows, setEventRows] = useState<readonly EventLogRow[]>([])
  const [userSpeaking, setUserSpeaking] = useState(false)
  const [assistantSpeaking, setAssistantSpeaking] = useState(false)
  const [eventOriginMs, setEventOriginMs] = useState<number | null>(null)
  const pendingEvents = useRef<ProtocolEvent[]>([])
  const rowKey = useRef(0)

  useEffect(() => {
    const unsubscribe = [
      bridge.events['session.state']((next) => {
        setState(next)
        if (next.status !== 'live') {
          setUserSpeaking(false)
          setAssistantSpeaking(false)
        }
      }),
      bridge.events['session.transcript']((entry) => setTurns((current) => upsertTurn(current, entry))),
      bridge.events['session.turn-metrics']((turnMetrics) => {
        setMetrics((current) => [...current, turnMetrics])
        setTurns((current) => attachMetrics(current, turnMetrics))
      }),
      bridge.events['session.protocol-event']((event) => {
        pendingEvents.current.push(event)
        if (event.type === 'input_audio_buffer.speech_started') setUserSpeaking(true)
        else if (event.type === 'input_audio_buffer.speech_stopped') setUserSpeaking(false)
        else if (event.type === 'response.audio.delta') setAssistantSpeaking(true)
        else if (event.type === 'response.done') setAssistantSpeaking(false)
      }),
      bridge.events['audio.playback-flush'](() => setAssistantSpeaking(false)),
      bridge.events['session.identity'](({ label }) => setIdentity(label)),
    ]
    void bridge.commands['session.current']({}).then((result) => {
      // An event that arrived meanwhile is newer than this answer.
      if (result.ok) setState((current) => (current.status === 'idle' ? result.value : current))
    })
    const timer = window.setInterval(() => {
      if (pendingEvents.current.length === 0) return
      const batch = pendingEvents.current
      pendingEvents.current = []
      setEventOriginMs((origin) => origin ?? batch[0]?.atMs ?? null)
      setEventRows((rows) => appendEvents(rows, batch, () => ++rowKey.current))
    }, FLUSH_EVERY_MS)
    return () => {
      for (const stop of unsubscribe) stop()
      window.clearInterval(timer)
    }
  }, [bridge])

  return {
    state,
    identity,
    turns,
    metrics,
    eventRows,
    eventOriginMs: eventOriginMs ?? 0,
    userSpeaking,
    assistantSpeaking,
    clear() {
      setTurns([])
      setMetrics([])
      setEventRows([])
      setEventOriginMs(null)
    },
  }
}
