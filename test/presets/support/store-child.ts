/**
 * A second process using the presets store, for tests: `node --import tsx store-child.ts MODE DIR …`.
 *  - `write DIR PREFIX COUNT`: waits for DIR/go, then creates COUNT presets and selects each in turn
 *    (a CLI and the app writing at the same time).
 *  - `full-disk DIR`: the disk fills up in the middle of the next write (fs.writeSync writes half,
 *    then fails with ENOSPC, as a real full disk does); prints the error the store reports.
 * fs is patched before conf and atomically load, so they write through the patch.
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

const store = await openPresetStore(dir)
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
}
