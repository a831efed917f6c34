/**
 * Push-to-talk's mic gate (the preset's turn detection is `none`): the user holds a key instead
 * of the service's VAD deciding when a turn ends. The gate only says whether mic audio may flow
 * and counts what went out since the last clear; when it opens and closes is decided by the app's
 * push-to-talk machine (src-main/push-to-talk/, which also keeps the release tail) or the CLI.
 */

/** The service rejects commits of less than 100 ms of audio. */
const MIN_COMMIT_MS = 100

export class PushToTalkGate {
  private open = false
  private bytesSinceClear = 0

  constructor(private readonly inputSampleRate: number) {}

  get isOpen(): boolean {
    return this.open
  }

  setOpen(open: boolean): void {
    this.open = open
  }

  /** The input buffer was cleared: the turn's audio counts from zero. */
  cleared(): void {
    this.bytesSinceClear = 0
  }

  /** Mic audio that was sent (PCM16 bytes). */
  sent(bytes: number): void {
    this.bytesSinceClear += bytes
  }

  /** What went out since the last clear, and whether it is enough for the service to commit. */
  committable(): { bytes: number; enough: boolean } {
    const minBytes = (this.inputSampleRate / 1000) * MIN_COMMIT_MS * 2
    return { bytes: this.bytesSinceClear, enough: this.bytesSinceClear >= minBytes }
  }
}
