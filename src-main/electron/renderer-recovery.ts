/**
 * When the window's renderer dies (crash, out of memory, killed), main still holds the Voice Live
 * session: the socket stays open and billed while no microphone feeds it and nothing plays.
 * So: end the session first, then tell the user what happened, then reload the page (which asks
 * main for the current state and shows "idle"). A `clean-exit` is the window closing, not a crash.
 */
import { dialog, type BrowserWindow, type RenderProcessGoneDetails } from 'electron'

export function recoverFromRendererCrash(
  window: BrowserWindow,
  endSession: () => Promise<unknown>,
  warn: (message: string) => void,
): void {
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return
    warn(`renderer gone (${details.reason}, exit code ${details.exitCode}); ending the session and reloading`)
    void recover(window, details, endSession, warn)
  })
}

async function recover(
  window: BrowserWindow,
  details: RenderProcessGoneDetails,
  endSession: () => Promise<unknown>,
  warn: (message: string) => void,
): Promise<void> {
  await endSession().catch((error: unknown) => warn(`ending the session after the renderer crash failed: ${String(error)}`))
  if (window.isDestroyed()) return
  await dialog.showMessageBox(window, {
    type: 'warning',
    title: 'Voice Live Desktop',
    message: `The app's window stopped unexpectedly (${details.reason}).`,
    detail: 'Your voice session was ended, so it no longer uses the microphone or your Azure resource. The window will now reload.',
    buttons: ['Reload'],
  })
  if (!window.isDestroyed()) window.webContents.reload()
}
