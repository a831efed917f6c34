/**
 * The shell's start-up, shutdown and failure paths, against the typed Electron fake: the order of
 * the calls around `ready`, a second instance, services that cannot start, a keychain that prompts
 * or fails, a quit that waits for the services (or gives up on them), and a renderer crash.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import type { ShellOptions } from '../../src-main/electron/electron-app.js'

vi.mock('electron', () => import('../support/electron-fake.js'))

const electron = await import('../support/electron-fake.js')
const { startElectronApp } = await import('../../src-main/electron/electron-app.js')
type Fake = typeof electron

/** A freshly launched app (the fake forgets the previous test's app), past `ready`. */
async function started(options: ShellOptions = {}, setUp: (fake: Fake) => void = () => undefined) {
  electron.resetFake()
  electron.app.userDataDir = mkdtempSync(join(tmpdir(), 'shell-'))
  setUp(electron)
  // electron-store imports the real `electron` package, which this fake cannot stand in for
  // (without it the presets store opens the same file with conf); the tray has tests of its own.
  startElectronApp({ loadPresetBackend: async () => undefined, integrateDesktop: async () => undefined, ...options })
  electron.app.becomeReady()
  await settle()
  return electron
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

/** A command sent by the app window's own page, through the real IPC transport. */
async function command(channel: string): Promise<unknown> {
  const window = electron.windows[0]!
  const handler = electron.ipcMain.handlers.get(channel)!
  const event = { sender: window.webContents, senderFrame: { url: 'app://renderer/index.html', parent: null } }
  return handler(event as unknown as IpcMainInvokeEvent, {})
}

function beforeQuit(): { prevented: boolean } {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) }
  electron.app.emit('before-quit', event)
  return event
}

/** Real services, with a dispose that ends as `disposed` does, and a session stop the test sees. */
function servicesWith(disposed: Promise<void>, stops: string[] = []) {
  return (options: Parameters<typeof createAppServices>[0]): AppServices => {
    const services = createAppServices(options)
    const stop = services.handlers.commands['session.stop']
    return {
      ...services,
      handlers: {
        ...services.handlers,
        commands: { ...services.handlers.commands, 'session.stop': (request) => (stops.push('session.stop'), stop(request)) },
      },
      dispose: async () => {
        await services.dispose()
        await disposed
      },
    }
  }
}

beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => undefined))
afterEach(() => vi.restoreAllMocks())

describe('start-up', () => {
  it('registers app:// and takes the single-instance lock before ready; opens the window before the keychain', async () => {
    const { calls } = await started()
    const at = (call: string) => {
      expect(calls).toContain(call)
      return calls.indexOf(call)
    }
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(at('app.ready'))
    expect(at('app.requestSingleInstanceLock')).toBeLessThan(at('app.ready'))
    expect(at('app.ready')).toBeLessThan(at('BrowserWindow.new'))
    expect(at('BrowserWindow.new')).toBeLessThan(at('safeStorage.isAsyncEncryptionAvailable'))
    expect(electron.windows).toHaveLength(1)
    expect(electron.windows[0]!.loaded).toBe('app://renderer/index.html')
  })

  it('a second instance quits at once and opens nothing', async () => {
    const { calls, windows } = await started({}, (fake) => (fake.app.singleInstanceLock = false))
    expect(calls).toContain('app.quit')
    expect(calls).not.toContain('app.whenReady')
    expect(windows).toHaveLength(0)
  })

  it('services that cannot start (unwritable data folder) give an error dialog naming the cause and exit 1', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { app, dialog, windows } = await started({}, (fake) => {
      // A file where the data folder should be: creating logs/ inside it fails.
      const notAFolder = join(mkdtempSync(join(tmpdir(), 'shell-')), 'user-data')
      writeFileSync(notAFolder, '')
      fake.app.userDataDir = notAFolder
    })
    expect(dialog.errors).toHaveLength(1)
    expect(dialog.errors[0]!.title).toBe('Voice Live Desktop could not start')
    expect(dialog.errors[0]!.content).toMatch(/ENOTDIR.*user-data/)
    expect(dialog.errors[0]!.content).toContain(app.userDataDir)
    expect(app.exitCode).toBe(1)
    expect(windows).toHaveLength(0)
  })

  it('a failure before ready (here: registering app://) also ends in the dialog and exit 1', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { app, dialog } = await started({}, (fake) =>
      vi.spyOn(fake.protocol, 'registerSchemesAsPrivileged').mockImplementation(() => {
        throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      }),
    )
    expect(dialog.errors[0]?.content).toMatch(/^protocol\.registerSchemesAsPrivileged should be called before app is ready/)
    expect(app.exitCode).toBe(1)
  })

  it('the window is up while the keychain prompts; settings wait for the keychain, then show the key as persisted', async () => {
    let answerPrompt!: () => void
    await started({}, (fake) => (fake.safeStorage.prompt = new Promise((resolve) => (answerPrompt = resolve))))
    expect(electron.windows).toHaveLength(1)
    let settings: unknown = null
    const answered = command('settings.get').then((result) => (settings = result))
    await settle()
    expect(settings).toBeNull() // still waiting for the keychain
    answerPrompt()
    await answered
    expect(settings).toMatchObject({ ok: true, value: { connection: { apiKeyPersisted: true } } })
  })

  it('a keychain that fails to open keeps the key in memory and says why; the app still works', async () => {
    await started({}, (fake) => (fake.safeStorage.failure = new Error('The user name or passphrase you entered is not correct.')))
    expect(await command('settings.get')).toMatchObject({ ok: true, value: { connection: { apiKeyPersisted: false } } })
    expect(vi.mocked(console.warn).mock.calls.flat().join('\n')).toMatch(
      /OS keychain could not be opened \(The user name or passphrase.*kept for this run only/,
    )
  })
})

describe('quitting', () => {
  it('holds the quit until the services are disposed, then quits for real', async () => {
    let finishDispose!: () => void
    await started({ createServices: servicesWith(new Promise((resolve) => (finishDispose = resolve))) })
    expect(beforeQuit().prevented).toBe(true)
    await settle()
    expect(electron.app.quitRequests).toBe(0) // still closing
    expect(beforeQuit().prevented).toBe(true) // a second Cmd+Q while closing waits too
    finishDispose()
    await vi.waitFor(() => expect(electron.app.quitRequests).toBe(1))
    expect(beforeQuit().prevented).toBe(false) // the quit it started goes through
  })

  it('gives a hanging dispose its time limit, then quits anyway', async () => {
    await started({ createServices: servicesWith(new Promise(() => undefined)), disposeLimitMs: 50 })
    beforeQuit()
    await settle()
    expect(electron.app.quitRequests).toBe(0)
    await vi.waitFor(() => expect(electron.app.quitRequests).toBe(1))
    expect(vi.mocked(console.warn).mock.calls.flat().join('\n')).toMatch(/did not finish closing within 50 ms/)
  })

  it('quits even when disposing fails, and logs why', async () => {
    const failed = Promise.reject(new Error('engine socket already gone'))
    failed.catch(() => undefined) // rejected before anyone awaits it
    await started({ createServices: servicesWith(failed) })
    beforeQuit()
    await vi.waitFor(() => expect(electron.app.quitRequests).toBe(1))
    expect(vi.mocked(console.warn).mock.calls.flat().join('\n')).toMatch(/closing the services failed: engine socket already gone/)
  })
})

describe('a renderer crash', () => {
  it('ends the session, tells the user, then reloads the window', async () => {
    const stops: string[] = []
    const { windows, dialog, calls } = await started({ createServices: servicesWith(Promise.resolve(), stops) })
    const window = windows[0]!
    calls.length = 0
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 })
    await vi.waitFor(() => expect(window.webContents.reloads).toBe(1))
    expect(stops).toEqual(['session.stop'])
    expect(dialog.messages[0]?.message).toBe("The app's window stopped unexpectedly (crashed).")
    expect(dialog.messages[0]?.detail).toMatch(/voice session was ended/)
    expect(calls).toEqual(['dialog.showMessageBox', 'webContents.reload'])
    expect(window.webContents.reloads).toBe(1)
  })

  it('a clean exit (the window closing) is not a crash', async () => {
    const stops: string[] = []
    const { windows, dialog } = await started({ createServices: servicesWith(Promise.resolve(), stops) })
    windows[0]!.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 })
    await settle()
    expect(stops).toEqual([])
    expect(dialog.messages).toEqual([])
    expect(windows[0]!.webContents.reloads).toBe(0)
  })
})
