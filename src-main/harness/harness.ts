/**
 * `npm run harness [-- --port N] [--data-dir DIR]`: the app in a browser, with no Electron. Its data
 * folder defaults to the app's (`VOICE_LIVE_CONFIG_DIR` overrides it), so it shares the app's presets.
 * Prints one line when ready, `harness on http://127.0.0.1:PORT/#token=...`, and runs until
 * SIGINT/SIGTERM. In a fresh checkout it first builds the app (`electron-vite build`) into `out/`;
 * after changing the renderer, rebuild with `npx electron-vite build`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'electron-vite'
import { z } from 'zod'
import { resolveAppDataDir } from '../app-data/app-data-dir.js'
import { startHarness } from './harness-server.js'

const ROOT = resolve(import.meta.dirname, '../..')
const USAGE = 'usage: npm run harness -- [--port N] [--data-dir DIR]'

function fail(message: string): never {
  process.stderr.write(`harness: ${message}\n${USAGE}\n`)
  process.exit(2)
}

function parseCommandLine(): { port: number; dataDir: string } {
  let values: { port?: string; 'data-dir'?: string }
  try {
    values = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true }).values
  } catch (error) {
    fail((error as Error).message)
  }
  const port = z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .safeParse(values.port ?? '0')
  if (!port.success) fail(`--port must be a whole number from 0 to 65535 (0 = any free port), not "${values.port}"`)
  // The app's data folder (VOICE_LIVE_CONFIG_DIR overrides it), so the harness sees the app's presets.
  return {
    port: port.data,
    dataDir: values['data-dir'] === undefined ? resolveAppDataDir() : resolve(values['data-dir']),
  }
}

async function main(): Promise<void> {
  const { port, dataDir } = parseCommandLine()
  const rendererDir = join(ROOT, 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('harness: no built renderer yet; building the app once (npx electron-vite build)…\n')
    await build({ root: ROOT, logLevel: 'silent' }).catch((error: unknown) =>
      fail(`the build failed: ${(error as Error).message}`),
    )
  }
  const { version } = z
    .object({ version: z.string() })
    .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')))
  const harness = await startHarness({
    port,
    rendererDir,
    userDataDir: dataDir,
    appVersion: version,
    onRejected: (reason) => process.stderr.write(`harness: refused ${reason}\n`),
  }).catch((error: unknown) => fail(`could not start: ${(error as Error).message}`))
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    void harness.close().then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  // Only once the handlers are in place: a caller may signal as soon as it reads this line.
  process.stdout.write(`harness on ${harness.url}\n`)
}

void main()
