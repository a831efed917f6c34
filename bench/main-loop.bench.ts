/**
 * Main process under two-way audio: the event-loop delay (p50/p99) and CPU of the process that
 * holds the app's services, while a session streams mic frames up and reply audio down for 60 s
 * (a few seconds in quick mode), with the log file on exactly as the app opens it. Also counts
 * the synchronous file writes made meanwhile: none should sit on the audio path.
 *
 * The app side is the real `createAppServices` behind the real `serveBridge`, over an in-memory
 * transport (Electron IPC is not measured: no Electron binary here). Mic frames enter as the
 * renderer's `audio.mic-frame` sends, every 20 ms. The peer is a scripted Voice Live server in a
 * child process, so its CPU is its own: it answers every ~1.5 s of "speech" with 2 s of audio in
 * 100 ms deltas (with transcript deltas) paced in real time, while the mic keeps streaming.
 * The shared machine's own noise is measured first, as a control: the same 20 ms paced loop for a
 * while with no session (`main_event_loop_delay_idle`).
 * Prints JSON Lines: {"bench":"main-loop","name",…,"setting","unit",…}.
 */
import { fork } from 'node:child_process'
import fs, { mkdtempSync, rmSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventChannel } from '../src-shared/bridge/contract.js'
import { QUICK, scaled } from './bench-mode.js'
import { emitFigure, type FigureName, type FigureNumbers } from './figures.js'

const SECONDS = scaled(60, 4)
/** The control: the same paced loop with no session, for the delay this machine adds by itself. */
const IDLE_SECONDS = scaled(15, 1)
const FRAME_MS = 20
const DELTA_MS = 100
const REPLY_DELTAS = 20
const SPEECH_MS = 1500
const PAUSE_MS = 300

type PeerMessage = { port: number }

if (process.env['MAIN_LOOP_BENCH_ROLE'] === 'peer') await runPeer()
else await main()

/** The scripted peer (child process): handshake, then turns until the socket closes. */
async function runPeer(): Promise<void> {
  const { ScriptedServer, testPcm } = await import('../test/voice-session/scripted-server.js')
  const delta = Buffer.from(testPcm((24_000 * DELTA_MS) / 1000)).toString('base64')
  const server = await ScriptedServer.start(async (connection) => {
    let open = true
    void connection.closed.then(() => (open = false))
    await connection.handshake()
    for (let turn = 0; open; turn++) {
      const userItem = `u${turn}`
      const ref = { response_id: `r${turn}`, item_id: `a${turn}`, output_index: 0, content_index: 0 }
      connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: userItem })
      await sleep(SPEECH_MS)
      if (!open) break
      connection.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: SPEECH_MS, item_id: userItem })
      connection.send({ type: 'input_audio_buffer.committed', item_id: userItem })
      connection.send({
        type: 'response.created',
        response: { id: ref.response_id, status: 'in_progress', output: [] },
      })
      connection.send({
        type: 'response.output_item.added',
        response_id: ref.response_id,
        output_index: 0,
        item: { id: ref.item_id, type: 'message', role: 'assistant', content: [] },
      })
      const started = performance.now()
      for (let i = 0; i < REPLY_DELTAS && open; i++) {
        connection.send({ type: 'response.audio.delta', ...ref, delta })
        connection.send({ type: 'response.audio_transcript.delta', ...ref, delta: i === 0 ? 'word' : ' word' })
        await sleep(Math.max(0, started + (i + 1) * DELTA_MS - performance.now()))
      }
      if (!open) break
      connection.send({ type: 'response.audio.done', ...ref })
      connection.send({ type: 'response.audio_transcript.done', ...ref, transcript: 'word' })
      connection.send({
        type: 'response.done',
        response: {
          id: ref.response_id,
          status: 'completed',
          output: [
            { id: ref.item_id, type: 'message', role: 'assistant', content: [{ type: 'audio', transcript: 'word' }] },
          ],
          usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
        },
      })
      await sleep(PAUSE_MS)
    }
  })
  process.on('message', (message: string) => {
    if (message === 'stop')
      void server
        .close()
        .catch(() => undefined)
        .then(() => process.exit(0))
  })
  // If the benchmark dies, do not linger holding its output pipes open.
  process.on(
    'disconnect',
    () =>
      void server
        .close()
        .catch(() => undefined)
        .then(() => process.exit(1)),
  )
  process.send?.({ port: Number(new URL(server.url).port) } satisfies PeerMessage)
}

/** Counts synchronous file writes from now on (patched on `fs`, and on its ESM named exports). */
function countSyncWrites(): { readonly count: () => number; restore(): void } {
  const names = ['writeSync', 'writeFileSync', 'appendFileSync'] as const
  const originals = names.map((name) => [name, fs[name]] as const)
  let calls = 0
  for (const [name, original] of originals) {
    const counted = (...args: unknown[]): unknown => {
      calls++
      return (original as (...a: unknown[]) => unknown)(...args)
    }
    Object.assign(fs, { [name]: counted })
  }
  syncBuiltinESMExports()
  return {
    count: () => calls,
    restore() {
      for (const [name, original] of originals) Object.assign(fs, { [name]: original })
      syncBuiltinESMExports()
    },
  }
}

interface Window {
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** % of one core. */
  readonly cpu: number
}

/** Calls `tick` every 20 ms (paced against the wall clock, as the worklet produces frames) for `seconds`. */
async function paced(seconds: number, tick: () => void): Promise<Window> {
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  for (let index = 0; performance.now() - wallStart < seconds * 1000; index++) {
    tick()
    await sleep(Math.max(0, wallStart + (index + 1) * FRAME_MS - performance.now()))
  }
  const wallMs = performance.now() - wallStart
  const cpu = process.cpuUsage(cpuStart)
  loop.disable()
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100
  return {
    p50: ms(loop.percentile(50)),
    p99: ms(loop.percentile(99)),
    max: ms(loop.max),
    cpu: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
  }
}

function emit(name: FigureName<'main-loop'>, unit: string, numbers: FigureNumbers, extra?: Record<string, number>): void {
  emitFigure('main-loop', name, QUICK ? 'quick' : `${SECONDS} s two-way audio`, unit, numbers, extra)
}

async function main(): Promise<void> {
  const writes = countSyncWrites()
  const { createAppServices } = await import('../src-main/app-services/index.js')
  const { serveBridge } = await import('../src-main/bridge/serve-bridge.js')
  const peer = fork(import.meta.filename, [], {
    env: { ...process.env, MAIN_LOOP_BENCH_ROLE: 'peer' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const exited = new Promise((resolve) => peer.once('exit', resolve))
  const dataDir = mkdtempSync(join(tmpdir(), 'vl-main-loop-'))
  const received = new Map<EventChannel, number>()
  let lastState: unknown = null
  try {
    const { port } = await new Promise<PeerMessage>((resolve) => peer.once('message', (m) => resolve(m as PeerMessage)))
    // The settings' default profile is the local engine: "starting" it hands over the peer.
    const services = createAppServices({
      transportKind: 'harness',
      appVersion: 'bench',
      userDataDir: dataDir,
      startEngine: async () => ({ url: `ws://127.0.0.1:${port}`, port, sessionCount: 1, close: async () => undefined }),
    })
    let inbox: Parameters<Parameters<typeof serveBridge>[0]['listen']>[0] | null = null
    services.attach(
      serveBridge(
        {
          listen: (next) => (inbox = next),
          emit: (channel, payload) => {
            received.set(channel, (received.get(channel) ?? 0) + 1)
            if (channel === 'session.state') lastState = payload
          },
          close: () => undefined,
        },
        services.handlers,
      ),
    )
    const bridge = inbox as Parameters<Parameters<typeof serveBridge>[0]['listen']>[0] | null
    if (!bridge) throw new Error('bench: the bridge did not listen')
    const idle = await paced(IDLE_SECONDS, () => undefined)
    const started = await bridge.command('session.start', {})
    if (!started.ok) throw new Error(`bench: session.start failed: ${started.error.message}`)
    // Not session.current: a window asking that is told the audio format again, which would count.
    if ((lastState as { status?: string } | null)?.status !== 'live') {
      throw new Error(`bench: the session is not live: ${JSON.stringify(lastState)}`)
    }

    // 20 ms of 24 kHz mono PCM16 (the default preset's input rate).
    const frameBytes = new Uint8Array(((24_000 * FRAME_MS) / 1000) * 2)
    const writesBefore = writes.count()
    // A fresh buffer per frame, as IPC delivers each frame in its own.
    const audio = await paced(SECONDS, () => bridge.send('audio.mic-frame', frameBytes.slice()))
    const syncWrites = writes.count() - writesBefore
    await bridge.command('session.stop', {})
    await services.dispose()
    peer.send('stop')

    emit('main_event_loop_delay', 'ms', { p50: audio.p50, p99: audio.p99 }, { max: audio.max })
    emit('main_event_loop_delay_idle', 'ms', { p50: idle.p50, p99: idle.p99 }, { max: idle.max })
    emit('main_cpu', '% of one core', { value: audio.cpu })
    emit('sync_writes_during_audio', 'calls', { value: syncWrites })
    emit('protocol_events_to_renderer', 'events', { value: received.get('session.protocol-event') ?? 0 })
    emit('playback_chunks_to_renderer', 'events', { value: received.get('audio.playback-chunk') ?? 0 })
    emit('audio_format_per_start', 'events', { value: received.get('audio.format') ?? 0 })
  } catch (error) {
    peer.kill()
    throw error
  } finally {
    writes.restore()
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
}
