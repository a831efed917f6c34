import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startAutoUpdates, type AppUpdater } from '../../src-main/electron/auto-update.js'

vi.mock('electron', () => import('../support/electron-fake.js'))
const { app } = await import('../support/electron-fake.js')

/** An updater whose feed is unreachable, as on a machine with no network. */
class OfflineUpdater extends EventEmitter {
  logger: AppUpdater['logger'] = console
  checks = 0
  async checkForUpdatesAndNotify(): ReturnType<AppUpdater['checkForUpdatesAndNotify']> {
    this.checks += 1
    const error = new Error('net::ERR_INTERNET_DISCONNECTED\n    at SimpleURLLoaderWrapper.<anonymous>')
    this.emit('error', error)
    throw error
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

describe('auto-update', () => {
  afterEach(() => (app.isPackaged = false))

  it('is off in development: the updater is never even loaded', () => {
    const load = vi.fn(() => new OfflineUpdater() satisfies AppUpdater)
    startAutoUpdates(() => undefined, load)
    expect(load).not.toHaveBeenCalled()
  })

  it('offline, a packaged app checks once and carries on with one quiet log line per failure', async () => {
    app.isPackaged = true
    const updater = new OfflineUpdater()
    const warnings: string[] = []
    startAutoUpdates((message) => warnings.push(message), () => updater)
    await settle()
    expect(updater.checks).toBe(1)
    expect(updater.logger).toBeNull()
    expect(warnings).toEqual([
      'update check skipped: net::ERR_INTERNET_DISCONNECTED',
      'update check skipped: net::ERR_INTERNET_DISCONNECTED',
    ])
  })

  it('an updater that cannot even load (no app-update.yml) is logged, not thrown', () => {
    app.isPackaged = true
    const warnings: string[] = []
    expect(() =>
      startAutoUpdates(
        (message) => warnings.push(message),
        () => {
          throw new Error("ENOENT: no such file or directory, open 'resources/app-update.yml'")
        },
      ),
    ).not.toThrow()
    expect(warnings).toEqual(["update check skipped: ENOENT: no such file or directory, open 'resources/app-update.yml'"])
  })
})
