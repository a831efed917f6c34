/**
 * The machine wired to a session: presses act on whichever session is attached, the mode is the
 * one the session really uses, and the view carries the cue and the notice the window shows.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PushToTalkControl, type PushToTalkView } from '../../src-main/push-to-talk/push-to-talk-control.js'

const live = (turnDetection: 'vad' | 'push-to-talk') => ({ status: 'live' as const, sessionId: 's', turnDetection })

function setup() {
  const calls: string[] = []
  const views: PushToTalkView[] = []
  const control = new PushToTalkControl({ timing: { tailMs: 300, tapMs: 150 }, onView: (view) => views.push(view) })
  const session = {
    interrupt: async () => void calls.push('interrupt'),
    clearInput: () => void calls.push('clear'),
    setInputGate: (open: boolean) => void calls.push(open ? 'gate-open' : 'gate-closed'),
    commitTurn: () => void calls.push('commit'),
    audioFormat: { inputSampleRate: 24_000 as const },
  }
  return { control, session, calls, views }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('push-to-talk control', () => {
  it('drives the attached session in the mode the session really uses', () => {
    const { control, session, calls, views } = setup()
    control.attach(session)
    control.sessionState({ status: 'connecting', step: 'Connecting' })
    control.sessionState(live('push-to-talk'))
    calls.length = 0
    control.keys.down('window-key')
    expect(calls).toEqual(['interrupt', 'clear', 'gate-open'])
    expect(views.at(-1)).toEqual({ mode: 'push-to-talk', phase: 'held', cue: null, notice: null })
    expect(views.some((view) => view.cue === 'press')).toBe(true)
    vi.advanceTimersByTime(1_000)
    control.keys.up('window-key')
    for (let frame = 0; frame < 14; frame++) control.micFrame(960) // 20 ms each at 24 kHz
    expect(calls).not.toContain('commit') // 280 ms of tail so far
    control.micFrame(960)
    expect(calls).toEqual(['interrupt', 'clear', 'gate-open', 'gate-closed', 'commit'])
  })

  it('a hands-free session keeps the gate open and ignores the keys', () => {
    const { control, session, calls } = setup()
    control.attach(session)
    control.sessionState(live('vad'))
    control.keys.down('window-key')
    expect(calls).toEqual(['gate-open'])
  })

  it('says why a press did nothing, and forgets it at the next real press', () => {
    const { control, session, views } = setup()
    control.attach(session)
    control.keys.down('global-hold')
    expect(views.at(-1)?.notice).toBe('Start a session first, then hold the key to talk.')
    control.keys.up('global-hold')
    control.sessionState(live('push-to-talk'))
    control.keys.down('global-hold')
    vi.advanceTimersByTime(50)
    control.keys.up('global-hold')
    expect(views.at(-1)?.notice).toBe('That was a tap: hold the key while you talk (nothing was sent).')
    control.keys.down('global-hold')
    expect(views.at(-1)?.notice).toBeNull()
  })

  it('a session that ends mid-hold abandons the turn and says so', () => {
    const { control, session, calls, views } = setup()
    control.attach(session)
    control.sessionState(live('push-to-talk'))
    control.keys.down('global-hold')
    control.sessionState({ status: 'reconnecting', attempt: 1, retryInMs: 500, reason: 'dropped' })
    expect(views.at(-1)).toMatchObject({ phase: 'off', notice: expect.stringContaining('The connection dropped') })
    control.keys.up('global-hold')
    vi.advanceTimersByTime(1_000)
    expect(calls).not.toContain('commit')
  })
})
