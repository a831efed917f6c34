/**
 * Closing the window keeps the app in the tray (push-to-talk works with no window open), and the
 * first time it does, a notice says so; Quit (tray menu, Cmd+Q, the OS logging out) really quits.
 * The notice is remembered by a marker file in the user data folder, so it is shown once ever.
 */
import { existsSync, writeFileSync } from 'node:fs'
import type { App, BrowserWindow } from 'electron'

export interface CloseToTrayOptions {
  readonly app: Pick<App, 'on'>
  readonly window: Pick<BrowserWindow, 'on' | 'hide'>
  /** A file whose existence means the notice was shown. */
  readonly noticeMarker: string
  readonly notify: (title: string, body: string) => void
}

export const CLOSE_TO_TRAY_NOTICE = {
  title: 'Voice Live Desktop is still running',
  body: 'It stays in the tray so push-to-talk keeps working. Choose Quit in the tray menu to close it.',
}

export function keepInTrayOnClose(options: CloseToTrayOptions): void {
  let quitting = false
  options.app.on('before-quit', () => {
    quitting = true
  })
  options.window.on('close', (event) => {
    if (quitting) return
    event.preventDefault()
    options.window.hide()
    if (existsSync(options.noticeMarker)) return
    options.notify(CLOSE_TO_TRAY_NOTICE.title, CLOSE_TO_TRAY_NOTICE.body)
    try {
      writeFileSync(options.noticeMarker, `${new Date().toISOString()}\n`)
    } catch {
      // Unwritable data folder: the notice comes again next time, which is harmless.
    }
  })
}
