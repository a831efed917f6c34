/** The conversation as the user saw it, written as Markdown or JSON. */
import type { TranscriptEntry, TurnMetrics } from '../../src-shared/session-model/session-model.js'

export interface ExportedTurn {
  readonly role: TranscriptEntry['role']
  readonly text: string
  readonly itemId: string
  /** True when the assistant was interrupted and the text cut to what was heard. */
  readonly interrupted: boolean
}

export interface TranscriptSnapshot {
  readonly startedAt: Date
  readonly turns: readonly ExportedTurn[]
  readonly metrics: readonly TurnMetrics[]
}

export const toExportedTurns = (entries: Iterable<TranscriptEntry>): ExportedTurn[] =>
  [...entries]
    .filter((entry) => entry.text.trim() !== '')
    .map((entry) => ({
      role: entry.role,
      text: entry.text,
      itemId: entry.itemId,
      interrupted: entry.status === 'truncated',
    }))

export function transcriptToMarkdown(snapshot: TranscriptSnapshot): string {
  const lines = [`# Voice Live conversation, ${snapshot.startedAt.toISOString()}`, '']
  for (const turn of snapshot.turns) {
    const who = turn.role === 'user' ? 'You' : 'Assistant'
    lines.push(`**${who}:** ${turn.text.replace(/\n+/g, ' ')}${turn.interrupted ? ' *(interrupted)*' : ''}`, '')
  }
  return lines.join('\n')
}

export function transcriptToJson(snapshot: TranscriptSnapshot): string {
  return `${JSON.stringify(
    { startedAt: snapshot.startedAt.toISOString(), turns: snapshot.turns, metrics: snapshot.metrics },
    null,
    2,
  )}\n`
}
