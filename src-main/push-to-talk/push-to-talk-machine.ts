/**
 * The one owner of the microphone gate. Every key source (the global hold hook, the global toggle
 * shortcut, the in-window key, the tray) reports presses and releases here; the machine decides
 * when audio reaches the service and when a turn ends, and tells its effects what to do.
 *
 * Push-to-talk:
 *   press   → stop the assistant, clear the input buffer, open the gate, cue;
 *   release → keep the gate open for a tail (~300 ms: the last syllable is still in flight), then
 *             close it and commit (+ response.create). A press during the tail continues the turn.
 *             The tail is counted in mic audio that arrives after the release, not on the clock:
 *             frames reach main in bursts when the renderer or main is busy, and a clock-timed tail
 *             then closes before the last syllable arrives. The clock ends it only if the mic stalls
 *             (no audio for `tailStallMs`): under load, frames can trickle in slower than real time.
 *   A hold shorter than `tapMs` is a tap: the gate closes and the buffer is cleared, nothing is sent.
 *   A hold longer than `watchdogMs` is a stuck key (a lost key-up): the machine releases by itself
 *   and ignores that source until it really goes up.
 * Hands-free: the gate is open whenever the session is live; keys do nothing (but a press with
 * no live session, in either mode, gets the `not-live` notice).
 *
 * Several sources may be held at once: the turn starts with the first press and ends with the last
 * release. Key repeat (a second press from a source already down) is ignored. A press while the
 * session is not live is refused, and a turn under way when the connection drops is abandoned (the
 * service lost its input buffer with the socket). Pure: no Electron, no I/O; timers only.
 */

export type TalkMode = 'hands-free' | 'push-to-talk'
/** `off`: not live. `idle`: live, gate closed (or open in hands-free). `held`/`tail`: a turn. */
export type PttPhase = 'off' | 'idle' | 'held' | 'tail'

/** What the machine asks the session (and the UI) to do. Called synchronously, in this order. */
export interface PttEffects {
  /** Silence the assistant now (flush the speaker, truncate to what was heard). */
  stopAssistant(): void
  /** Drop whatever is in the service's input buffer (`input_audio_buffer.clear`). */
  clearInput(): void
  /** Mic frames reach the service only while the gate is open. */
  setGate(open: boolean): void
  /** End the user's turn: `input_audio_buffer.commit` + `response.create`. */
  commit(): void
  /** A short sound, so the user hears the press and the release (may be turned off). */
  cue(kind: 'press' | 'release'): void
}

export type PttNotice =
  | { readonly kind: 'tap'; readonly heldMs: number }
  | { readonly kind: 'watchdog'; readonly heldMs: number }
  | { readonly kind: 'not-live' }
  | { readonly kind: 'connection-lost' }

export interface PttSnapshot {
  readonly mode: TalkMode
  readonly phase: PttPhase
  readonly gateOpen: boolean
  /** Sources holding the key now, in press order. */
  readonly held: readonly string[]
}

export interface PttTiming {
  /** Mic audio kept after the release, before the commit. */
  readonly tailMs: number
  /** The tail ends anyway after this long without mic audio (a stalled or unplugged mic), counted
   * from the release and again from each frame. Not a limit on the whole tail: on a loaded machine
   * the renderer can deliver 300 ms of audio over more than a second, and a fixed cap would then
   * cut off the last word while its audio is still arriving. */
  readonly tailStallMs: number
  /** A release sooner than this after the press is a tap: nothing is sent. */
  readonly tapMs: number
  /** A hold longer than this is taken as a lost key-up. */
  readonly watchdogMs: number
}

export const DEFAULT_PTT_TIMING: PttTiming = { tailMs: 300, tailStallMs: 1_000, tapMs: 150, watchdogMs: 60_000 }

export interface PttMachineOptions {
  readonly mode: TalkMode
  readonly timing?: Partial<PttTiming>
  readonly now?: () => number
  readonly onChange?: (snapshot: PttSnapshot) => void
  readonly onNotice?: (notice: PttNotice) => void
}

export class PushToTalkMachine {
  private mode: TalkMode
  private phase: PttPhase = 'off'
  private gateOpen = false
  private readonly held = new Set<string>()
  /** Sources whose press was refused or cut short: ignored until they go up. */
  private readonly latched = new Set<string>()
  private pressedAt = 0
  private tailTimer: ReturnType<typeof setTimeout> | null = null
  /** Mic audio that has arrived since the release, in ms. */
  private tailAudioMs = 0
  private watchdogTimer: ReturnType<typeof setTimeout> | null = null
  private readonly timing: PttTiming
  private readonly now: () => number

  constructor(
    private readonly effects: PttEffects,
    private readonly options: PttMachineOptions,
  ) {
    this.mode = options.mode
    this.timing = { ...DEFAULT_PTT_TIMING, ...options.timing }
    this.now = options.now ?? (() => performance.now())
  }

  get snapshot(): PttSnapshot {
    return { mode: this.mode, phase: this.phase, gateOpen: this.gateOpen, held: [...this.held] }
  }

  /** A key source went down. Repeats from a source already down are ignored. */
  down(source: string): void {
    if (this.held.has(source) || this.latched.has(source)) return
    if (this.phase === 'off') {
      this.latched.add(source) // its repeats must not start a turn once the session is live
      this.options.onNotice?.({ kind: 'not-live' })
      return
    }
    if (this.mode !== 'push-to-talk') return
    this.held.add(source)
    if (this.phase === 'held') return this.changed() // a second source joins the turn
    if (this.phase === 'tail') {
      // Pressed again before the commit: the same turn goes on, nothing is cleared.
      this.clearTail()
      this.phase = 'held'
      this.effects.cue('press')
      return this.changed()
    }
    this.pressedAt = this.now()
    this.effects.stopAssistant()
    this.effects.clearInput()
    this.setGate(true)
    this.phase = 'held'
    this.watchdogTimer = setTimeout(() => this.onWatchdog(), this.timing.watchdogMs)
    this.effects.cue('press')
    this.changed()
  }

  /** A key source went up. The turn ends when the last source is up. */
  up(source: string): void {
    this.latched.delete(source)
    if (!this.held.delete(source)) return
    if (this.held.size > 0) return this.changed()
    this.release()
  }

  /** Mic audio arrived (after it was forwarded through the gate): during the tail it counts down. */
  micAudio(ms: number): void {
    if (this.phase !== 'tail') return
    this.tailAudioMs += ms
    if (this.tailAudioMs >= this.timing.tailMs) this.endTurn()
    else this.armTailStall()
  }

  /** A source with no key-up (a press-only global shortcut): each press flips it. */
  toggle(source: string): void {
    if (this.held.has(source)) this.up(source)
    else this.down(source)
  }

  /** The session went live, or stopped being live (connecting, reconnecting, ended, failed). */
  setLive(live: boolean): void {
    if (live === (this.phase !== 'off')) return
    if (live) {
      this.phase = 'idle'
      this.setGate(this.mode === 'hands-free')
      return this.changed()
    }
    const turnLost = this.phase === 'held' || this.phase === 'tail'
    this.abandonTurn()
    this.phase = 'off'
    this.setGate(false)
    if (turnLost) this.options.onNotice?.({ kind: 'connection-lost' })
    this.changed()
  }

  /** Switching mode mid-turn ends the turn at once: what was said is sent, not lost. */
  setMode(mode: TalkMode): void {
    if (mode === this.mode) return
    if (this.phase === 'held' || this.phase === 'tail') {
      this.abandonTurn()
      this.effects.commit()
      this.phase = 'idle'
    }
    this.mode = mode
    if (this.phase !== 'off') this.setGate(mode === 'hands-free')
    this.changed()
  }

  /** Stop the timers and any turn under way, sending nothing (the app is quitting). */
  dispose(): void {
    this.abandonTurn()
    this.phase = 'off' // late mic audio must not end a tail that no longer exists
  }

  private release(): void {
    const heldMs = this.now() - this.pressedAt
    this.clearWatchdog()
    if (heldMs < this.timing.tapMs) {
      this.setGate(false)
      this.effects.clearInput()
      this.phase = 'idle'
      this.options.onNotice?.({ kind: 'tap', heldMs })
      return this.changed()
    }
    this.phase = 'tail'
    this.tailAudioMs = 0
    this.effects.cue('release')
    this.armTailStall()
    this.changed()
  }

  private endTurn(): void {
    this.clearTail()
    this.setGate(false)
    this.effects.commit()
    this.phase = 'idle'
    this.changed()
  }

  private onWatchdog(): void {
    this.watchdogTimer = null
    const heldMs = this.now() - this.pressedAt
    // The key-up was lost (or the key is stuck): until each source really goes up, ignore it.
    for (const source of this.held) this.latched.add(source)
    this.held.clear()
    this.options.onNotice?.({ kind: 'watchdog', heldMs })
    this.release()
  }

  /** Drop the turn in progress without sending it. The held sources stay latched until up. */
  private abandonTurn(): void {
    this.clearTail()
    this.clearWatchdog()
    for (const source of this.held) this.latched.add(source)
    this.held.clear()
  }

  private setGate(open: boolean): void {
    if (open === this.gateOpen) return
    this.gateOpen = open
    this.effects.setGate(open)
  }

  private armTailStall(): void {
    this.clearTail()
    this.tailTimer = setTimeout(() => this.endTurn(), this.timing.tailStallMs)
  }

  private clearTail(): void {
    if (this.tailTimer) clearTimeout(this.tailTimer)
    this.tailTimer = null
  }

  private clearWatchdog(): void {
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer)
    this.watchdogTimer = null
  }

  private changed(): void {
    this.options.onChange?.(this.snapshot)
  }
}
