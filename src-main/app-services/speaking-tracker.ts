/**
 * Whether the assistant can be heard now, for the tray icon: each chunk sent to the speaker
 * extends "speaking" by its duration (counted from when the previous audio would have ended), a
 * flush stops it at once. An estimate: it ignores the renderer's small prebuffer.
 */
export interface SpeakingTracker {
  chunk(bytes: number): void
  flush(): void
  dispose(): void
}

export function createSpeakingTracker(
  sampleRate: () => number,
  onChange: (speaking: boolean) => void,
  now: () => number = () => performance.now(),
): SpeakingTracker {
  let endsAt = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let speaking = false
  const set = (next: boolean) => {
    if (next === speaking) return
    speaking = next
    onChange(next)
  }
  const stopTimer = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return {
    chunk(bytes) {
      const start = Math.max(now(), endsAt)
      endsAt = start + (bytes / 2 / sampleRate()) * 1000
      set(true)
      stopTimer()
      timer = setTimeout(() => {
        timer = null
        set(false)
      }, endsAt - now())
    },
    flush() {
      stopTimer()
      endsAt = 0
      set(false)
    },
    dispose: stopTimer,
  }
}
