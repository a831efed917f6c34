/**
 * The push-to-talk machine, exhaustively, with fake timers: what it asks of the session (the
 * effects, in order) is what reaches the wire, so each test reads like the protocol a user causes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  PushToTalkMachine,
  type PttEffects,
  type PttMachineOptions,
  type PttNotice,
} from '../../src-main/push-to-talk/push-to-talk-machine.js'

const timing = { tailMs: 300, tailStallMs: 1_000, tapMs: 150, watchdogMs: 60_000 }

function setup(options: Partial<PttMachineOptions> = {}, { warmMic = true } = {}) {
  const log: string[] = []
  const notices: PttNotice[] = []
  const effects: PttEffects = {
    stopAssistant: () => log.push('stop-assistant'),
    clearInput: () => log.push('clear'),
    setGate: (open) => log.push(open ? 'gate-open' : 'gate-closed'),
    commit: () => log.push('commit'),
    cue: (kind) => log.push(`cue-${kind}`),
  }
  const machine = new PushToTalkMachine(effects, {
    mode: 'push-to-talk',
    timing,
    now: () => Date.now(),
    onNotice: (notice) => notices.push(notice),
    ...options,
  })
  machine.setLive(true)
  log.length = 0
  // A warm mic: a 10 ms frame reaches the machine every 10 ms (the tail is counted in these).
  if (warmMic) setInterval(() => machine.micAudio(10), 10)
  return { machine, log, notices }
}

const PRESS = ['stop-assistant', 'clear', 'gate-open', 'cue-press']

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('push-to-talk machine', () => {
  it('hold: press stops the assistant, clears and opens the gate; release keeps it open for the tail, then commits', () => {
    const { machine, log } = setup()
    machine.down('window-key')
    expect(log).toEqual(PRESS)
    expect(machine.snapshot).toMatchObject({ phase: 'held', gateOpen: true, held: ['window-key'] })

    vi.advanceTimersByTime(2_000)
    machine.up('window-key')
    expect(log.slice(PRESS.length)).toEqual(['cue-release'])
    expect(machine.snapshot).toMatchObject({ phase: 'tail', gateOpen: true, held: [] })

    vi.advanceTimersByTime(299)
    expect(machine.snapshot.gateOpen).toBe(true) // the tail still carries audio
    vi.advanceTimersByTime(1)
    expect(log.slice(PRESS.length)).toEqual(['cue-release', 'gate-closed', 'commit'])
    expect(machine.snapshot).toMatchObject({ phase: 'idle', gateOpen: false })
  })

  /** A one-second turn, released, with a mic that delivers only what the test feeds it. */
  function releasedWithColdMic() {
    const released = setup({}, { warmMic: false })
    released.machine.down('window-key')
    vi.advanceTimersByTime(1_000)
    released.machine.up('window-key')
    released.log.length = 0
    return released
  }

  it('the tail is counted in mic audio, not on the clock: frames that arrive late, in a burst, all go out before the commit', () => {
    const { machine, log } = releasedWithColdMic()
    vi.advanceTimersByTime(600) // the renderer was busy: a clock-timed tail would have closed at 300 ms
    expect(log).toEqual([])
    for (let frame = 0; frame < 29; frame++) machine.micAudio(10)
    expect(log).toEqual([]) // 290 ms of the tail so far
    machine.micAudio(10)
    expect(log).toEqual(['gate-closed', 'commit'])
  })

  it('a mic that delivers nothing after the release ends the tail on the clock', () => {
    const { machine, log } = releasedWithColdMic()
    vi.advanceTimersByTime(999)
    expect(log).toEqual([])
    vi.advanceTimersByTime(1)
    expect(log).toEqual(['gate-closed', 'commit'])
    expect(machine.snapshot.phase).toBe('idle')
  })

  it('a mic that trickles (a loaded machine) keeps the tail open until its audio is all there, however long that takes', () => {
    const { machine, log } = releasedWithColdMic()
    // 20 ms of audio every 400 ms: 280 ms of tail arrive over 5.6 s.
    for (let frame = 0; frame < 14; frame++) {
      vi.advanceTimersByTime(400)
      machine.micAudio(20)
    }
    expect(log).toEqual([])
    machine.micAudio(20)
    expect(log).toEqual(['gate-closed', 'commit'])
  })

  it('a mic that stalls part-way through the tail ends it a stall after its last frame', () => {
    const { machine, log } = releasedWithColdMic()
    vi.advanceTimersByTime(500)
    machine.micAudio(100)
    vi.advanceTimersByTime(999)
    expect(log).toEqual([])
    vi.advanceTimersByTime(1)
    expect(log).toEqual(['gate-closed', 'commit'])
  })

  it('tap: a release sooner than the threshold closes the gate, clears, and sends nothing', () => {
    const { machine, log, notices } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(149)
    machine.up('global-hold')
    expect(log).toEqual([...PRESS, 'gate-closed', 'clear'])
    expect(notices).toEqual([{ kind: 'tap', heldMs: 149 }])
    vi.advanceTimersByTime(10_000)
    expect(log).not.toContain('commit')
    expect(machine.snapshot).toMatchObject({ phase: 'idle', gateOpen: false })
  })

  it('a hold of exactly the threshold is a turn, not a tap', () => {
    const { machine, log } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(150)
    machine.up('global-hold')
    vi.advanceTimersByTime(300)
    expect(log.at(-1)).toBe('commit')
  })

  it('long hold: the watchdog releases a stuck key, commits, and ignores that key until it really goes up', () => {
    const { machine, log, notices } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(59_999)
    expect(machine.snapshot.phase).toBe('held')
    vi.advanceTimersByTime(1)
    expect(notices).toEqual([{ kind: 'watchdog', heldMs: 60_000 }])
    expect(machine.snapshot.phase).toBe('tail')
    vi.advanceTimersByTime(300)
    expect(log.slice(PRESS.length)).toEqual(['cue-release', 'gate-closed', 'commit'])

    // The key is still physically down: its auto-repeat must not start a new turn.
    machine.down('global-hold')
    expect(machine.snapshot).toMatchObject({ phase: 'idle', gateOpen: false })
    // Its late key-up is harmless, and afterwards the key works again.
    machine.up('global-hold')
    expect(log.filter((entry) => entry === 'commit')).toHaveLength(1)
    machine.down('global-hold')
    expect(machine.snapshot.phase).toBe('held')
  })

  it('a hold that ends before the watchdog leaves no watchdog behind', () => {
    const { machine, notices } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(1_000)
    machine.up('global-hold')
    vi.advanceTimersByTime(120_000)
    expect(notices).toEqual([])
  })

  it('press while the assistant talks: the assistant is stopped before the buffer is cleared and the gate opens', () => {
    const { machine, log } = setup()
    machine.down('window-key')
    expect(log.indexOf('stop-assistant')).toBeLessThan(log.indexOf('clear'))
    expect(log.indexOf('clear')).toBeLessThan(log.indexOf('gate-open'))
  })

  it('press while disconnected: refused with a notice, and the held key does not start a turn once live', () => {
    const { machine, log, notices } = setup()
    machine.setLive(false)
    log.length = 0
    machine.down('global-hold')
    expect(log).toEqual([])
    expect(notices).toEqual([{ kind: 'not-live' }])
    machine.setLive(true)
    machine.down('global-hold') // auto-repeat
    expect(log).toEqual([])
    machine.up('global-hold')
    machine.down('global-hold') // a real new press
    expect(log).toEqual(PRESS)
  })

  it('release during reconnect: the turn is abandoned (nothing committed), the gate closed, the late release ignored', () => {
    const { machine, log, notices } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(1_000)
    machine.setLive(false) // the socket dropped; the session is reconnecting
    expect(log.slice(PRESS.length)).toEqual(['gate-closed'])
    expect(notices).toEqual([{ kind: 'connection-lost' }])
    machine.up('global-hold')
    vi.advanceTimersByTime(60_000)
    machine.setLive(true)
    expect(log).not.toContain('commit')
    expect(machine.snapshot).toMatchObject({ phase: 'idle', gateOpen: false, held: [] })
  })

  it('a drop during the tail also abandons the turn', () => {
    const { machine, log } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(1_000)
    machine.up('global-hold')
    machine.setLive(false)
    vi.advanceTimersByTime(1_000)
    expect(log).not.toContain('commit')
    expect(machine.snapshot.phase).toBe('off')
  })

  it('mode switch mid-hold: what was said is committed at once, and the gate stays open for hands-free', () => {
    const { machine, log } = setup()
    machine.down('window-key')
    vi.advanceTimersByTime(1_000)
    machine.setMode('hands-free')
    expect(log.slice(PRESS.length)).toEqual(['commit'])
    expect(machine.snapshot).toMatchObject({ mode: 'hands-free', phase: 'idle', gateOpen: true })
    machine.up('window-key')
    vi.advanceTimersByTime(60_000)
    expect(log.slice(PRESS.length)).toEqual(['commit'])
  })

  it('mode switch back to push-to-talk closes the gate; hands-free ignores keys', () => {
    const { machine, log } = setup({ mode: 'hands-free' })
    expect(machine.snapshot.gateOpen).toBe(true)
    machine.down('window-key')
    machine.up('window-key')
    expect(log).toEqual([])
    machine.setMode('push-to-talk')
    expect(log).toEqual(['gate-closed'])
  })

  it('key repeat: further presses from a source already down change nothing', () => {
    const { machine, log } = setup()
    machine.down('global-hold')
    for (let i = 0; i < 30; i++) {
      vi.advanceTimersByTime(33)
      machine.down('global-hold')
    }
    expect(log).toEqual(PRESS)
    machine.up('global-hold')
    vi.advanceTimersByTime(300)
    expect(log.filter((entry) => entry === 'commit')).toHaveLength(1)
  })

  it('two sources at once: the turn starts with the first press and ends with the last release', () => {
    const { machine, log } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(500)
    machine.down('window-key')
    expect(log).toEqual(PRESS)
    expect(machine.snapshot.held).toEqual(['global-hold', 'window-key'])
    machine.up('global-hold')
    vi.advanceTimersByTime(1_000)
    expect(machine.snapshot).toMatchObject({ phase: 'held', gateOpen: true, held: ['window-key'] })
    machine.up('window-key')
    vi.advanceTimersByTime(300)
    expect(log.slice(PRESS.length)).toEqual(['cue-release', 'gate-closed', 'commit'])
  })

  it('a press during the tail continues the same turn: no second clear, one commit at the end', () => {
    const { machine, log } = setup()
    machine.down('global-hold')
    vi.advanceTimersByTime(1_000)
    machine.up('global-hold')
    vi.advanceTimersByTime(200)
    machine.down('global-hold')
    vi.advanceTimersByTime(1_000)
    machine.up('global-hold')
    vi.advanceTimersByTime(300)
    expect(log).toEqual([...PRESS, 'cue-release', 'cue-press', 'cue-release', 'gate-closed', 'commit'])
  })

  it('toggle: the first press opens, the second sends; a release from an unknown source is ignored', () => {
    const { machine, log } = setup()
    machine.up('global-toggle')
    expect(log).toEqual([])
    machine.toggle('global-toggle')
    expect(machine.snapshot.phase).toBe('held')
    vi.advanceTimersByTime(3_000)
    machine.toggle('global-toggle')
    vi.advanceTimersByTime(300)
    expect(log).toEqual([...PRESS, 'cue-release', 'gate-closed', 'commit'])
  })

  it('hands-free: the gate follows the connection only', () => {
    const { machine, log } = setup({ mode: 'hands-free' })
    machine.setLive(false)
    machine.setLive(true)
    expect(log).toEqual(['gate-closed', 'gate-open'])
  })

  it('reports every change of phase to its listener', () => {
    const phases: string[] = []
    const { machine } = setup({ onChange: (snapshot) => phases.push(snapshot.phase) })
    machine.down('window-key')
    vi.advanceTimersByTime(1_000)
    machine.up('window-key')
    vi.advanceTimersByTime(300)
    expect(phases).toEqual(['idle', 'held', 'tail', 'idle'])
  })

  it('dispose stops a pending tail: nothing is committed afterwards', () => {
    const { machine, log } = setup()
    machine.down('window-key')
    vi.advanceTimersByTime(1_000)
    machine.up('window-key')
    machine.dispose()
    vi.advanceTimersByTime(10_000)
    expect(log).not.toContain('commit')
  })
})
