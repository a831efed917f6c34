/**
 * The conversation as the user sees it: one entry per utterance, in order, built from transcription
 * and response events. It is also the text history replayed into a new session after a reconnect.
 */
import type { TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import type { ConversationItem } from '../voicelive-protocol/events.js'

type Role = TranscriptEntry['role']
type Status = TranscriptEntry['status']

export class Transcript {
  private readonly entries = new Map<string, TranscriptEntry>()

  entry(itemId: string): TranscriptEntry | undefined {
    return this.entries.get(itemId)
  }

  all(): TranscriptEntry[] {
    return [...this.entries.values()]
  }

  /** Make sure an entry exists (keeps conversation order by first sight). */
  ensure(itemId: string, role: Role): TranscriptEntry {
    const existing = this.entries.get(itemId)
    if (existing) return existing
    const entry: TranscriptEntry = { itemId, role, text: '', status: 'in_progress' }
    this.entries.set(itemId, entry)
    return entry
  }

  appendDelta(itemId: string, role: Role, delta: string): TranscriptEntry {
    const entry = this.ensure(itemId, role)
    return this.set({ ...entry, text: entry.text + delta })
  }

  finish(itemId: string, role: Role, text: string, status: Status = 'done'): TranscriptEntry {
    const entry = this.ensure(itemId, role)
    // A truncated entry stays truncated: the late `done` carries text the user never heard.
    if (entry.status === 'truncated') return entry
    return this.set({ ...entry, text, status })
  }

  /**
   * The service keeps only the heard part of an interrupted item. Without word timings, keep the
   * same fraction of the text as of the audio, cut at a word boundary.
   */
  truncate(itemId: string, heardMs: number, receivedMs: number): TranscriptEntry | undefined {
    const entry = this.entries.get(itemId)
    if (!entry) return undefined
    const fraction = receivedMs > 0 ? Math.min(1, Math.max(0, heardMs / receivedMs)) : 0
    let cut = Math.round(entry.text.length * fraction)
    if (cut < entry.text.length) {
      const space = entry.text.lastIndexOf(' ', cut)
      cut = space > 0 ? space : cut
    }
    return this.set({ ...entry, text: entry.text.slice(0, cut).trimEnd(), status: 'truncated' })
  }

  remove(itemId: string): void {
    this.entries.delete(itemId)
  }

  /** Finished utterances as `conversation.item.create` items, for replay into a new session. */
  historyItems(): ConversationItem[] {
    const items: ConversationItem[] = []
    for (const entry of this.entries.values()) {
      if (entry.text.trim() === '' || (entry.status !== 'done' && entry.status !== 'truncated')) continue
      items.push({
        type: 'message',
        role: entry.role,
        content: [{ type: entry.role === 'user' ? 'input_text' : 'text', text: entry.text }],
      })
    }
    return items
  }

  private set(entry: TranscriptEntry): TranscriptEntry {
    this.entries.set(entry.itemId, entry)
    return entry
  }
}
