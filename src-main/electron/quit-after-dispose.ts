/**
 * Clean shutdown. `will-quit` cannot wait for a promise, so closing the Voice Live socket (close
 * frame 1000) and the local engine there was cut short. Instead the first `before-quit` is held
 * (`preventDefault`), the services are disposed, and then the quit goes on: a second `before-quit`
 * passes through, so every other `will-quit`/`quit` listener still runs. A dispose that hangs
 * (a dead network, a stuck decoder) gets `limitMs`; a dispose that fails is logged. Either way
 * the app quits.
 */
import { app } from 'electron'

/** Long enough for a close handshake on a slow network; short enough not to feel stuck. */
export const DISPOSE_LIMIT_MS = 3000

export function quitAfterDispose(
  dispose: () => Promise<void>,
  warn: (message: string) => void,
  limitMs = DISPOSE_LIMIT_MS,
): void {
  let phase: 'running' | 'disposing' | 'disposed' = 'running'
  app.on('before-quit', (event) => {
    if (phase === 'disposed') return
    event.preventDefault()
    if (phase === 'disposing') return
    phase = 'disposing'
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        warn(`shutdown: services did not finish closing within ${limitMs} ms; quitting anyway`)
        resolve()
      }, limitMs)
    })
    const disposed = dispose().catch((error: unknown) =>
      warn(`shutdown: closing the services failed: ${error instanceof Error ? error.message : String(error)}`),
    )
    void Promise.race([disposed, limit]).then(() => {
      clearTimeout(timer)
      phase = 'disposed'
      app.quit()
    })
  })
}
