/**
 * The bridge contract over Electron IPC, for one window. The only main-process module allowed to
 * use ipcMain (ESLint enforces it). Every message is checked to come from that window's own top
 * frame showing the app's page before serveBridge ever sees it.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron'
import { commandChannels, sendChannels, type EventChannel } from '../../src-shared/bridge/channels.js'
import type { MainTransport } from '../bridge/serve-bridge.js'
import { isAppUrl } from './app-origin.js'

export function isTrustedSender(
  event: IpcMainEvent | IpcMainInvokeEvent,
  window: BrowserWindow,
  devServerUrl: string | undefined,
): boolean {
  const frame = event.senderFrame
  return (
    event.sender === window.webContents &&
    frame !== null &&
    frame.parent === null && // the top frame, not an iframe
    isAppUrl(frame.url, devServerUrl)
  )
}

export function createIpcTransport(
  window: BrowserWindow,
  devServerUrl: string | undefined,
  onRejected: (channel: string, reason: string) => void,
): MainTransport {
  return {
    listen(inbox) {
      for (const channel of commandChannels) {
        ipcMain.handle(channel, (event, payload: unknown) => {
          if (!isTrustedSender(event, window, devServerUrl)) {
            onRejected(channel, 'sender is not the app window')
            return { ok: false, error: { code: 'forbidden_sender', message: 'Sender is not the app window.' } }
          }
          return inbox.command(channel, payload)
        })
      }
      for (const channel of sendChannels) {
        ipcMain.on(channel, (event, payload: unknown) => {
          if (isTrustedSender(event, window, devServerUrl)) inbox.send(channel, payload)
          else onRejected(channel, 'sender is not the app window')
        })
      }
    },
    emit(channel: EventChannel, payload: unknown) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload)
    },
    close() {
      for (const channel of commandChannels) ipcMain.removeHandler(channel)
      for (const channel of sendChannels) ipcMain.removeAllListeners(channel)
    },
  }
}
