/**
 * The push-to-talk machine wired to the app: one per app (the key sources attach once), following
 * whichever session runs. It maps the machine's effects onto the session, follows the session's
 * state (live or not; push-to-talk or hands-free is what the session really uses), and reports one
 * view for the window and the tray: the phase, a cue to play, and a notice in words.
 *
 * Every key source calls `keys`: the global hold hook, the global toggle shortcut, the in-window
 * key (over the bridge) and the tray. Electron-free.
 */
import type { AudioFormat, SessionState } from '../../src-shared/session-model/session-model.js'
import {
  PushToTalkMachine,
  type PttNotice,
  type PttPhase,
  type PttTiming,
  type TalkMode,
} from './push-to-talk-machine.js'
import type { KeyTarget } from './global-hotkey.js'

/** What the machine needs from a session. */
export interface PttSessionPort {
  /** Silence the assistant (flush + truncate); the cancel goes out before this returns. */
  interrupt(): Promise<void>
  /** `input_audio_buffer.clear`, and count the turn's audio from zero. */
  clearInput(): void
  /** Mic frames reach the service only while open. */
  setInputGate(open: boolean): void
  /** Commit + `response.create`, or clear if too little audio was sent for the service. */
  commitTurn(): void
  /** The mic's PCM16 rate, to count the release tail in audio. */
  readonly audioFormat: Pick<AudioFormat, 'inputSampleRate'>
}

export interface PushToTalkView {
  readonly mode: TalkMode
  readonly phase: PttPhase
  /** A sound to play now, if cues are on. */
  readonly cue: 'press' | 'release' | null
  /** Something the user should know about the last press, in words; null when all is well. */
  readonly notice: string | null
}

export interface PushToTalkControlOptions {
  readonly timing?: Partial<PttTiming>
  readonly onView: (view: PushToTalkView) => void
}

export function noticeText(notice: PttNotice): string {
  switch (notice.kind) {
    case 'tap':
      return 'That was a tap: hold the key while you talk (nothing was sent).'
    case 'watchdog':
      return `Push-to-talk was held for ${Math.round(notice.heldMs / 1000)} s, so what you said was sent. If the key is stuck, press it once.`
    case 'not-live':
      return 'Start a session first, then hold the key to talk.'
    case 'connection-lost':
      return 'The connection dropped while you were talking: hold the key again once it is back.'
  }
}

export class PushToTalkControl {
  private session: PttSessionPort | null = null
  private readonly machine: PushToTalkMachine
  private notice: string | null = null

  constructor(private readonly options: PushToTalkControlOptions) {
    this.machine = new PushToTalkMachine(
      {
        stopAssistant: () => void this.session?.interrupt(),
        clearInput: () => this.session?.clearInput(),
        setGate: (open) => this.session?.setInputGate(open),
        commit: () => this.session?.commitTurn(),
        cue: (kind) => this.report(kind),
      },
      {
        mode: 'hands-free',
        ...(options.timing ? { timing: options.timing } : {}),
        onChange: () => this.report(null),
        onNotice: (notice) => {
          this.notice = noticeText(notice)
          this.report(null)
        },
      },
    )
  }

  /** Where every key source sends its presses. */
  get keys(): KeyTarget {
    return this.machine
  }

  get phase(): PttPhase {
    return this.machine.snapshot.phase
  }

  /** A mic frame was handed to the session: the release tail is counted in these. */
  micFrame(pcm16Bytes: number): void {
    if (!this.session) return
    this.machine.micAudio((pcm16Bytes / 2 / this.session.audioFormat.inputSampleRate) * 1000)
  }

  /** The session the presses now act on (null when none runs). */
  attach(session: PttSessionPort | null): void {
    this.session = session
    if (!session) this.machine.setLive(false)
  }

  /** Follow the session: live or not, and which mode it really uses. */
  sessionState(state: SessionState): void {
    if (state.status === 'live') {
      this.machine.setMode(state.turnDetection === 'push-to-talk' ? 'push-to-talk' : 'hands-free')
      this.machine.setLive(true)
    } else {
      this.machine.setLive(false)
    }
  }

  dispose(): void {
    this.machine.dispose()
  }

  private report(cue: PushToTalkView['cue']): void {
    const { mode, phase } = this.machine.snapshot
    // A notice stays until the next press starts a turn.
    if (cue === 'press') this.notice = null
    this.options.onView({ mode, phase, cue, notice: this.notice })
  }
}
