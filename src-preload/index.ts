/**
 * The preload: exposes exactly the bridge contract as `window.voiceLive`, one method per channel,
 * over Electron IPC. It never exposes ipcRenderer itself, so the page can reach no channel the
 * contract lacks. This is the renderer's one IPC transport (main's is src-main/electron/ipc-transport.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { CommandResult } from '../src-shared/bridge/contract.js'
import { createRendererBridge, type RendererTransport } from '../src-shared/bridge/renderer-api.js'

const transport: RendererTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<CommandResult<unknown>>,
  send: (channel, payload) => ipcRenderer.send(channel, payload),
  subscribe(channel, listener) {
    // Never hand the IpcRendererEvent to the page: it carries `sender`, i.e. ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => ipcRenderer.removeListener(channel, forward)
  },
}

contextBridge.exposeInMainWorld('voiceLive', createRendererBridge(transport))
