/**
 * Local engine benchmark: engine CPU per second of input audio per session, and turn latency
 * (end of speech → first reply audio) with 1, 4 and 8 sessions talking at once in real time, and
 * with 8 on an engine whose decoders are made before the sessions connect (`--ready-decoders 8`).
 * The engine runs in a child process so its CPU time is its own; clients stream from here.
 * Each session's first turn is measured apart: its decoder was still starting while it spoke.
 * Prints JSON Lines; run with `npm run bench -- engine`.
 */
import { fork } from 'node:child_process'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import { startLocalEngine } from '../src-main/engine/server.js'
import { concatPcm16, msToSamples } from '../src-main/pcm-audio/pcm16-samples.js'
import { percentile } from '../src-shared/stats/percentile.js'
import { QUICK, scaled } from './bench-mode.js'
import { emitFigure, type FigureName, type FigureNumbers } from './figures.js'
import { fliteVoice } from './voices.js'

const REPLY = 'Sure, I can help with that.'
const CHUNK_MS = 20
/** Quick mode: two turns alone, then two sessions at once, one turn each. The last setting is
 * an engine started as `voicelive serve --ready-decoders 8`: its decoders exist before the
 * sessions connect. */
const SETTINGS: readonly { sessions: number; turns: number; readyDecoders?: number }[] = [
  { sessions: 1, turns: scaled(6, 2) },
  { sessions: scaled(4, 2), turns: scaled(3, 1) },
  ...(QUICK ? [] : [{ sessions: 8, turns: 3 }, { sessions: 8, turns: 3, readyDecoders: 8 }]),
]
const SAMPLE_RATE = 24_000

type ServerMessage = { port: number } | { cpuMs: number; loopP50: number; loopP99: number }

if (process.env['ENGINE_BENCH_ROLE'] === 'server') {
  const engine = await startLocalEngine({
    script: Array.from({ length: 100 }, () => REPLY),
    readyDecoders: Number(process.env['ENGINE_BENCH_READY_DECODERS'] ?? 0),
  })
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  let cpuStart = process.cpuUsage()
  process.on('message', (message: string) => {
    if (message === 'reset') {
      cpuStart = process.cpuUsage()
      loop.reset()
    } else if (message === 'report') {
      const cpu = process.cpuUsage(cpuStart)
      process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000, loopP50: loop.percentile(50) / 1e6, loopP99: loop.percentile(99) / 1e6 })
    } else if (message === 'stop') {
      loop.disable()
      void engine.close().then(() => process.exit(0))
    }
  })
  // If the benchmark dies, do not linger holding its output pipes open.
  process.on('disconnect', () => void engine.close().then(() => process.exit(1)))
  process.send?.({ port: engine.port })
}

/** Nearest-rank percentile, rounded to 0.1. */
const percentileRounded = (values: readonly number[], p: number): number => Math.round((percentile(values, p) ?? NaN) * 10) / 10

const emit = (name: FigureName<'engine'>, setting: string, unit: string, figures: FigureNumbers): void => emitFigure('engine', name, setting, unit, figures)

/** Speech boundaries by energy, in samples. */
function speechEnd(samples: Int16Array, rate: number): number {
  const frame = rate / 100
  let last = 0
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let energy = 0
    for (let i = start; i < start + frame; i++) energy += Math.abs(samples[i] ?? 0)
    if (energy / frame > 300) last = start + frame
  }
  return last
}

interface TurnTiming {
  readonly endOfSpeechToAudio: number
  readonly stoppedToAudio: number
}

async function runSession(port: number, samples: Int16Array, rate: number, turns: number): Promise<TurnTiming[]> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/voice-live/realtime?api-version=2026-04-10&model=gpt-realtime`)
  const listeners = new Set<(event: { type: string }) => void>()
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as { type: string }
    for (const listener of listeners) listener(event)
  })
  const next = (type: string, timeoutMs = 30_000) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench: no ${type} within ${timeoutMs} ms`)), timeoutMs)
      const listener = (event: { type: string }) => {
        if (event.type !== type) return
        clearTimeout(timer)
        listeners.delete(listener)
        resolve(performance.now())
      }
      listeners.add(listener)
    })
  // Listen before the socket opens: session.created can arrive in the same read as the upgrade.
  const created = next('session.created')
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  await created
  const chunk = (rate * CHUNK_MS) / 1000
  const end = speechEnd(samples, rate)
  const timings: TurnTiming[] = []
  for (let turn = 0; turn < turns; turn++) {
    const stopped = next('input_audio_buffer.speech_stopped')
    const firstAudio = next('response.audio.delta')
    const done = next('response.done')
    const start = performance.now()
    let speechEndedAt = 0
    for (let offset = 0, index = 0; offset < samples.length; offset += chunk, index++) {
      const wait = start + index * CHUNK_MS - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const part = samples.subarray(offset, offset + chunk)
      socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64') }))
      if (offset < end && offset + chunk >= end) speechEndedAt = performance.now()
    }
    const [stoppedAt, audioAt] = await Promise.all([stopped, firstAudio])
    await done
    timings.push({ endOfSpeechToAudio: audioAt - speechEndedAt, stoppedToAudio: audioAt - stoppedAt })
  }
  socket.close()
  return timings
}

async function main(): Promise<void> {
  // Flite's WASM voice through the engine's own module (no `flite` or `sox` program).
  const sampleRate = SAMPLE_RATE
  const speech = await fliteVoice('slt').speak('what time is it', sampleRate)
  const samples = concatPcm16([new Int16Array(msToSamples(500, sampleRate)), speech, new Int16Array(msToSamples(1200, sampleRate))])
  const audioSeconds = samples.length / sampleRate
  for (const { sessions, turns, readyDecoders = 0 } of SETTINGS) {
    const setting = `${sessions} session${sessions > 1 ? 's' : ''}${readyDecoders ? `, ${readyDecoders} decoders ready` : ''}`
    const env = { ...process.env, ENGINE_BENCH_ROLE: 'server', ENGINE_BENCH_READY_DECODERS: String(readyDecoders) }
    const server = fork(import.meta.filename, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    const reply = () => new Promise<ServerMessage>((resolve) => server.once('message', (message) => resolve(message as ServerMessage)))
    const exited = new Promise((resolve) => server.once('exit', resolve))
    let results: TurnTiming[][]
    let usage: ServerMessage
    try {
      const ready = await reply()
      if (!('port' in ready)) throw new Error('bench: engine did not report its port')
      // One warm-up turn so decoder start-up and WASM compilation are not measured (not in quick
      // mode, whose figures nobody reads).
      if (!QUICK) await runSession(ready.port, samples, sampleRate, 1)
      server.send('reset')
      results = await Promise.all(Array.from({ length: sessions }, () => runSession(ready.port, samples, sampleRate, turns + 1)))
      server.send('report')
      usage = await reply()
      server.send('stop')
    } catch (error) {
      server.kill()
      throw error
    } finally {
      await exited
    }
    if (!('cpuMs' in usage)) throw new Error('bench: engine did not report CPU')

    // Every session's first turn overlaps its decoder's start-up (serial across sessions, ~0.3 s
    // each), so with sessions that connect at once and speak at once it measures the start-up.
    const firstTurns = results.map((session) => session[0]!)
    const timings = results.flatMap((session) => session.slice(1))
    const endToAudio = timings.map((t) => t.endOfSpeechToAudio)
    const stoppedToAudio = timings.map((t) => t.stoppedToAudio)
    emit('turn_latency_end_of_speech_to_first_audio', setting, 'ms', { p50: percentileRounded(endToAudio, 50), p99: percentileRounded(endToAudio, 99) })
    emit('speech_stopped_to_first_audio', setting, 'ms', { p50: percentileRounded(stoppedToAudio, 50), p99: percentileRounded(stoppedToAudio, 99) })
    const firstStoppedToAudio = firstTurns.map((t) => t.stoppedToAudio)
    emit('first_turn_speech_stopped_to_first_audio', setting, 'ms', {
      p50: percentileRounded(firstStoppedToAudio, 50),
      p99: percentileRounded(firstStoppedToAudio, 99),
    })
    emit('cpu_per_audio_second_per_session', setting, 'CPU ms per s of input audio', {
      value: Math.round((usage.cpuMs / (sessions * (turns + 1) * audioSeconds)) * 10) / 10,
    })
    emit('engine_event_loop_delay', setting, 'ms', { p50: Math.round(usage.loopP50 * 10) / 10, p99: Math.round(usage.loopP99 * 10) / 10 })
  }
}

// Last, so every module-level constant above is initialised before main() reads it.
if (process.env['ENGINE_BENCH_ROLE'] !== 'server') await main()
