/**
 * Chromium (or Google Chrome, found by find-browser.ts) driven by playwright-core, with a fake microphone fed from a WAV file.
 * Without the background-networking flags Chromium keeps trying to reach Google's services, which
 * on a closed network means a stream of failed connection attempts (and slower, noisier runs).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { findBrowser } from './find-browser.js'

/** The browser to drive; without one, the error says what `npm test`'s preflight would have. */
function browserPath(): string {
  const search = findBrowser()
  if (!search.found) throw new Error(`${search.reason}: set CHROMIUM_PATH or install Chromium or Google Chrome`)
  return search.path
}

export interface LaunchOptions {
  /** WAV file the fake microphone plays; it plays once, then silence (`%noloop`). */
  readonly micWav?: string
  /** Let the fake microphone loop the file forever. */
  readonly loopMic?: boolean
  /** Headed under Xvfb (needs DISPLAY); headless otherwise. */
  readonly headed?: boolean
  /** Deny the microphone permission instead of granting it. */
  readonly denyMic?: boolean
  readonly extraArgs?: readonly string[]
}

/** The command-line flags both launchers use (see env-spike.md). */
export function chromiumArgs(options: LaunchOptions = {}): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    ...(options.denyMic ? ['--deny-permission-prompts'] : ['--use-fake-ui-for-media-stream']),
    ...(options.micWav ? [`--use-file-for-fake-audio-capture=${options.micWav}${options.loopMic ? '' : '%noloop'}`] : []),
    ...(options.extraArgs ?? []),
  ]
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: browserPath(), headless: !options.headed, args: chromiumArgs(options) })
}

export interface SpawnedChromium {
  /** The browser process; its descendants are the renderers and utility processes. */
  readonly pid: number
  close(): Promise<void>
}

/**
 * Headless Chromium opened straight on `url`, with no DevTools connection. A CDP client makes
 * Chromium instrument every page (each WebSocket frame becomes a protocol event), which costs
 * the renderer CPU the app never pays; the CPU benchmark measures a browser launched this way.
 */
export async function spawnChromium(url: string, options: LaunchOptions = {}): Promise<SpawnedChromium> {
  const executable = browserPath()
  const profile = await mkdtemp(join(tmpdir(), 'vl-chromium-'))
  // Its own process group, so close() ends the renderers and utility processes too.
  const child = spawn(executable, ['--headless', `--user-data-dir=${profile}`, ...chromiumArgs(options), url], {
    stdio: 'ignore',
    detached: true,
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  await new Promise<void>((started, failed) => {
    child.once('spawn', started)
    child.once('error', (error) => failed(new Error(`Chromium could not start (${executable}): ${error.message}`)))
  })
  return {
    pid: child.pid!,
    async close() {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))])
      await rm(profile, { recursive: true, force: true })
    },
  }
}
