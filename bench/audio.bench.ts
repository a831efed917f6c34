/**
 * Audio pipeline benchmark in real (Debian, headless) Chromium over the harness WebSocket bridge.
 * Each figure is measured for our defaults and, side by side in the same run, for a peer-like
 * setting: 171 ms capture chunks (4096 samples) and playback that starts once 10 chunks are queued.
 *
 * Run alone: `npx tsx bench/audio.bench.ts` (progress on stderr, JSON Lines on stdout).
 * Clocks: the worklet's `Date.now()` (1 ms resolution; the worklet scope has no `performance`)
 * and Node's `performance.timeOrigin + now()`, both from the same system clock.
 */
import { loadavg } from 'node:os'
import { percentile } from '../src-shared/stats/percentile.js'
import { speechWav } from '../test/support/speech-fixture.js'
import type { BridgeEmitter } from '../src-main/bridge/serve-bridge.js'
import { epochNowMs, openAudioPage, serveAudioPage, waitFor, type AudioPage, type AudioPageServer, type PageAutostart } from '../test/audio/audio-page.js'
import { spawnChromium } from '../test/support/chromium.js'
import type { PageStartOptions } from '../test/audio/page-api.js'
import { markerPattern, pcm16Bytes } from '../test/audio/signal.js'
import { scaled } from './bench-mode.js'
import { emitFigure, type FigureName } from './figures.js'
import { audioOutputRunning, cpuBetween, cpuSnapshot, type CpuUse } from './process-cpu.js'

interface Setting {
  readonly name: 'ours' | 'peer-like'
  readonly options: PageStartOptions
}
const SETTINGS: readonly Setting[] = [
  { name: 'ours', options: {} },
  // Peer-like: the RT console's 8192-byte appends; quickstart-style playback after 10 queued
  // chunks (or after 1 s, so a reply shorter than 10 chunks, or its tail after an underrun, still plays).
  { name: 'peer-like', options: { frameSamples: 4096, startAfterChunks: 10, prebufferMs: 1000 } },
]
const CHUNK_SAMPLES = 2400 // 100 ms at 24 kHz, the local engine's audio delta size
const CHUNK_MS = 100
const CHUNKS_PER_ITEM = 10
/** Silence between replies: long enough that a reply never queues behind the previous one. */
const ITEM_GAP_MS = 1200
const SECONDS = Number(process.env['AUDIO_BENCH_SECONDS'] ?? scaled(12, 1))

const log = (message: string): void => void process.stderr.write(`[audio bench] ${message}\n`)
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))
const round = (value: number): number => Math.round(value * 100) / 100

function emit(name: FigureName<'audio'>, setting: string, unit: string, figures: { values: readonly number[] } | { value: number }, extra: Record<string, unknown> = {}): void {
  if ('values' in figures) {
    const numbers = { p50: round(percentile(figures.values, 50) ?? NaN), p99: round(percentile(figures.values, 99) ?? NaN) }
    emitFigure('audio', name, setting, unit, numbers, { n: figures.values.length, ...extra })
  } else {
    emitFigure('audio', name, setting, unit, { value: round(figures.value) }, extra)
  }
}

async function startFresh(audio: AudioPage, options: PageStartOptions): Promise<void> {
  await audio.call((api) => api.stop())
  await audio.call((api) => api.resetDiagnostics())
  audio.frames.splice(0)
  audio.positions.splice(0)
  const started = await audio.call((api, opts) => api.start(opts), options)
  if (!started.ok) throw new Error(`pipeline did not start: ${started.message}`)
}

/** End of a frame in the worklet → its arrival in Node after the bridge's validation. */
async function captureToBridge(audio: AudioPage, setting: Setting): Promise<void> {
  await startFresh(audio, setting.options)
  await sleep(SECONDS * 1000)
  const { frames: sent } = await audio.call((api) => api.diagnostics())
  await waitFor('frames in Node', () => audio.frames.length >= sent.length)
  const latencies = sent.slice(2).map((frame, i) => audio.frames[i + 2]!.arrivedAtMs - frame.completedAtMs)
  const frameMs = ((setting.options.frameSamples ?? 480) / 24_000) * 1000
  emit('capture_to_bridge', setting.name, 'ms', { values: latencies }, { frame_ms: round(frameMs) })
  emit('capture_oldest_sample_to_bridge', setting.name, 'ms', { values: latencies.map((ms) => ms + frameMs) })
}

interface ChunkPlan {
  readonly sequence: number
  readonly itemId: string
  /** Due time from the start of the stream, jitter included. */
  readonly dueMs: number
  readonly pcm: ReturnType<typeof pcm16Bytes>
}

/** Items of 100 ms chunks in real time, each delayed by up to `jitterMs`; built before sending, so
 * making the audio is not part of what a CPU phase measures. */
function planItems(seconds: number, jitterMs: number, tag: string): { chunks: ChunkPlan[]; items: string[] } {
  const chunks: ChunkPlan[] = []
  const items: string[] = []
  let nominal = 0
  for (let item = 0; nominal < seconds * 1000; item++) {
    const itemId = `${tag}-item-${item}`
    items.push(itemId)
    for (let c = 0; c < CHUNKS_PER_ITEM; c++, nominal += CHUNK_MS) {
      const sequence = chunks.length
      chunks.push({ sequence, itemId, dueMs: nominal + Math.random() * jitterMs, pcm: pcm16Bytes(markerPattern(CHUNK_SAMPLES, sequence)) })
    }
    nominal += ITEM_GAP_MS
  }
  return { chunks, items }
}

/** Emits the planned chunks as main would on the service's audio deltas; returns the emit times. */
async function sendItems(bridge: BridgeEmitter, chunks: readonly ChunkPlan[]): Promise<number[]> {
  const emittedAt: number[] = []
  const start = epochNowMs() + 50
  await Promise.all(
    chunks.map(({ sequence, itemId, dueMs, pcm }) =>
      sleep(start + dueMs - epochNowMs()).then(() => {
        emittedAt[sequence] = epochNowMs()
        bridge.emit('audio.playback-chunk', { itemId, pcm })
      }),
    ),
  )
  return emittedAt
}

const JITTERS_MS = [0, 20, 50] as const
type Jitter = (typeof JITTERS_MS)[number]

/** Chunk arriving in main (emitted by Node) → its first sample rendered; underruns at a jitter. */
async function playback(audio: AudioPage, setting: Setting, jitterMs: Jitter): Promise<void> {
  await startFresh(audio, setting.options)
  const { chunks, items } = planItems(SECONDS, jitterMs, `${setting.name}-${jitterMs}`)
  const emittedAt = await sendItems(audio.bridge, chunks)
  const last = items.at(-1)!
  await waitFor('last item played', () => audio.positions.some((p) => p.itemId === last && p.playedSamples === CHUNK_SAMPLES * CHUNKS_PER_ITEM), 20_000)
  const { chunkStarts } = await audio.call((api) => api.diagnostics())
  const stats = await audio.call((api) => api.stats())
  if (jitterMs === 0) {
    const all = chunkStarts.map((c) => c.renderedAtMs - emittedAt[c.sequence]!)
    const firsts = chunkStarts.filter((c) => c.sequence % CHUNKS_PER_ITEM === 0).map((c) => c.renderedAtMs - emittedAt[c.sequence]!)
    emit('bridge_to_speaker', setting.name, 'ms', { values: all })
    emit('bridge_to_speaker_first_chunk', setting.name, 'ms', { values: firsts })
  }
  emit(`underruns_jitter_${jitterMs}ms`, setting.name, 'count', { value: stats.underruns }, { items: items.length })
}

/** Flush emitted by Node (as main does on speech_started) → the first silent quantum rendered. */
async function bargeIn(audio: AudioPage, setting: Setting, rounds: number): Promise<void> {
  await startFresh(audio, setting.options)
  const silent: number[] = []
  const roundTrip: number[] = []
  for (let i = 0; i < rounds; i++) {
    const itemId = `${setting.name}-barge-${i}`
    for (let c = 0; c < CHUNKS_PER_ITEM; c++) {
      audio.bridge.emit('audio.playback-chunk', { itemId, pcm: pcm16Bytes(markerPattern(CHUNK_SAMPLES, c)) })
    }
    await sleep(150 + Math.random() * 300)
    const sentAt = epochNowMs()
    audio.bridge.emit('audio.playback-flush', { requestId: i })
    await waitFor('flush reply', () => audio.positions.some((p) => p.requestId === i))
    const reply = audio.positions.find((p) => p.requestId === i)!
    const flush = (await audio.call((api) => api.diagnostics())).flushes.find((f) => f.requestId === i)!
    if (reply.playedSamples === 0) continue // was not playing yet: nothing to silence
    silent.push(flush.silentAtMs - sentAt)
    roundTrip.push(reply.arrivedAtMs - sentAt)
    await sleep(50)
  }
  emit('barge_in', setting.name, 'ms', { values: silent })
  emit('barge_in_reply_round_trip', setting.name, 'ms', { values: roundTrip })
}

interface CpuVariant {
  readonly name: string
  /** What the page starts by itself (see `AudioPageServer.url`). */
  readonly start: PageAutostart
  /** Frames go up and reply chunks come down over the bridge; otherwise Node sends nothing. */
  readonly usesBridge: boolean
}
const CPU_VARIANTS: readonly CpuVariant[] = [
  // Chromium's own cost of open audio devices (mic in, silence out), which any app pays.
  { name: 'bare-web-audio', start: 'bare', usesBridge: false },
  // The least a worklet pipeline can cost: a worklet posting 50 frames/s to the main thread, and
  // the same with the frames and the playback chunks carried over the bridge. No audio work.
  { name: 'worklet-floor', start: 'worklet-floor', usesBridge: false },
  { name: 'transport-floor', start: 'transport-floor', usesBridge: true },
  // The production pipeline: no diagnostics callbacks.
  ...SETTINGS.map((setting) => ({ name: setting.name, start: { ...setting.options, diagnostics: false }, usesBridge: true })),
]
const CPU_ROUNDS = Number(process.env['AUDIO_BENCH_CPU_ROUNDS'] ?? scaled(3, 1))

interface CpuRound {
  readonly use: CpuUse
  /** This process: the bridge's Node end (harness WebSocket, decoding, validation) and the pacing. */
  readonly node: number
}

/**
 * One variant's CPU over `SECONDS * 2` of two-way audio, in a Chromium launched with no DevTools
 * connection (a CDP client makes Chromium report every WebSocket frame, which inflated earlier
 * figures by a third or more). Variants without the bridge get nothing from Node, so subtracting
 * bare Web Audio leaves what a pipeline and its bridge traffic add.
 */
async function cpuRound(served: AudioPageServer, variant: CpuVariant, micWav: string): Promise<CpuRound> {
  served.positions.splice(0)
  const framesBefore = served.framesReceived
  const browser = await spawnChromium(served.url(variant.start), { micWav, loopMic: true })
  try {
    // Started, not slept for: on a busy machine a page without the bridge took more than 3 s.
    if (!variant.usesBridge) await waitFor(`Web Audio in the ${variant.name} page`, () => audioOutputRunning(cpuSnapshot(browser.pid)), 20_000)
    else await waitFor(`mic frames from the ${variant.name} page`, () => served.framesReceived >= framesBefore + 25, 20_000)
    await sleep(1000) // past start-up work (worklet compile, first GCs)
    const { chunks } = planItems(SECONDS * 2, 0, `${variant.name}-cpu`)
    const before = cpuSnapshot(browser.pid)
    const nodeBefore = process.cpuUsage()
    const t0 = epochNowMs()
    if (!variant.usesBridge) await sleep(SECONDS * 2000)
    else await sendItems(served.bridge, chunks)
    const wall = (epochNowMs() - t0) / 1000
    const node = process.cpuUsage(nodeBefore)
    const use = cpuBetween(before, cpuSnapshot(browser.pid), wall)
    if (!use.audioRunning) throw new Error(`Web Audio never ran in the ${variant.name} page`)
    // A pipeline page must have played what it was sent. The peer-like one starts ~1 s after its
    // first chunk, which can be after a short (quick mode) window has closed: wait a little for it.
    if (typeof variant.start !== 'string') await waitFor(`playback in the ${variant.name} page`, () => served.positions.length > 0, 5_000)
    return { use, node: ((node.user + node.system) / 1e6 / wall) * 100 }
  } finally {
    await browser.close()
  }
}

const median = (values: readonly number[]): number => percentile(values, 50) ?? NaN
const spread = (values: readonly number[]) => ({ min: round(Math.min(...values)), max: round(Math.max(...values)) })

function emitCpu(rounds: ReadonlyMap<string, CpuRound[]>): void {
  const bare = rounds.get('bare-web-audio')!
  const common = { duration_s: SECONDS * 2, rounds: CPU_ROUNDS }
  for (const [name, measured] of rounds) {
    const renderer = measured.map((r) => r.use.byKind['renderer'] ?? 0)
    const threads = Object.fromEntries(
      Object.keys(measured[0]!.use.rendererThreads)
        .sort()
        .map((thread) => [thread, round(median(measured.map((r) => r.use.rendererThreads[thread] ?? 0)))]),
    )
    emit('cpu_renderer', name, '%core', { value: median(renderer) }, { ...common, ...spread(renderer), threads })
    emit('cpu_node_main_side', name, '%core', { value: median(measured.map((r) => r.node)) }, common)
    for (const service of ['audio_service', 'network_service'] as const) {
      emit(`cpu_chromium_${service}`, name, '%core', { value: median(measured.map((r) => r.use.byKind[service] ?? 0)) }, common)
    }
    if (name === 'bare-web-audio') continue
    // Rounds are interleaved, so round i of a setting is compared with round i of bare.
    const rendererAdded = measured.map((r, i) => (r.use.byKind['renderer'] ?? 0) - (bare[i]!.use.byKind['renderer'] ?? 0))
    const nodeAdded = measured.map((r, i) => r.node - bare[i]!.node)
    const total = rendererAdded.map((added, i) => added + nodeAdded[i]!)
    emit('cpu_pipeline', name, '%core', { value: median(total) }, {
      ...common,
      ...spread(total),
      renderer_added: round(median(rendererAdded)),
      node_added: round(median(nodeAdded)),
      cpu_seconds_per_minute: round(median(total) * 0.6),
    })
  }
}

const micWav = await speechWav('Benchmarking the voice pipeline: one, two, three, four, five.')
const audio = await openAudioPage({ micWav, loopMic: true })
try {
  const started = await audio.call((api) => api.start())
  if (!started.ok) throw new Error(started.message)
  const latency = await audio.call((api) => api.latency())
  emit('context_rate', 'ours', 'Hz', { value: started.contextRate })
  emit('context_output_latency', 'ours', 'ms', { value: latency.outputLatencyMs }, { base_latency_ms: round(latency.baseLatencyMs) })
  // Other work on this 2-core machine skews the tails; record how busy it was.
  emit('load_average_1m_start', 'machine', 'load', { value: loadavg()[0]! })
  for (const setting of SETTINGS) {
    log(`${setting.name}: capture → bridge`)
    await captureToBridge(audio, setting)
    for (const jitter of JITTERS_MS) {
      log(`${setting.name}: playback at ${jitter} ms jitter`)
      await playback(audio, setting, jitter)
    }
    log(`${setting.name}: barge-in`)
    await bargeIn(audio, setting, scaled(30, 5))
  }
} finally {
  await audio.close()
}

const served = await serveAudioPage({ keepFrames: false })
try {
  const rounds = new Map<string, CpuRound[]>(CPU_VARIANTS.map((variant) => [variant.name, []]))
  for (let round = 1; round <= CPU_ROUNDS; round++) {
    for (const variant of CPU_VARIANTS) {
      log(`CPU round ${round}/${CPU_ROUNDS}: ${variant.name}`)
      rounds.get(variant.name)!.push(await cpuRound(served, variant, micWav))
    }
  }
  emitCpu(rounds)
  emit('load_average_1m_end', 'machine', 'load', { value: loadavg()[0]! })
} finally {
  await served.close()
}
