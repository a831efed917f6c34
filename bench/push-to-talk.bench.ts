/**
 * Push-to-talk latency in main, with a warm mic (a 20 ms frame every 20 ms all along, as the
 * renderer sends them): the session core over loopback to the scripted Voice Live server (same
 * process, same clock), driven by the app's push-to-talk machine as app-services wires it.
 *
 *   keydown_to_gate_open          key-down → the session's input gate opens (in main)
 *   keydown_to_clear_on_wire      key-down → input_audio_buffer.clear reaches the server
 *   keydown_to_first_append_on_wire  key-down → the first mic frame after it reaches the server
 *                                  (bounded by the 20 ms frame cadence)
 *   keyup_to_commit_on_wire       key-up → input_audio_buffer.commit reaches the server; this
 *                                  includes the 300 ms release tail, on purpose
 *   keyup_to_commit_minus_tail    the same minus the tail: what the machinery itself costs
 *
 * Prints JSON Lines: {"bench":"push-to-talk","name",…,"unit","p50","p99"}.
 */
import { scaled } from './bench-mode.js'
import { emitFigure, type FigureName } from './figures.js'
import { PushToTalkControl } from '../src-main/push-to-talk/push-to-talk-control.js'
import { DEFAULT_PTT_TIMING } from '../src-main/push-to-talk/push-to-talk-machine.js'
import { VoiceSession, type AudioSink } from '../src-main/voice-session/index.js'
import { findBuiltInPreset } from '../src-shared/preset/built-in-presets.js'
import { percentile } from '../src-shared/stats/percentile.js'
import { ScriptedServer, testPcm, type ScriptedConnection } from '../test/voice-session/scripted-server.js'

const ROUNDS = scaled(40, 5)
const HOLD_MS = 400

function emit(name: FigureName<'push-to-talk'>, values: number[]): void {
  const at = (p: number) => Math.round((percentile(values, p) ?? NaN) * 1000) / 1000
  emitFigure('push-to-talk', name, 'warm mic, 20 ms frames', 'ms', { p50: at(50), p99: at(99) })
}

const silentSink: AudioSink = { play: () => undefined, flush: async () => null }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let connection: ScriptedConnection | null = null
const server = await ScriptedServer.start(async (next) => {
  await next.handshake()
  connection = next
})
const session = new VoiceSession({
  connection: { endpoint: server.url, auth: { kind: 'none' }, target: { kind: 'model', model: 'gpt-realtime' } },
  preset: { ...findBuiltInPreset('assistant')!, turnDetection: { type: 'none' } },
  audioSink: silentSink,
})
let gateOpenedAt = 0
const control = new PushToTalkControl({ onView: () => undefined })
control.attach({
  interrupt: () => session.interrupt(),
  clearInput: () => session.clearInput(),
  setInputGate: (open) => {
    session.setInputGate(open)
    if (open) gateOpenedAt = performance.now()
  },
  commitTurn: () => session.commitTurn(),
  get audioFormat() {
    return session.audioFormat
  },
})
session.on('state', (state) => control.sessionState(state))

const gateOpen: number[] = []
const clearOnWire: number[] = []
const firstAppend: number[] = []
const commitOnWire: number[] = []
try {
  await session.start()
  const frame = testPcm(480) // 20 ms at 24 kHz
  const mic = setInterval(() => {
    session.appendAudio(frame)
    control.micFrame(frame.byteLength)
  }, 20)
  await sleep(200)
  for (let round = 0; round < ROUNDS; round++) {
    const wire = connection as ScriptedConnection | null
    if (!wire) throw new Error('the scripted server has no connection')
    const down = performance.now()
    control.keys.down('bench')
    gateOpen.push(gateOpenedAt - down)
    await wire.next('input_audio_buffer.clear')
    clearOnWire.push(performance.now() - down)
    await wire.next('input_audio_buffer.append')
    firstAppend.push(performance.now() - down)
    await sleep(HOLD_MS)
    const up = performance.now()
    control.keys.up('bench')
    await wire.next('input_audio_buffer.commit')
    commitOnWire.push(performance.now() - up)
    await wire.next('response.create')
    await sleep(100)
  }
  clearInterval(mic)
} finally {
  await session.stop()
  control.dispose()
  await server.close()
}
emit('keydown_to_gate_open', gateOpen)
emit('keydown_to_clear_on_wire', clearOnWire)
emit('keydown_to_first_append_on_wire', firstAppend)
emit('keyup_to_commit_on_wire', commitOnWire)
emit('keyup_to_commit_minus_tail', commitOnWire.map((ms) => ms - DEFAULT_PTT_TIMING.tailMs))
