/**
 * Real keys: uiohook-napi under a private Xvfb, driven by `xdotool keydown/keyup` of the default
 * hotkey, reaches the push-to-talk machine (press effects on key-down, tail then commit on key-up).
 * libuiohook's start() dies with BadWindow when no window has focus, so an `xev` window is opened
 * and focused first. Skipped, with the reason in its name, where no X server can be started (npm
 * test's preflight asks for Xvfb, xdotool and xev on Linux, so there only a direct run can skip it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeUnless } from '../support/only-on.js'
import { startXvfb, type VirtualDisplay } from '../support/xvfb.js'

const missing = ['Xvfb', 'xdotool', 'xev'].filter((tool) => spawnSync('which', [tool]).status !== 0)
const skipReason =
  process.platform !== 'linux'
    ? `not Linux (${process.platform})`
    : missing.length > 0
      ? `missing ${missing.join(', ')} (npm run setup:linux installs them)`
      : null
const tsxCli = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs')

describeUnless(skipReason)('real keys under Xvfb', () => {
  let display: VirtualDisplay
  let xev: ChildProcess | undefined
  let child: ChildProcess | undefined
  const lines: string[] = []
  const env = () => ({ ...process.env, DISPLAY: display.display, XDG_SESSION_TYPE: 'x11' })
  const xdotool = (...args: string[]) => {
    const result = spawnSync('xdotool', args, { env: env(), timeout: 10_000, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`xdotool ${args.join(' ')} failed: ${result.stderr}`)
  }
  const waitFor = async (predicate: () => boolean, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the hook printed: ${lines.join(' | ')}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  beforeAll(async () => {
    display = await startXvfb('800x600x24')
    xev = spawn('xev', ['-geometry', '100x100+0+0'], { env: env(), stdio: 'ignore' })
    xdotool('search', '--sync', '--onlyvisible', '--name', '^Event Tester$', 'windowfocus', '--sync', '%1')
    child = spawn(process.execPath, [tsxCli, join(import.meta.dirname, 'real-keys-child.ts')], {
      env: env(),
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let buffered = ''
    child.stdout?.on('data', (data: Buffer) => {
      buffered += data.toString()
      const complete = buffered.split('\n')
      buffered = complete.pop() ?? ''
      lines.push(...complete)
    })
    await waitFor(() => lines.some((line) => line.startsWith('status ')), 'the hook to start', 20_000)
  })

  afterAll(async () => {
    child?.stdin?.end()
    child?.kill()
    xev?.kill()
    await display?.stop()
  })

  it('a key-down and key-up from another window reach the machine: press, tail, commit', async () => {
    expect(lines.find((line) => line.startsWith('status '))).toBe('status {"mode":"hold","hotkey":"Control+Alt+Space"}')
    lines.length = 0
    xdotool('keydown', 'ctrl+alt+space')
    await waitFor(() => lines.includes('cue-press'), 'the press')
    expect(lines).toEqual(['stop-assistant', 'clear', 'gate-open', 'cue-press'])
    await new Promise((resolve) => setTimeout(resolve, 400))
    xdotool('keyup', 'space', 'alt', 'ctrl')
    await waitFor(() => lines.includes('commit'), 'the commit')
    expect(lines.slice(4)).toEqual(['cue-release', 'gate-closed', 'commit'])
  })

  it('holding F9 alone (not the hotkey) does nothing', async () => {
    lines.length = 0
    xdotool('keydown', 'F9')
    await new Promise((resolve) => setTimeout(resolve, 300))
    xdotool('keyup', 'F9')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(lines).toEqual([])
  })
})
