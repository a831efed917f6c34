import type { BrowserWindow, IpcMainEvent, IpcMainInvokeEvent } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { commandChannels, sendChannels } from '../../src-shared/bridge/channels.js'
import { createIpcTransport } from '../../src-main/electron/ipc-transport.js'
import type { BridgeInbox } from '../../src-main/bridge/serve-bridge.js'

vi.mock('electron', () => import('../support/electron-fake.js'))
const { ipcMain } = await import('../support/electron-fake.js')

const webContents = { send: vi.fn() }
const window = { webContents, isDestroyed: () => false } as unknown as BrowserWindow

const topFrame = (url: string) => ({ url, parent: null })
const event = (frame: unknown, sender: unknown = webContents) =>
  ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent & IpcMainEvent

function listening() {
  const rejected: string[] = []
  const received: string[] = []
  const transport = createIpcTransport(window, undefined, (channel, reason) => rejected.push(`${channel}: ${reason}`))
  const inbox: BridgeInbox = {
    command: async (channel) => {
      received.push(channel)
      return { ok: true, value: {} }
    },
    send: (channel) => void received.push(channel),
  }
  transport.listen(inbox)
  return { transport, rejected, received }
}

describe('IPC transport', () => {
  afterEach(() => {
    for (const channel of commandChannels) ipcMain.removeHandler(channel)
    for (const channel of sendChannels) ipcMain.removeAllListeners(channel)
  })

  it('registers exactly the contract channels', () => {
    listening()
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...commandChannels].sort())
    expect([...ipcMain.listeners.keys()].sort()).toEqual([...sendChannels].sort())
  })

  it('accepts the app window top frame', async () => {
    const { received } = listening()
    const result = await ipcMain.handlers.get('session.stop')?.(event(topFrame('app://renderer/index.html')), {})
    ipcMain.listeners.get('audio.mic-frame')?.[0]?.(event(topFrame('app://renderer/index.html')), new Uint8Array(960))
    expect(result).toEqual({ ok: true, value: {} })
    expect(received).toEqual(['session.stop', 'audio.mic-frame'])
  })

  it('rejects iframes, foreign pages and other webContents', async () => {
    const { received, rejected } = listening()
    const foreign = [
      event({ url: 'app://renderer/index.html', parent: topFrame('app://renderer/index.html') }), // iframe
      event(topFrame('https://evil.example/')),
      event(topFrame('file:///tmp/x.html')),
      event(topFrame('app://renderer/index.html'), { send: vi.fn() }), // another window
      event(null), // frame already gone
    ]
    for (const e of foreign) {
      const result = await ipcMain.handlers.get('session.start')?.(e, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } })
      ipcMain.listeners.get('audio.mic-frame')?.[0]?.(e, new Uint8Array(960))
    }
    expect(received).toEqual([])
    expect(rejected).toHaveLength(10)
  })

  it('removes every handler on close', () => {
    const { transport } = listening()
    transport.close()
    expect(ipcMain.handlers.size).toBe(0)
    expect(ipcMain.listeners.size).toBe(0)
  })
})
