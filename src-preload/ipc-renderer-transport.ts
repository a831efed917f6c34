import type { IpcRenderer, IpcRendererEvent } from 'electron'
import type { CommandResult } from '../src-shared/bridge/contract.js'
import type { RendererTransport } from '../src-shared/bridge/renderer-api.js'

/** The renderer end of the bridge over Electron IPC. */
export function createIpcRendererTransport(ipc: Pick<IpcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'>): RendererTransport {
  return {
    invoke: (channel, payload) => ipc.invoke(channel, payload) as Promise<CommandResult<unknown>>,
    send: (channel, payload) => ipc.send(channel, payload),
    subscribe(channel, listener) {
      // Never hand the IpcRendererEvent to the page: it carries `sender`, i.e. ipcRenderer.
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
      ipc.on(channel, forward)
      return () => ipc.removeListener(channel, forward)
    },
  }
}
