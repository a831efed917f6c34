/**
 * The renderer's audio pipeline, without React: microphone → duplex worklet → `audio.mic-frame`
 * over the bridge, and `audio.playback-chunk` → the same worklet → speaker, with push-to-talk
 * gating, flush (barge-in), device choice and clear errors. See ARCHITECTURE.md "Audio pipeline".
 */
import type { AudioFormat } from '../../../src-shared/session-model/session-model.js'
import type { Unsubscribe, VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import { AudioPipelineError, micOpenError } from './audio-errors.js'
import {
  chooseDevice,
  DevicePreferences,
  toDeviceList,
  type AudioDeviceList,
  type DevicePreferenceStore,
} from './devices.js'
import audioWorkletUrl from './duplex.worklet.ts?worker&url'
import type { PlaybackCounters } from './playback-core.js'
import {
  AUDIO_PROCESSOR,
  type AudioProcessorOptions,
  type WorkletCommand,
  type WorkletReport,
} from './worklet-messages.js'

/** Browser voice processing. Chromium honours these only when the mic is opened (getUserMedia). */
export interface CaptureConstraints {
  readonly echoCancellation: boolean
  readonly noiseSuppression: boolean
  readonly autoGainControl: boolean
}

/**
 * Off by default: Voice Live cancels echo and noise on the server, Chromium's echo canceller
 * ignores audio played through Web Audio (crbug 687574), and browser AGC pumps the level the
 * server's VAD sees. Users on open speakers without server echo cancellation can turn EC on.
 */
export const DEFAULT_CAPTURE_CONSTRAINTS: CaptureConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
}

export const DEFAULT_FORMAT: AudioFormat = { inputSampleRate: 24_000, outputSampleRate: 24_000, frameMs: 20 }
export const DEFAULT_PREBUFFER_MS = 40

/** Timing of individual frames and chunks, for diagnostics and the benchmark. */
export interface AudioDiagnostics {
  frameSent?(info: { readonly endFrame: number; readonly completedAtMs: number; readonly bytes: number }): void
  chunkStarted?(info: { readonly sequence: number; readonly renderedAtMs: number }): void
  flushed?(info: {
    readonly requestId: number
    readonly receivedAtFrame: number
    readonly silentFromFrame: number
    readonly silentAtMs: number
  }): void
}

export interface AudioPipelineOptions {
  readonly constraints?: Partial<CaptureConstraints>
  /** Format to use until main sends `audio.format`. */
  readonly format?: AudioFormat
  /** Capture frame length in samples, overriding `frameMs` (a peer-like 4096 for comparisons). */
  readonly frameSamples?: number
  /** Jitter buffer before playback starts, default 40 ms. */
  readonly prebufferMs?: number
  /** Also start playback once this many chunks are queued (quickstart-like); default 0 = off. */
  readonly startAfterChunks?: number
  /** Initial push-to-talk gate; open by default (server VAD sessions). */
  readonly gateOpen?: boolean
  /** Force the AudioContext rate; by default it runs at the output device's native rate. */
  readonly contextSampleRate?: number
  /** Where device choices persist; `localStorage` by default, null for nowhere. */
  readonly storage?: DevicePreferenceStore | null
  readonly diagnostics?: AudioDiagnostics
}

export interface AudioLevel {
  /** Linear RMS and peak of the last 50 ms, 0..1. */
  readonly rms: number
  readonly peak: number
}

export interface AudioStats extends PlaybackCounters {
  readonly framesSent: number
}

export interface AudioDevicesState extends AudioDeviceList {
  /** Labels of the devices in use (null = system default). */
  readonly input: string | null
  readonly output: string | null
}

export interface AudioPipeline {
  /** Opens the mic and the speaker. Rejects with an `AudioPipelineError` (e.g. `mic-denied`). */
  start(): Promise<void>
  stop(): Promise<void>
  /** Stops, and detaches from the bridge for good: call when the pipeline is thrown away. */
  dispose(): Promise<void>
  readonly running: boolean
  /** Push-to-talk gate: frames reach the bridge only while open. The mic stays open either way. */
  setGate(open: boolean): void
  readonly gateOpen: boolean
  onLevel(listener: (level: AudioLevel) => void): Unsubscribe
  /** Problems during a session (unplugged mic, lost output device). `recovered` says if it fell back. */
  onError(listener: (error: AudioPipelineError) => void): Unsubscribe
  onDevicesChanged(listener: (devices: AudioDevicesState) => void): Unsubscribe
  listDevices(): Promise<AudioDevicesState>
  /** Choose a device by label (null = system default); persisted, applied at once if running. */
  selectInput(label: string | null): Promise<void>
  selectOutput(label: string | null): Promise<void>
  stats(): Promise<AudioStats>
  /** The running AudioContext and the node whose output is the speaker's audio, for taps (meters,
   * tests); null when stopped. */
  readonly context: AudioContext | null
  readonly playbackNode: AudioWorkletNode | null
}

interface Session {
  readonly context: AudioContext
  /** The duplex worklet: mic in, speaker out. */
  readonly node: AudioWorkletNode
  stream: MediaStream
  source: MediaStreamAudioSourceNode
  inputLabel: string | null
  outputLabel: string | null
  readonly cleanups: (() => void)[]
}

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
  /** What `stats()` reports while no session runs. */
  const emptyCounters: PlaybackCounters = {
    underruns: 0,
    playedSamples: 0,
    overflowSamples: 0,
    droppedAfterFlush: 0,
    bufferedSamples: 0,
    playing: false,
    prebufferMs: options.prebufferMs ?? DEFAULT_PREBUFFER_MS,
  }
  let gateOpen = options.gateOpen ?? true
  let framesSent = 0
  let session: Session | null = null
  let starting: Promise<void> | null = null

  const report = (error: AudioPipelineError): void => {
    for (const listener of errorListeners) listener(error)
  }
  const frameSamples = (): number =>
    options.frameSamples ?? Math.round((format.inputSampleRate * format.frameMs) / 1000)
  const post = (command: WorkletCommand): void => session?.node.port.postMessage(command)

  // The format can arrive before start(); keep the latest.
  const stopFollowingFormat = bridge.events['audio.format']((next) => {
    // Main repeats the format at every (re)connect: rebuild only what really changed, so a
    // reconnect does not drop the frame being filled.
    const captureChanged = next.inputSampleRate !== format.inputSampleRate || next.frameMs !== format.frameMs
    const playbackChanged = next.outputSampleRate !== format.outputSampleRate
    format = next
    if (!session) return
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
      capture: { outputRate: format.inputSampleRate, frameSamples: frameSamples(), gateOpen },
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

  async function enumerate(): Promise<AudioDeviceList> {
    return toDeviceList(await navigator.mediaDevices.enumerateDevices())
  }

  /** Opens the preferred mic, or the default when it is absent. Reports a fallback. */
  async function openMic(): Promise<{ stream: MediaStream; label: string | null }> {
    const preferred = preferences.get('input')
    const choice = chooseDevice((await enumerate()).inputs, preferred)
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          ...(choice.device ? { deviceId: { exact: choice.device.deviceId } } : {}),
          channelCount: 1,
          ...constraints,
        },
      })
    } catch (error) {
      throw micOpenError(error, choice.device?.label ?? null)
    }
    if (choice.fellBack && preferred !== null && (await enumerate()).inputs.some((d) => d.label === preferred)) {
      // Labels were hidden until permission was granted; now the preferred device is visible.
      stopStream(stream)
      return openMic()
    }
    if (choice.fellBack) {
      report(
        new AudioPipelineError(
          'mic-not-found',
          `The microphone "${preferred}" is not connected; using the default microphone.`,
          true,
        ),
      )
    }
    return { stream, label: choice.device?.label ?? null }
  }

  function attachMic(current: Session, stream: MediaStream, label: string | null): void {
    current.source.disconnect()
    stopStream(current.stream)
    current.stream = stream
    current.inputLabel = label
    current.source = current.context.createMediaStreamSource(stream)
    current.source.connect(current.node)
    watchTrack(current, stream)
  }

  function watchTrack(current: Session, stream: MediaStream): void {
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (session !== current || current.stream !== stream) return
        void recoverMic(current, current.inputLabel)
      })
    }
  }

  async function recoverMic(current: Session, lostLabel: string | null): Promise<void> {
    try {
      const { stream, label } = await openMic()
      if (session !== current) return stopStream(stream)
      attachMic(current, stream, label)
      report(
        new AudioPipelineError(
          'mic-unplugged',
          `${lostLabel ? `The microphone "${lostLabel}"` : 'The microphone'} was disconnected; now using ${label ? `"${label}"` : 'the default microphone'}.`,
          true,
        ),
      )
    } catch (error) {
      report(
        new AudioPipelineError(
          'mic-unplugged',
          `${lostLabel ? `The microphone "${lostLabel}"` : 'The microphone'} was disconnected and no other microphone could be opened: ${error instanceof Error ? error.message : String(error)}`,
          false,
          { cause: error },
        ),
      )
    }
  }

  /** Applies the preferred speaker; falls back to the default when it is gone. */
  async function applyOutput(current: Session): Promise<void> {
    const preferred = preferences.get('output')
    const choice = chooseDevice((await enumerate()).outputs, preferred)
    const sinkId = choice.device?.deviceId ?? ''
    if (!current.context.setSinkId) {
      if (preferred !== null) report(new AudioPipelineError('unsupported', 'Choosing a speaker is not supported here; using the default.', true))
      return
    }
    try {
      if (current.context.sinkId !== sinkId) await current.context.setSinkId(sinkId)
      current.outputLabel = choice.device?.label ?? null
    } catch (error) {
      report(new AudioPipelineError('output-device', `The speaker could not be selected: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error }))
      return
    }
    if (choice.fellBack) {
      report(new AudioPipelineError('output-device', `The speaker "${preferred}" is not connected; using the default speaker.`, true))
    }
  }

  async function devicesState(): Promise<AudioDevicesState> {
    const list = await enumerate()
    return session
      ? { ...list, input: session.inputLabel, output: session.outputLabel }
      : { ...list, input: preferences.get('input'), output: preferences.get('output') }
  }

  async function onDeviceChange(current: Session): Promise<void> {
    if (session !== current) return
    const list = await enumerate()
    // A preferred device that comes back is taken up again; a vanished output falls back.
    const preferredInput = preferences.get('input')
    if (preferredInput !== null && current.inputLabel !== preferredInput && list.inputs.some((d) => d.label === preferredInput)) {
      const { stream, label } = await openMic()
      if (session === current) attachMic(current, stream, label)
      else stopStream(stream)
    }
    const outputGone = current.outputLabel !== null && !list.outputs.some((d) => d.label === current.outputLabel)
    const outputBack = preferences.get('output') !== current.outputLabel
    if (outputGone || outputBack) await applyOutput(current)
    const state = await devicesState()
    for (const listener of deviceListeners) listener(state)
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
      const current: Session = {
        context,
        node,
        stream,
        source,
        inputLabel: label,
        outputLabel: null,
        cleanups: [],
      }
      session = current
      watchTrack(current, stream)
      await applyOutput(current)
      listen(current)
      if (context.state !== 'running') await context.resume()
    } catch (error) {
      session = null
      await context.close().catch(() => undefined)
      throw error instanceof AudioPipelineError
        ? error
        : new AudioPipelineError('audio-engine', `Audio could not start: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error })
    }
  }

  function listen(current: Session): void {
    const { context, cleanups } = current
    cleanups.push(
      bridge.events['audio.playback-chunk'](({ itemId, pcm }) => post({ type: 'chunk', itemId, pcm })),
      bridge.events['audio.playback-flush'](({ requestId }) => post({ type: 'flush', requestId })),
    )
    // Push-to-talk from the tray needs audio while the window is hidden: undo any suspension.
    const keepAlive = (): void => {
      if (session === current && context.state === 'suspended') void context.resume()
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
      if (session) return
      starting ??= begin().finally(() => (starting = null))
      await starting
    },
    async stop() {
      if (starting) await starting.catch(() => undefined)
      const current = session
      if (!current) return
      session = null
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
      return session !== null
    },
    setGate(open) {
      gateOpen = open
      post({ type: 'gate', open })
    },
    get gateOpen() {
      return gateOpen
    },
    onLevel: (listener) => subscribe(levelListeners, listener),
    onError: (listener) => subscribe(errorListeners, listener),
    onDevicesChanged: (listener) => subscribe(deviceListeners, listener),
    listDevices: devicesState,
    async selectInput(label) {
      preferences.set('input', label)
      const current = session
      if (!current) return
      const { stream, label: opened } = await openMic()
      if (session === current) attachMic(current, stream, opened)
      else stopStream(stream)
    },
    async selectOutput(label) {
      preferences.set('output', label)
      if (session) await applyOutput(session)
    },
    async stats() {
      const counters = session
        ? await new Promise<PlaybackCounters>((resolve) => {
            statsWaiters.push(resolve)
            post({ type: 'stats' })
          })
        : emptyCounters
      return { ...counters, framesSent }
    },
    get context() {
      return session?.context ?? null
    },
    get playbackNode() {
      return session?.node ?? null
    },
  }
  return pipeline
}


function subscribe<T>(listeners: Set<T>, listener: T): Unsubscribe {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop()
}
