/**
 * A second process using the presets store, for tests: `node --import tsx store-child.ts MODE DIR …`.
 *  - `write DIR PREFIX COUNT`: waits for DIR/go, then creates COUNT presets and selects each in turn
 *    (a CLI and the app writing at the same time).
 *  - `full-disk DIR`: the disk fills up in the middle of the next write (fs.writeSync writes half,
 *    then fails with ENOSPC, as a real full disk does); prints the error the store reports.
 *  - `create DIR NAME`: creates NAME, selects it, and sets the endpoint in the settings to
 *    https://NAME.example (one write from the app, say).
 *  - `show DIR`: prints, as one JSON line, the presets' names, the selected one, the settings, the
 *    file the backend opened and whether electron-store set itself up (its ipcMain listener).
 * With STORE_BACKEND=electron-store (and `--import test/support/electron-stub-hooks.mjs`, so
 * `electron` is the typed fake) the store runs on the app's electron-store backend; else on conf,
 * as the CLI does. fs is patched before conf and atomically load, so they write through the patch.
 */
import fs, { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const [mode, dir = '', prefix = 'p', count = '10'] = process.argv.slice(2)

if (mode === 'full-disk') {
  const realWriteSync = fs.writeSync
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (process.env['DISK_FULL'] === '1' && typeof data === 'string' && data.length > 0) {
      realWriteSync(fd, data.slice(0, Math.floor(data.length / 2)))
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 })
    }
    return (realWriteSync as (...args: unknown[]) => number)(fd, data, ...rest)
  }) as typeof fs.writeSync
}

const { openPresetStore } = await import('../../../src-main/presets/preset-store.js')
const { presetSchema } = await import('../../../src-shared/preset/preset.js')

const preset = (name: string) =>
  presetSchema.parse({
    name,
    instructions: `I am ${name}.`,
    voice: { type: 'azure-standard', name: 'en-US-AvaNeural' },
    turnDetection: { type: 'none' },
  })

const onElectronStore = process.env['STORE_BACKEND'] === 'electron-store'
const backend = onElectronStore
  ? (await import('../../../src-main/electron/electron-preset-backend.js')).electronStoreBackend
  : undefined
const store = await openPresetStore(dir, backend ? { backend } : {})
if (mode === 'write') {
  process.stdout.write('ready\n')
  while (!existsSync(join(dir, 'go'))) await sleep(5)
  for (let i = 0; i < Number(count); i++) {
    const created = await store.create(preset(`${prefix} ${i}`))
    await store.select(created.id)
  }
} else if (mode === 'full-disk') {
  process.env['DISK_FULL'] = '1'
  const error = await store.create(preset('Too much')).catch((e: unknown) => e)
  process.stdout.write(`${error instanceof Error ? error.message : 'no error'}\n`)
} else if (mode === 'create') {
  await store.select((await store.create(preset(prefix))).id)
  await store.updateSettings((settings) => ({ ...settings, connection: { endpoint: `https://${prefix}.example` } }))
} else if (mode === 'show') {
  // The same module the hooks resolve `electron` to, so this is what electron-store was given.
  const { ipcMain } = await import('../../support/electron-fake.js')
  const shown = {
    names: store
      .list()
      .filter((p) => !p.builtIn)
      .map((p) => p.name),
    selected: store.selection().preset.name,
    settings: store.settings(),
    file: store.file,
    electronStoreSetUp: ipcMain.listeners.has('electron-store-get-data'),
  }
  process.stdout.write(`${JSON.stringify(shown)}\n`)
}
