/**
 * Child process of the start-up smoke test (run with `--import tsx --import electron-stub-hooks.mjs`):
 * imports the built main bundle against the recording fake, lets the app become ready, and prints
 * one JSON line: whether evaluating the bundle threw, and every Electron call in order.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, calls, dialog, windows } from './electron-fake.js'

const [bundle] = process.argv.slice(2)
if (!bundle) throw new Error('usage: run-built-main.ts <out/main/index.js>')
app.userDataDir = mkdtempSync(join(tmpdir(), 'smoke-user-data-'))
let evaluationError: string | null = null
try {
  await import(pathToFileURL(bundle).href)
} catch (error) {
  evaluationError = error instanceof Error ? (error.stack ?? error.message) : String(error)
}
app.becomeReady()
// After `ready` the shell loads its presets backend before creating the window: wait for the
// window (10 s at most, for a loaded machine), then a moment for the calls that follow it.
for (const deadline = Date.now() + 10_000; !windows[0]?.loaded && Date.now() < deadline; ) {
  await new Promise((resolve) => setTimeout(resolve, 20))
}
await new Promise((resolve) => setTimeout(resolve, 200))
const window = windows[0]
process.stdout.write(
  `${JSON.stringify({ evaluationError, calls, errors: dialog.errors, loaded: window?.loaded ?? null, preload: window?.options.webPreferences?.preload ?? null })}\n`,
)
process.exit(0)
