/** The transcript the user sees and the history replayed after a reconnect, entry by entry. */
import { describe, expect, it } from 'vitest'
import { Transcript } from '../../src-main/voice-session/transcript.js'

describe('Transcript', () => {
  it('replays only finished, non-blank utterances, in order, as the service expects them', () => {
    const transcript = new Transcript()
    transcript.finish('u1', 'user', 'Hello?')
    transcript.appendDelta('a1', 'assistant', 'still talking')
    transcript.finish('a0', 'assistant', '   ')
    transcript.finish('a2', 'assistant', 'Hi there friend')
    transcript.truncate('a2', 500, 1000)
    transcript.finish('a3', 'assistant', 'failed one', 'failed')
    expect(transcript.historyItems()).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi there' }] },
    ])
    transcript.remove('u1')
    expect(transcript.all().map((entry) => entry.itemId)).toEqual(['a1', 'a0', 'a2', 'a3'])
  })

  it('keeps a truncated entry truncated when its late done arrives', () => {
    const transcript = new Transcript()
    transcript.appendDelta('a1', 'assistant', 'one two three four')
    transcript.truncate('a1', 250, 1000)
    expect(transcript.finish('a1', 'assistant', 'one two three four')).toEqual({
      itemId: 'a1',
      role: 'assistant',
      text: 'one',
      status: 'truncated',
    })
  })

  it('cuts the text in proportion to the audio heard, at a word boundary, never past the end', () => {
    const cut = (text: string, heardMs: number, receivedMs: number) => {
      const transcript = new Transcript()
      transcript.appendDelta('a', 'assistant', text)
      return transcript.truncate('a', heardMs, receivedMs)?.text
    }
    expect(cut('one two three four', 2000, 1000)).toBe('one two three four')
    expect(cut('one two three four', 1000, 1000)).toBe('one two three four')
    expect(cut('one two three four', 500, 0)).toBe('')
    expect(cut('abcdef', 500, 1000)).toBe('abc') // no space before the cut: cut mid-word
    expect(cut(' abcdef', 500, 1000)).toBe(' abc') // a space only at the start is no boundary
    expect(cut('one two', -5, 1000)).toBe('')
    expect(new Transcript().truncate('missing', 1, 1)).toBeUndefined()
  })
})
