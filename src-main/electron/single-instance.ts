/**
 * One app per user: a second launch would run a second session on the same data folder (two
 * microphones, two engines, one log file). The first instance keeps the lock; a second launch
 * hands over (Electron sends the first one `second-instance`), which shows and focuses its window,
 * and then quits. This is the one place the app asks for the lock.
 */
import type { App, BrowserWindow } from 'electron'

/** True if this process is the app; false if it must quit (it has already asked to). */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>,
  focusExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', () => focusExisting())
  return true
}

/** Bring a window back from the tray, the dock or under other windows. */
export function revealWindow(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
