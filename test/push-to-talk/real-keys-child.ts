/**
 * Child process for real-keys.test.ts: the real uiohook-napi hook feeding the real push-to-talk
 * machine, each effect printed as a line. A child, because libuiohook can kill its process with an
 * X error (BadWindow), and that must not take the test runner with it.
 */
import { PushToTalkMachine } from '../../src-main/push-to-talk/push-to-talk-machine.js'
import { loadUiohook, startGlobalHotkey } from '../../src-main/push-to-talk/global-hotkey.js'
import { DEFAULT_HOTKEY, parseHotkey } from '../../src-shared/hotkey/hotkey.js'

const print = (line: string) => process.stdout.write(`${line}\n`)
const parsed = parseHotkey(DEFAULT_HOTKEY)
if (!parsed.ok) throw new Error(parsed.error)
const machine = new PushToTalkMachine(
  {
    stopAssistant: () => print('stop-assistant'),
    clearInput: () => print('clear'),
    setGate: (open) => print(open ? 'gate-open' : 'gate-closed'),
    commit: () => print('commit'),
    cue: (kind) => print(`cue-${kind}`),
  },
  { mode: 'push-to-talk', timing: { tailMs: 300, tapMs: 150 } },
)
machine.setLive(true)
const key = startGlobalHotkey({
  facts: { platform: process.platform, env: process.env },
  hotkey: parsed.hotkey,
  target: machine,
  loadHook: loadUiohook,
  registerShortcut: () => false,
  unregisterShortcut: () => {},
})
print(`status ${JSON.stringify(key.status)}`)
process.stdin.on('end', () => {
  key.stop()
  process.exit(0)
})
process.stdin.resume()
