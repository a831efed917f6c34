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
import type { CDPSession } from 'playwright-core'
import { percentile } from '../src-shared/stats/percentile.js'
import { speechWav } from '../test/support/speech-fixture.js'
import { epochNowMs, openAudioPage, waitFor, type AudioPage } from '../test/audio/audio-page.js'
import type { PageStartOptions } from '../test/audio/page-api.js'
import { markerPattern, pcm16Bytes } from '../test/audio/signal.js'

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
const SECONDS = Number(process.env['AUDIO_BENCH_SECONDS'] ?? 12)

const log = (message: string): void => void process.stderr.write(`[audio bench] ${message}\n`)
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))
const round = (value: number): number => Math.round(value * 100) / 100

function emit(name: string, setting: string, unit: string, figures: { values: readonly number[] } | { value: number }, extra: Record<string, unknown> = {}): void {
  const body =
    'values' in figures
      ? { p50: round(percentile(figures.values, 50) ?? NaN), p99: round(percentile(figures.values, 99) ?? NaN), n: figures.values.length }
      : { value: round(figures.value) }
  console.log(JSON.stringify({ bench: 'audio', name, setting, unit, ...body, ...extra }))
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

/** Sends items of 100 ms chunks in real time, each delayed by up to `jitterMs`; returns emit times. */
async function streamItems(audio: AudioPage, seconds: number, jitterMs: number, tag: string): Promise<{ emittedAt: number[]; items: string[] }> {
  const emittedAt: number[] = []
  const items: string[] = []
  const start = epochNowMs() + 50
  const timers: Promise<void>[] = []
  let nominal = 0
  let sequence = 0
  for (let item = 0; nominal < seconds * 1000; item++) {
    const itemId = `${tag}-item-${item}`
    items.push(itemId)
    for (let c = 0; c < CHUNKS_PER_ITEM; c++, nominal += CHUNK_MS) {
      const seq = sequence++
      const due = start + nominal + Math.random() * jitterMs
      const pcm = pcm16Bytes(markerPattern(CHUNK_SAMPLES, seq))
      timers.push(
        sleep(due - epochNowMs()).then(() => {
          emittedAt[seq] = epochNowMs()
          audio.bridge.emit('audio.playback-chunk', { itemId, pcm })
        }),
      )
    }
    nominal += ITEM_GAP_MS
  }
  await Promise.all(timers)
  return { emittedAt, items }
}

/** Chunk arriving in main (emitted by Node) → its first sample rendered; underruns at a jitter. */
async function playback(audio: AudioPage, setting: Setting, jitterMs: number): Promise<void> {
  await startFresh(audio, setting.options)
  const { emittedAt, items } = await streamItems(audio, SECONDS, jitterMs, `${setting.name}-${jitterMs}`)
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

/** CPU of the page's renderer processes, Chromium's audio service, and this Node process (main's side). */
interface Cpu {
  readonly renderer: number
  readonly audioService: number
  readonly node: number
}

async function cpuSeconds(cdp: CDPSession): Promise<Cpu> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] }
  const sum = (match: (type: string) => boolean): number =>
    processInfo.filter((p) => match(p.type)).reduce((total, p) => total + p.cpuTime, 0)
  const node = process.cpuUsage()
  return { renderer: sum((t) => t === 'renderer'), audioService: sum((t) => /audio/i.test(t)), node: (node.user + node.system) / 1e6 }
}

async function measureCpu(cdp: CDPSession, during: () => Promise<unknown>): Promise<Cpu> {
  const before = await cpuSeconds(cdp)
  const t0 = epochNowMs()
  await during()
  const wall = (epochNowMs() - t0) / 1000
  const after = await cpuSeconds(cdp)
  const pct = (key: 'renderer' | 'audioService' | 'node'): number => ((after[key] - before[key]) / wall) * 100
  return { renderer: pct('renderer'), audioService: pct('audioService'), node: pct('node') }
}

/**
 * CPU of two-way audio: mic frames up and reply chunks down in real time, both at once. The page
 * runs without the diagnostics callbacks, as the app does, so this is the production pipeline's cost.
 */
async function twoWayCpu(audio: AudioPage, cdp: CDPSession, setting: Setting): Promise<Cpu> {
  await startFresh(audio, { ...setting.options, diagnostics: false })
  const busy = await measureCpu(cdp, () => streamItems(audio, SECONDS * 2, 0, `${setting.name}-cpu`))
  await audio.call((api) => api.stop())
  return busy
}

/** Busy minus idle (the mean of an idle page before and after), in % of one core. */
function emitCpu(setting: string, busy: Cpu, idle: Cpu): void {
  const extra = (key: keyof Cpu) => ({ duration_s: SECONDS * 2, raw: round(busy[key]), idle: round(idle[key]) })
  emit('cpu_renderer', setting, '%core', { value: busy.renderer - idle.renderer }, extra('renderer'))
  emit('cpu_node_main_side', setting, '%core', { value: busy.node - idle.node }, extra('node'))
  emit('cpu_chromium_audio_service', setting, '%core', { value: busy.audioService - idle.audioService }, extra('audioService'))
}

const audio = await openAudioPage({ micWav: speechWav('Benchmarking the voice pipeline: one, two, three, four, five.'), loopMic: true })
try {
  const cdp = await audio.browser.newBrowserCDPSession()
  const idleBefore = await measureCpu(cdp, () => sleep(SECONDS * 1000))
  const started = await audio.call((api) => api.start())
  if (!started.ok) throw new Error(started.message)
  const latency = await audio.call((api) => api.latency())
  emit('context_rate', 'ours', 'Hz', { value: started.contextRate })
  emit('context_output_latency', 'ours', 'ms', { value: latency.outputLatencyMs }, { base_latency_ms: round(latency.baseLatencyMs) })
  // Other work on this 2-core machine skews the tails; record how busy it was.
  emit('load_average_1m_start', 'machine', 'load', { value: loadavg()[0]! })
  const busy = new Map<string, Cpu>()
  for (const setting of SETTINGS) {
    log(`${setting.name}: capture → bridge`)
    await captureToBridge(audio, setting)
    for (const jitter of [0, 20, 50]) {
      log(`${setting.name}: playback at ${jitter} ms jitter`)
      await playback(audio, setting, jitter)
    }
    log(`${setting.name}: barge-in`)
    await bargeIn(audio, setting, 30)
    log(`${setting.name}: CPU of two-way audio`)
    busy.set(setting.name, await twoWayCpu(audio, cdp, setting))
  }
  log('bare Web Audio (mic in, silence out, no pipeline): CPU')
  await audio.call((api) => api.startBare())
  busy.set('bare-web-audio', await measureCpu(cdp, () => sleep(SECONDS * 2000)))
  await audio.call((api) => api.stopBare())
  const idleAfter = await measureCpu(cdp, () => sleep(SECONDS * 1000))
  const idle: Cpu = {
    renderer: (idleBefore.renderer + idleAfter.renderer) / 2,
    audioService: (idleBefore.audioService + idleAfter.audioService) / 2,
    node: (idleBefore.node + idleAfter.node) / 2,
  }
  for (const [setting, cpu] of busy) emitCpu(setting, cpu, idle)
  emit('load_average_1m_end', 'machine', 'load', { value: loadavg()[0]! })
} finally {
  await audio.close()
}
