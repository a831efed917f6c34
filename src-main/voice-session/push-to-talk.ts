/**
 * Push-to-talk's mic gate (the preset's turn detection is `none`): the user holds a key instead
 * of the service's VAD deciding when a turn ends. Press opens the gate and counts the audio sent
 * from zero; release keeps it open for a short tail, so the last syllable is not cut, then closes
 * it and says whether enough audio went out to commit (the service refuses commits under 100 ms).
 * Pressing again during the tail carries on with the same turn.
 */
import { setTimeout as sleep } from 'node:timers/promises'

/** The service rejects commits of less than 100 ms of audio. */
const MIN_COMMIT_MS = 100

export class PushToTalkGate {
  private open = false
  private releasing = false
  private bytesSinceClear = 0

  constructor(
    private readonly inputSampleRate: number,
    private readonly tailMs: number,
  ) {}

  get isOpen(): boolean {
    return this.open
  }

  /** A press: the input buffer was cleared, mic audio may flow. */
  press(): void {
    this.open = true
    this.releasing = false
    this.bytesSinceClear = 0
  }

  /** Mic audio that was sent (PCM16 bytes). */
  sent(bytes: number): void {
    this.bytesSinceClear += bytes
  }

  /**
   * A release: closes the gate after the tail. Resolves null when there is nothing to do (not
   * pressed, already releasing, or pressed again during the tail).
   */
  async release(): Promise<{ bytes: number; enough: boolean } | null> {
    if (!this.open || this.releasing) return null
    this.releasing = true
    await sleep(this.tailMs)
    if (!this.releasing) return null // pressed again during the tail
    this.releasing = false
    this.open = false
    const minBytes = (this.inputSampleRate / 1000) * MIN_COMMIT_MS * 2
    return { bytes: this.bytesSinceClear, enough: this.bytesSinceClear >= minBytes }
  }

  /** The connection dropped: the user must press again. */
  close(): void {
    this.open = false
  }
}
