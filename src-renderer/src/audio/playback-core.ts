/**
 * The playback worklet's logic, free of worklet globals so Node tests can drive it.
 *
 * PCM16 chunks go into a preallocated ring (at the session's output rate); each render quantum
 * pulls from it through the resampler to the context rate. A small time-based prebuffer absorbs
 * arrival jitter: playback starts `prebufferMs` after the first queued sample (or, for a
 * quickstart-like setting, once `startAfterChunks` chunks are queued, whichever comes first).
 * Like any jitter buffer it adapts: each underrun deepens it by `prebufferMs` (up to 4×), and each
 * reply that plays through without one brings it back a quarter of a step towards the default.
 *
 * Every chunk is remembered with its item id, so the core knows exactly how many samples of each
 * assistant item it has rendered; `flush()` empties everything at once, so the very next quantum
 * is silent, and reports the interrupted item's count for truncation.
 */
import { readInt16 } from './pcm16.js'
import { PolyphaseResampler } from './polyphase-resampler.js'

export interface PlaybackConfig {
  readonly contextRate: number
  /** Rate of the PCM16 chunks (the session's output rate). */
  readonly sourceRate: number
  /** Wait this long after the first queued sample before playing (jitter buffer). */
  readonly prebufferMs: number
  /** Also start as soon as this many chunks are queued; 0 disables (time alone decides). */
  readonly startAfterChunks: number
  /** Ring capacity in seconds of source audio; the service may send faster than real time. */
  readonly capacitySeconds: number
}

export interface PlaybackSink {
  /** How many samples of `itemId` have been rendered; `requestId` is set when answering a flush. */
  position(requestId: number | null, itemId: string | null, playedSamples: number): void
  /** The first sample of chunk `sequence` (0-based, in arrival order) was rendered at `contextFrame`. */
  chunkStarted?(sequence: number, contextFrame: number): void
}

export interface PlaybackCounters {
  underruns: number
  playedSamples: number
  overflowSamples: number
  droppedAfterFlush: number
  bufferedSamples: number
  playing: boolean
  /** The jitter buffer's current depth, after adapting to underruns. */
  prebufferMs: number
}

const MAX_CHUNKS = 1024
/** How far the jitter buffer may grow after underruns, as a multiple of `prebufferMs`. */
const MAX_PREBUFFER_STEPS = 4
const REMEMBERED_FLUSHED_ITEMS = 8

export class PlaybackCore {
  readonly config: PlaybackConfig
  underruns = 0
  playedSamples = 0
  overflowSamples = 0
  droppedAfterFlush = 0
  private readonly resampler: PolyphaseResampler
  private readonly ring: Int16Array
  /** Cumulative sample counts; the ring index is the count modulo capacity. */
  private written = 0
  private read = 0
  // Queued chunks, oldest first, as a ring of parallel arrays (no per-chunk objects).
  private readonly chunkItem: string[] = new Array<string>(MAX_CHUNKS).fill('')
  private readonly chunkEnd = new Float64Array(MAX_CHUNKS)
  private readonly chunkSequence = new Float64Array(MAX_CHUNKS)
  private chunkHead = 0
  private chunkCount = 0
  private nextSequence = 0
  /** The chunk whose first sample is next to be rendered has not been announced yet. */
  private chunkAnnounced = false
  private playing = false
  private waitingSinceFrame = -1
  private itemId: string | null = null
  private itemPlayed = 0
  /** The item that ran dry while playing: more audio for it later means the user heard a gap. */
  private starvedItem: string | null = null
  private readonly flushedItems: string[] = new Array<string>(REMEMBERED_FLUSHED_ITEMS).fill('')
  private flushedNext = 0
  /** Default jitter-buffer depth in context frames, and its current, adapted depth. */
  private readonly basePrebufferFrames: number
  private prebufferFrames: number
  private itemHadUnderrun = false

  constructor(config: PlaybackConfig) {
    this.config = config
    this.resampler = new PolyphaseResampler(config.sourceRate, config.contextRate)
    this.ring = new Int16Array(Math.ceil(config.capacitySeconds * config.sourceRate))
    this.basePrebufferFrames = Math.round((config.prebufferMs / 1000) * config.contextRate)
    this.prebufferFrames = this.basePrebufferFrames
  }

  get bufferedSamples(): number {
    return this.written - this.read
  }

  counters(): PlaybackCounters {
    return {
      underruns: this.underruns,
      playedSamples: this.playedSamples,
      overflowSamples: this.overflowSamples,
      droppedAfterFlush: this.droppedAfterFlush,
      bufferedSamples: this.bufferedSamples,
      playing: this.playing,
      prebufferMs: (this.prebufferFrames / this.config.contextRate) * 1000,
    }
  }

  /** Queues PCM16 LE mono `bytes` of `itemId`. `nowFrame` is the context's current frame. */
  enqueue(itemId: string, bytes: Uint8Array, nowFrame: number): void {
    const samples = bytes.byteLength >> 1
    if (samples === 0) return
    if (this.flushedItems.includes(itemId)) {
      this.droppedAfterFlush += samples
      return
    }
    const free = this.ring.length - this.bufferedSamples
    const fits = Math.min(samples, free)
    if (fits < samples) this.overflowSamples += samples - fits
    if (fits === 0 || this.chunkCount === MAX_CHUNKS) {
      if (fits > 0) this.overflowSamples += fits
      return
    }
    if (!this.playing && this.starvedItem === itemId) {
      this.underruns++
      this.itemHadUnderrun = true
      const limit = this.basePrebufferFrames * MAX_PREBUFFER_STEPS
      this.prebufferFrames = Math.min(limit, this.prebufferFrames + this.basePrebufferFrames)
    }
    this.starvedItem = null
    const capacity = this.ring.length
    for (let i = 0; i < fits; i++) {
      this.ring[(this.written + i) % capacity] = readInt16(bytes, i)
    }
    this.written += fits
    const slot = (this.chunkHead + this.chunkCount) % MAX_CHUNKS
    this.chunkItem[slot] = itemId
    this.chunkEnd[slot] = this.written
    this.chunkSequence[slot] = this.nextSequence++
    this.chunkCount++
    if (!this.playing && this.waitingSinceFrame < 0) this.waitingSinceFrame = nowFrame
  }

  /** Silences output from the next quantum and reports what of the current item was rendered. */
  flush(requestId: number, sink: PlaybackSink): void {
    for (let i = 0; i < this.chunkCount; i++) this.rememberFlushed(this.chunkItem[(this.chunkHead + i) % MAX_CHUNKS]!)
    if (this.itemId !== null) this.rememberFlushed(this.itemId)
    const unstarted = this.read < this.written ? this.chunkItem[this.chunkHead]! : null
    if (unstarted !== null && unstarted !== this.itemId) sink.position(requestId, unstarted, 0)
    else sink.position(requestId, this.itemId, this.itemPlayed)
    this.read = this.written
    this.dropConsumedChunks()
    this.itemId = null
    this.itemPlayed = 0
    this.playing = false
    this.waitingSinceFrame = -1
    this.starvedItem = null
    this.resampler.reset()
  }

  /** Renders one quantum into `output`; `startFrame` is the context frame of its first sample. */
  render(output: Float32Array, startFrame: number, sink: PlaybackSink): void {
    if (!this.playing && this.read < this.written && this.shouldStart(startFrame)) {
      this.playing = true
      this.waitingSinceFrame = -1
    }
    const { resampler, ring } = this
    const capacity = ring.length
    for (let i = 0; i < output.length; i++) {
      while (resampler.needsInput) {
        if (this.playing && this.read < this.written) {
          this.beforeSample(startFrame + i, sink)
          resampler.push(ring[this.read % capacity]! / 32768)
          this.read++
          this.itemPlayed++
          this.playedSamples++
        } else {
          if (this.playing) this.runDry(sink)
          // Zeros let the filter ring out the last real samples instead of cutting them.
          resampler.push(0)
        }
      }
      output[i] = resampler.next()
    }
  }

  private shouldStart(nowFrame: number): boolean {
    const { startAfterChunks } = this.config
    if (startAfterChunks > 0 && this.chunkCount >= startAfterChunks) return true
    return nowFrame - this.waitingSinceFrame >= this.prebufferFrames
  }

  /** Bookkeeping before reading sample `this.read`: chunk boundaries and item changes. */
  private beforeSample(contextFrame: number, sink: PlaybackSink): void {
    while (this.chunkCount > 0 && this.read >= this.chunkEnd[this.chunkHead]!) {
      this.chunkHead = (this.chunkHead + 1) % MAX_CHUNKS
      this.chunkCount--
      this.chunkAnnounced = false
    }
    if (this.chunkAnnounced) return
    this.chunkAnnounced = true
    const item = this.chunkItem[this.chunkHead]!
    if (item !== this.itemId) {
      if (this.itemId !== null) sink.position(null, this.itemId, this.itemPlayed)
      if (this.itemId !== null && !this.itemHadUnderrun) this.relaxPrebuffer()
      this.itemHadUnderrun = false
      this.itemId = item
      this.itemPlayed = 0
    }
    sink.chunkStarted?.(this.chunkSequence[this.chunkHead]!, contextFrame)
  }

  private relaxPrebuffer(): void {
    const step = Math.round(this.basePrebufferFrames / 4)
    this.prebufferFrames = Math.max(this.basePrebufferFrames, this.prebufferFrames - step)
  }

  private runDry(sink: PlaybackSink): void {
    this.playing = false
    this.starvedItem = this.itemId
    this.dropConsumedChunks()
    sink.position(null, this.itemId, this.itemPlayed)
  }

  /** Forgets every queued chunk: only valid when all of them have been read. */
  private dropConsumedChunks(): void {
    this.chunkHead = (this.chunkHead + this.chunkCount) % MAX_CHUNKS
    this.chunkCount = 0
    this.chunkAnnounced = false
  }

  private rememberFlushed(itemId: string): void {
    if (this.flushedItems.includes(itemId)) return
    this.flushedItems[this.flushedNext] = itemId
    this.flushedNext = (this.flushedNext + 1) % REMEMBERED_FLUSHED_ITEMS
  }
}
