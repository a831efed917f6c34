/**
 * The renderer's audio pipeline, without React: microphone → duplex worklet → `audio.mic-frame`
 * over the bridge, and `audio.playback-chunk` → the same worklet → speaker, with push-to-talk
 * gating, flush (barge-in), stats and clear errors. Its public types are in pipeline-api.ts; which
 * mic and speaker it uses is device-routing.ts's job. See ARCHITECTURE.md "Audio pipeline".
 */
import type { Unsubscribe, VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import { AudioPipelineError } from './audio-errors.js'
import { createDeviceRouting, stopStream, type AudioGraph } from './device-routing.js'
import { DevicePreferences } from './devices.js'
import audioWorkletUrl from './duplex.worklet.ts?worker&url'
import {
  DEFAULT_CAPTURE_CONSTRAINTS,
  DEFAULT_FORMAT,
  DEFAULT_PREBUFFER_MS,
  type AudioDevicesState,
  type AudioLevel,
  type AudioPipeline,
  type AudioPipelineOptions,
} from './pipeline-api.js'
import type { PlaybackCounters } from './playback-core.js'
import {
  AUDIO_PROCESSOR,
  type AudioProcessorOptions,
  type WorkletCommand,
  type WorkletReport,
} from './worklet-messages.js'

export {
  DEFAULT_CAPTURE_CONSTRAINTS,
  DEFAULT_FORMAT,
  DEFAULT_PREBUFFER_MS,
  type AudioDevicesState,
  type AudioDiagnostics,
  type AudioLevel,
  type AudioPipeline,
  type AudioPipelineOptions,
  type AudioStats,
  type CaptureConstraints,
} from './pipeline-api.js'

export function createAudioPipeline(bridge: VoiceLiveBridge, options: AudioPipelineOptions = {}): AudioPipeline {
  const constraints = { ...DEFAULT_CAPTURE_CONSTRAINTS, ...options.constraints }
  const preferences = new DevicePreferences(
    options.storage === undefined ? globalThis.localStorage ?? null : options.storage,
  )
  const levelListeners = new Set<(level: AudioLevel) => void>()
  const errorListeners = new Set<(error: AudioPipelineError) => void>()
  const deviceListeners = new Set<(devices: AudioDevicesState) => void>()
  const statsWaiters: ((counters: PlaybackCounters) => void)[] = []
  let format = options.format ?? DEFAULT_FORMAT
  /** What `stats()` reports while stopped. */
  const emptyCounters: PlaybackCounters = {
    underruns: 0,
    playedSamples: 0,
    overflowSamples: 0,
    droppedAfterFlush: 0,
    bufferedSamples: 0,
    playing: false,
    prebufferMs: options.prebufferMs ?? DEFAULT_PREBUFFER_MS,
  }
  let framesSent = 0
  /** The running graph; null while stopped. */
  let graph: AudioGraph | null = null
  let starting: Promise<void> | null = null

  const report = (error: AudioPipelineError): void => {
    for (const listener of errorListeners) listener(error)
  }
  const { openMic, attachMic, watchTrack, applyOutput, devicesState, onDeviceChange } = createDeviceRouting({
    preferences,
    constraints,
    graph: () => graph,
    report,
    devicesChanged: (state) => {
      for (const listener of deviceListeners) listener(state)
    },
  })
  const frameSamples = (): number =>
    options.frameSamples ?? Math.round((format.inputSampleRate * format.frameMs) / 1000)
  const post = (command: WorkletCommand): void => graph?.node.port.postMessage(command)

  // The format can arrive before start(); keep the latest.
  const stopFollowingFormat = bridge.events['audio.format']((next) => {
    // Main repeats the format at every (re)connect: rebuild only what really changed, so a
    // reconnect does not drop the frame being filled.
    const captureChanged = next.inputSampleRate !== format.inputSampleRate || next.frameMs !== format.frameMs
    const playbackChanged = next.outputSampleRate !== format.outputSampleRate
    format = next
    if (!graph) return
    if (captureChanged) post({ type: 'capture-format', outputRate: format.inputSampleRate, frameSamples: frameSamples() })
    if (playbackChanged) post({ type: 'playback-format', sourceRate: format.outputSampleRate })
  })

  function onWorkletReport(event: MessageEvent<WorkletReport>): void {
    const message = event.data
    switch (message.type) {
      case 'frame':
        return sendFrame(message.buffer, message.endFrame, message.completedAtMs)
      case 'level':
        for (const listener of levelListeners) listener({ rms: message.rms, peak: message.peak })
        return
      case 'position': {
        const { requestId, itemId, playedSamples } = message
        bridge.sends['audio.playback-position']({ requestId, itemId, playedSamples })
        if (requestId !== null) {
          options.diagnostics?.flushed?.({
            requestId,
            receivedAtFrame: message.receivedAtFrame,
            silentFromFrame: message.silentFromFrame,
            silentAtMs: message.silentAtMs,
          })
        }
        return
      }
      case 'chunk-started':
        options.diagnostics?.chunkStarted?.({ sequence: message.sequence, renderedAtMs: message.renderedAtMs })
        return
      case 'stats':
        statsWaiters.shift()?.(message)
    }
  }

  function sendFrame(buffer: ArrayBuffer, endFrame: number, completedAtMs: number): void {
    // The buffer is this thread's own copy of the frame; nothing goes back to the worklet.
    bridge.sends['audio.mic-frame'](new Uint8Array(buffer))
    framesSent++
    options.diagnostics?.frameSent?.({ endFrame, completedAtMs, bytes: buffer.byteLength })
  }

  function createNode(context: AudioContext): AudioWorkletNode {
    const processorOptions: AudioProcessorOptions = {
      capture: { outputRate: format.inputSampleRate, frameSamples: frameSamples() },
      playback: {
        sourceRate: format.outputSampleRate,
        prebufferMs: options.prebufferMs ?? DEFAULT_PREBUFFER_MS,
        startAfterChunks: options.startAfterChunks ?? 0,
        capacitySeconds: 60,
        reportChunkStarts: options.diagnostics?.chunkStarted !== undefined,
      },
    }
    const node = new AudioWorkletNode(context, AUDIO_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      // The mic is downmixed to mono before the worklet; the speaker gets mono, upmixed by Web Audio.
      channelCount: 1,
      channelCountMode: 'explicit',
      outputChannelCount: [1],
      processorOptions,
    })
    node.port.onmessage = onWorkletReport
    node.connect(context.destination)
    return node
  }

  async function begin(): Promise<void> {
    if (typeof AudioWorkletNode === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      throw new AudioPipelineError('unsupported', 'This browser cannot capture audio (no AudioWorklet or getUserMedia).')
    }
    const context = new AudioContext({
      latencyHint: 'interactive',
      ...(options.contextSampleRate ? { sampleRate: options.contextSampleRate } : {}),
    })
    try {
      await context.audioWorklet.addModule(audioWorkletUrl)
      const { stream, label } = await openMic()
      const node = createNode(context)
      const source = context.createMediaStreamSource(stream)
      source.connect(node)
      const current: AudioGraph = {
        context,
        node,
        stream,
        source,
        inputLabel: label,
        outputLabel: null,
        cleanups: [],
      }
      graph = current
      watchTrack(current, stream)
      await applyOutput(current)
      listen(current)
      if (context.state !== 'running') await context.resume()
    } catch (error) {
      graph = null
      await context.close().catch(() => undefined)
      throw error instanceof AudioPipelineError
        ? error
        : new AudioPipelineError('audio-engine', `Audio could not start: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error })
    }
  }

  function listen(current: AudioGraph): void {
    const { context, cleanups } = current
    cleanups.push(
      bridge.events['audio.playback-chunk'](({ itemId, pcm }) => post({ type: 'chunk', itemId, pcm })),
      bridge.events['audio.playback-flush'](({ requestId }) => post({ type: 'flush', requestId })),
    )
    // Push-to-talk from the tray needs audio while the window is hidden: undo any suspension.
    const keepAlive = (): void => {
      if (graph === current && context.state === 'suspended') void context.resume()
    }
    context.addEventListener('statechange', keepAlive)
    document.addEventListener('visibilitychange', keepAlive)
    const deviceChange = (): void => void onDeviceChange(current).catch((error: unknown) =>
      report(new AudioPipelineError('audio-engine', `Device change could not be handled: ${String(error)}`, false, { cause: error })),
    )
    navigator.mediaDevices.addEventListener('devicechange', deviceChange)
    cleanups.push(
      () => context.removeEventListener('statechange', keepAlive),
      () => document.removeEventListener('visibilitychange', keepAlive),
      () => navigator.mediaDevices.removeEventListener('devicechange', deviceChange),
    )
  }

  const pipeline: AudioPipeline = {
    async start() {
      if (graph) return
      starting ??= begin().finally(() => (starting = null))
      await starting
    },
    async stop() {
      if (starting) await starting.catch(() => undefined)
      const current = graph
      if (!current) return
      graph = null
      for (const cleanup of current.cleanups) cleanup()
      stopStream(current.stream)
      await current.context.close()
      for (const waiter of statsWaiters.splice(0)) waiter(emptyCounters)
    },
    async dispose() {
      stopFollowingFormat()
      await pipeline.stop()
    },
    get running() {
      return graph !== null
    },
    onLevel: (listener) => subscribe(levelListeners, listener),
    onError: (listener) => subscribe(errorListeners, listener),
    onDevicesChanged: (listener) => subscribe(deviceListeners, listener),
    listDevices: devicesState,
    async selectInput(label) {
      preferences.set('input', label)
      const current = graph
      if (!current) return
      const { stream, label: opened } = await openMic()
      if (graph === current) attachMic(current, stream, opened)
      else stopStream(stream)
    },
    async selectOutput(label) {
      preferences.set('output', label)
      if (graph) await applyOutput(graph)
    },
    async stats() {
      const counters = graph
        ? await new Promise<PlaybackCounters>((resolve) => {
            statsWaiters.push(resolve)
            post({ type: 'stats' })
          })
        : emptyCounters
      return { ...counters, framesSent }
    },
    get context() {
      return graph?.context ?? null
    },
    get playbackNode() {
      return graph?.node ?? null
    },
  }
  return pipeline
}

function subscribe<T>(listeners: Set<T>, listener: T): Unsubscribe {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
