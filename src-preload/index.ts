/**
 * The preload: exposes exactly the bridge contract as `window.voiceLive`, one method per channel.
 * It never exposes ipcRenderer itself, so the page can reach no channel the contract lacks.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createRendererBridge } from '../src-shared/bridge/renderer-api.js'
import { createIpcRendererTransport } from './ipc-renderer-transport.js'

contextBridge.exposeInMainWorld('voiceLive', createRendererBridge(createIpcRendererTransport(ipcRenderer)))
