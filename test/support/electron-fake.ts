/**
 * A small hand-written fake of the Electron APIs our adapters use (electron/fiddle style), for
 * `vi.mock('electron', () => import('../support/electron-fake.js'))`, and the recording stub the
 * start-up smoke test resolves `electron` to (test/support/electron-stub-hooks.mjs).
 *
 * Every faked member `satisfies` its real type from Electron's own electron.d.ts (`Pick<App, …>`,
 * `Pick<SafeStorage, …>`, …), so a fake cannot drift from Electron: a renamed method, a changed
 * parameter or a sync/async swap fails `tsc`. Recording fields (what was registered, `calls`) are
 * declared next to the pick. `calls` is one ordered log across all modules, for order assertions.
 * The event-emitter members (`on`, `once`, `emit`) of `app`, windows and webContents are Node's
 * own EventEmitter, which Electron's classes extend too; their `this`-typed returns cannot be
 * `Pick`ed onto a fake, so the picks list the other members.
 */
import { EventEmitter } from 'node:events'
import type {
  App,
  BaseWindow,
  BrowserWindow as ElectronBrowserWindow,
  BrowserWindowConstructorOptions,
  ContextBridge,
  Dialog,
  IpcMain,
  MessageBoxOptions,
  IpcRenderer,
  Protocol,
  SafeStorage,
  Session,
  Shell,
  WebContents,
} from 'electron'

/** Everything the fakes were asked to do, in order: `app.whenReady`, `BrowserWindow.new`, … */
export const calls: string[] = []
const record = (call: string): void => void calls.push(call)

type IpcHandler = Parameters<IpcMain['handle']>[1]
type IpcListener = Parameters<IpcMain['on']>[1]

export const ipcMain = {
  handlers: new Map<string, IpcHandler>(),
  listeners: new Map<string, IpcListener[]>(),
  handle(channel: string, handler: IpcHandler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, handler)
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  },
  on(channel: string, listener: IpcListener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener])
    return this as unknown as IpcMain
  },
  removeAllListeners(channel?: string) {
    if (channel === undefined) this.listeners.clear()
    else this.listeners.delete(channel)
    return this as unknown as IpcMain
  },
} satisfies Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeAllListeners'> & {
  handlers: Map<string, IpcHandler>
  listeners: Map<string, IpcListener[]>
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
  on(channel: string, listener: Parameters<IpcRenderer['on']>[1]) {
    this.emitter.on(channel, listener)
    return this as unknown as IpcRenderer
  },
  removeListener(channel: string, listener: Parameters<IpcRenderer['removeListener']>[1]) {
    this.emitter.removeListener(channel, listener)
    return this as unknown as IpcRenderer
  },
} satisfies Pick<IpcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'> & {
  invoked: { channel: string; payload: unknown }[]
  sent: { channel: string; payload: unknown }[]
  emitter: EventEmitter
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api)
  },
} satisfies Pick<ContextBridge, 'exposeInMainWorld'> & { exposed: Map<string, unknown> }

type ProtocolHandler = Parameters<Protocol['handle']>[1]
type CustomScheme = Parameters<Protocol['registerSchemesAsPrivileged']>[0][number]
export const protocol = {
  privileged: [] as CustomScheme[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: CustomScheme[]) {
    record('protocol.registerSchemesAsPrivileged')
    this.privileged.push(...schemes)
  },
  handle(scheme: string, handler: ProtocolHandler) {
    record('protocol.handle')
    this.handlers.set(scheme, handler)
  },
} satisfies Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'> & {
  privileged: CustomScheme[]
  handlers: Map<string, ProtocolHandler>
}

export const shell = {
  opened: [] as string[],
  async openExternal(url: string) {
    this.opened.push(url)
  },
  async openPath(path: string) {
    this.opened.push(path)
    return ''
  },
} satisfies Pick<Shell, 'openExternal' | 'openPath'> & { opened: string[] }

type StorageBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>
/** Why tests of the `basic_text` backend run only on Linux (itOnlyOn's reason). */
export const BASIC_TEXT_IS_LINUX_ONLY = "basic_text is Electron's Linux-only safeStorage backend"
/** Reversible stand-in for OS encryption: enough to prove plaintext never reaches the disk. */
export const safeStorage = {
  available: true as boolean,
  backend: 'gnome_libsecret' as StorageBackend,
  /** Set to make the keychain fail to open, as a locked or broken keychain does. */
  failure: null as Error | null,
  /** Set to hold the keychain open, as a macOS keychain prompt waiting for the user does. */
  prompt: null as Promise<void> | null,
  async isAsyncEncryptionAvailable() {
    record('safeStorage.isAsyncEncryptionAvailable')
    await this.prompt
    if (this.failure) throw this.failure
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
} satisfies Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptStringAsync' | 'decryptStringAsync'
> & { available: boolean; backend: StorageBackend; failure: Error | null; prompt: Promise<void> | null }

export const dialog = {
  errors: [] as { title: string; content: string }[],
  messages: [] as MessageBoxOptions[],
  showErrorBox(title: string, content: string) {
    record('dialog.showErrorBox')
    this.errors.push({ title, content })
  },
  async showMessageBox(windowOrOptions: BaseWindow | MessageBoxOptions, options?: MessageBoxOptions) {
    record('dialog.showMessageBox')
    this.messages.push(options ?? (windowOrOptions as MessageBoxOptions))
    return { response: 0, checkboxChecked: false }
  },
} satisfies Pick<Dialog, 'showErrorBox' | 'showMessageBox'> & {
  errors: { title: string; content: string }[]
  messages: MessageBoxOptions[]
}

/** A fake `app`: an EventEmitter (tests `emit('before-quit', event)`), ready when `becomeReady()` runs. */
class FakeApp extends EventEmitter {
  isPackaged = false
  singleInstanceLock = true
  userDataDir = '/nonexistent/voice-live-user-data'
  exitCode: number | null = null
  quitRequests = 0
  #becomeReady: () => void = () => undefined
  #ready = new Promise<void>((resolve) => (this.#becomeReady = resolve))
  /** Back to a freshly launched app: not ready, no listeners, lock free. */
  reset() {
    this.removeAllListeners()
    this.#ready = new Promise<void>((resolve) => (this.#becomeReady = resolve))
    this.isPackaged = false
    this.singleInstanceLock = true
    this.exitCode = null
    this.quitRequests = 0
  }
  whenReady() {
    record('app.whenReady')
    return this.#ready
  }
  /** Electron's `ready`: resolves `whenReady()`. */
  becomeReady() {
    record('app.ready')
    this.#becomeReady()
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock')
    return this.singleInstanceLock
  }
  enableSandbox() {
    record('app.enableSandbox')
  }
  getPath(name: Parameters<App['getPath']>[0]) {
    if (name !== 'userData') throw new Error(`the fake app knows only userData, not ${name}`)
    return this.userDataDir
  }
  setPath(name: Parameters<App['setPath']>[0], path: string) {
    if (name !== 'userData') throw new Error(`the fake app knows only userData, not ${name}`)
    record(`app.setPath(${name})`)
    this.userDataDir = path
  }
  getVersion() {
    return '0.0.0-test'
  }
  quit() {
    record('app.quit')
    this.quitRequests += 1
  }
  exit(exitCode = 0) {
    record(`app.exit(${exitCode})`)
    this.exitCode = exitCode
  }
}
export const app = new FakeApp() satisfies Pick<
  App,
  | 'whenReady'
  | 'requestSingleInstanceLock'
  | 'enableSandbox'
  | 'getPath'
  | 'setPath'
  | 'getVersion'
  | 'quit'
  | 'exit'
  | 'isPackaged'
>

type FakeSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>
}
export const session = {
  defaultSession: {
    setPermissionRequestHandler() {
      record('session.setPermissionRequestHandler')
    },
    setPermissionCheckHandler() {
      record('session.setPermissionCheckHandler')
    },
    webRequest: {
      onHeadersReceived() {
        record('session.webRequest.onHeadersReceived')
      },
    },
  } satisfies FakeSession,
}

/** The part of WebContents the shell uses; `emit('render-process-gone', …)` simulates a crash. */
class FakeWebContents extends EventEmitter {
  sent: { channel: string; args: unknown[] }[] = []
  reloads = 0
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args })
  }
  reload() {
    record('webContents.reload')
    this.reloads += 1
  }
  setWindowOpenHandler() {}
}
const webContentsFits = (contents: FakeWebContents) =>
  contents satisfies Pick<WebContents, 'send' | 'reload' | 'setWindowOpenHandler'>

/** Every window the shell created, newest last. */
export const windows: FakeBrowserWindow[] = []

class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents()
  loaded: string | null = null
  #destroyed = false
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super()
    record('BrowserWindow.new')
    webContentsFits(this.webContents)
    windows.push(this)
  }
  async loadURL(url: string) {
    record('BrowserWindow.loadURL')
    this.loaded = url
  }
  show() {}
  isDestroyed() {
    return this.#destroyed
  }
  destroy() {
    this.#destroyed = true
    this.emit('closed')
  }
}
export const BrowserWindow = FakeBrowserWindow satisfies new (
  options: BrowserWindowConstructorOptions,
) => Pick<ElectronBrowserWindow, 'loadURL' | 'show' | 'isDestroyed' | 'destroy'>

/** Forget everything recorded and registered, for tests that start the shell more than once. */
export function resetFake(): void {
  calls.length = 0
  ipcMain.handlers.clear()
  ipcMain.listeners.clear()
  protocol.privileged.length = 0
  protocol.handlers.clear()
  shell.opened.length = 0
  Object.assign(safeStorage, { available: true, backend: 'gnome_libsecret', failure: null, prompt: null })
  dialog.errors.length = 0
  dialog.messages.length = 0
  app.reset()
  windows.length = 0
}

export default {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  protocol,
  safeStorage,
  session,
  shell,
}
