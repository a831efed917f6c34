/**
 * A small hand-written fake of the Electron APIs our adapters use (electron/fiddle style), for
 * `vi.mock('electron', () => import('../support/electron-fake.js'))`. It records what the
 * adapters register so tests can call the real handlers with crafted events.
 */
import { EventEmitter } from 'node:events'

type Handler = (event: unknown, ...args: unknown[]) => unknown

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  listeners: new Map<string, Handler[]>(),
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, handler)
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  },
  on(channel: string, listener: Handler) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener])
  },
  removeAllListeners(channel: string) {
    this.listeners.delete(channel)
  },
}

export const ipcRenderer = {
  invoked: [] as { channel: string; payload: unknown }[],
  sent: [] as { channel: string; payload: unknown }[],
  emitter: new EventEmitter(),
  async invoke(channel: string, payload: unknown) {
    this.invoked.push({ channel, payload })
    return { ok: true, value: { echoed: channel } }
  },
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  },
  on(channel: string, listener: (...args: unknown[]) => void) {
    this.emitter.on(channel, listener)
    return this
  },
  removeListener(channel: string, listener: (...args: unknown[]) => void) {
    this.emitter.removeListener(channel, listener)
    return this
  },
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api)
  },
}

type ProtocolHandler = (request: Request) => Promise<Response>
export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes)
  },
  handle(scheme: string, handler: ProtocolHandler) {
    this.handlers.set(scheme, handler)
  },
}

export const shell = {
  opened: [] as string[],
  async openExternal(url: string) {
    this.opened.push(url)
  },
}

/** Reversible stand-in for OS encryption: enough to prove plaintext never reaches the disk. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  async isAsyncEncryptionAvailable() {
    return this.available
  },
  getSelectedStorageBackend() {
    return this.backend
  },
  async encryptStringAsync(plainText: string) {
    return Buffer.concat([Buffer.from('ENC1'), Buffer.from(plainText).map((byte) => byte ^ 0x5a)])
  },
  async decryptStringAsync(encrypted: Buffer) {
    if (encrypted.subarray(0, 4).toString() !== 'ENC1') throw new Error('Error while decrypting the ciphertext')
    return { result: Buffer.from(encrypted.subarray(4).map((byte) => byte ^ 0x5a)).toString(), shouldReEncrypt: false }
  },
}

export default { ipcMain, ipcRenderer, contextBridge, protocol, shell, safeStorage }
