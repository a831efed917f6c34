/**
 * Test page for the audio pipeline: the real pipeline over the real harness WebSocket bridge,
 * driven from Node with page.evaluate through `window.audioTest`.
 */
import { connectWebSocketBridge } from '../../../src-renderer/src/bridge/websocket-bridge-client.js'
import { AudioPipelineError } from '../../../src-renderer/src/audio/audio-errors.js'
import { createAudioPipeline, DEFAULT_CAPTURE_CONSTRAINTS, type AudioPipeline } from '../../../src-renderer/src/audio/pipeline.js'
import type { AudioTestApi, PageDiagnostics, PageStartOptions, PageStartResult } from '../page-api.js'
import recorderUrl from './recorder.worklet.ts?worker&url'
import transportFloorUrl from './transport-floor.worklet.ts?worker&url'


let pipeline: AudioPipeline | null = null
let recorder: AudioWorkletNode | null = null
const diagnostics: PageDiagnostics = { frames: [], chunkStarts: [], flushes: [], errors: [], levels: 0 }
// Keep the streams the pipeline opens, so a test can make the browser "unplug" one.
const openedStreams: MediaStream[] = []
const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await getUserMedia(constraints)
  openedStreams.push(stream)
  return stream
}
const fragment = new URLSearchParams(location.hash.slice(1))
const bridgePromise = connectWebSocketBridge(fragment.get('token') ?? '')

const audioTest: AudioTestApi = {
  async start(options: PageStartOptions = {}): Promise<PageStartResult> {
    const bridge = await bridgePromise
    const { diagnostics: withDiagnostics = true, ...pipelineOptions } = options
    pipeline = createAudioPipeline(bridge, {
      ...pipelineOptions,
      storage: localStorage,
      ...(withDiagnostics
        ? {
            diagnostics: {
              frameSent: (info) => diagnostics.frames.push(info),
              chunkStarted: (info) => diagnostics.chunkStarts.push(info),
              flushed: (info) => diagnostics.flushes.push(info),
            },
          }
        : {}),
    })
    pipeline.onError((error) => diagnostics.errors.push({ kind: error.kind, message: error.message, recovered: error.recovered }))
    pipeline.onLevel(() => diagnostics.levels++)
    try {
      await pipeline.start()
    } catch (error) {
      if (error instanceof AudioPipelineError) return { ok: false, kind: error.kind, message: error.message }
      throw error
    }
    return { ok: true, contextRate: pipeline.context!.sampleRate }
  },
  async startRecorder(): Promise<void> {
    const context = pipeline!.context!
    await context.audioWorklet.addModule(recorderUrl)
    recorder = new AudioWorkletNode(context, 'test-recorder', { numberOfInputs: 1, numberOfOutputs: 0 })
    pipeline!.playbackNode!.connect(recorder)
  },
  /** What the playback node rendered, as PCM16 values, and the context frame of the first one. */
  recorded(): Promise<{ firstFrame: number; samples: number[] }> {
    return new Promise((resolve) => {
      recorder!.port.onmessage = (event: MessageEvent<{ firstFrame: number; samples: Float32Array }>) =>
        resolve({ firstFrame: event.data.firstFrame, samples: Array.from(event.data.samples, (x) => Math.round(x * 32768)) })
      recorder!.port.postMessage('dump')
    })
  },
  diagnostics: () => diagnostics,
  resetDiagnostics: () => {
    diagnostics.frames = []
    diagnostics.chunkStarts = []
    diagnostics.flushes = []
    diagnostics.errors = []
    diagnostics.levels = 0
  },
  stats: () => pipeline!.stats(),
  listDevices: () => pipeline!.listDevices(),
  setPreference: (direction: 'input' | 'output', label: string) =>
    localStorage.setItem(`voice-live.audio.${direction}-device-label`, label),
  latency: () => ({
    baseLatencyMs: pipeline!.context!.baseLatency * 1000,
    outputLatencyMs: pipeline!.context!.outputLatency * 1000,
  }),
  async suspendContext() {
    await pipeline!.context!.suspend()
    return pipeline!.context!.state
  },
  contextState: () => pipeline?.context?.state ?? 'none',
  unplugMic: () => openedStreams.at(-1)?.getAudioTracks()[0]?.dispatchEvent(new Event('ended')) ?? false,
  announceDeviceChange: () => navigator.mediaDevices.dispatchEvent(new Event('devicechange')),
  stop: () => pipeline?.stop(),
}

Object.assign(window, { audioTest })

/** A context and the mic opened as the pipeline opens them, for the benchmark's baselines. */
async function openMicContext(): Promise<{ context: AudioContext; mic: MediaStreamAudioSourceNode }> {
  const context = new AudioContext({ latencyHint: 'interactive' })
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, ...DEFAULT_CAPTURE_CONSTRAINTS } })
  return { context, mic: context.createMediaStreamSource(stream) }
}

/** Chromium's own cost of live audio with no pipeline: the mic in, and silence out. */
async function startBare(): Promise<void> {
  const { context, mic } = await openMicContext()
  const mute = context.createGain()
  mute.gain.value = 0
  mic.connect(mute).connect(context.destination)
}

/**
 * The floors under any worklet pipeline: mic → a worklet that posts a frame every 20 ms and does no
 * audio work. 'transport-floor' also carries the frames over the bridge and posts the playback
 * chunks from the bridge to the worklet (which drops them); 'worklet-floor' drops the frames on
 * the main thread, so the two differ by exactly the bridge's cost.
 */
async function startFloor(overBridge: boolean): Promise<void> {
  const bridge = await bridgePromise
  const { context, mic } = await openMicContext()
  await context.audioWorklet.addModule(transportFloorUrl)
  const node = new AudioWorkletNode(context, 'transport-floor', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] })
  if (overBridge) {
    node.port.onmessage = (event: MessageEvent<ArrayBuffer>) => bridge.sends['audio.mic-frame'](new Uint8Array(event.data))
    bridge.events['audio.playback-chunk'](({ pcm }) => node.port.postMessage(pcm))
  } else {
    node.port.onmessage = () => undefined
  }
  mic.connect(node).connect(context.destination)
}

// A browser launched with no DevTools connection (the CPU benchmark) cannot call audioTest, so the
// URL fragment may say what to start: 'bare', a floor, or the pipeline's start options as JSON.
const start = fragment.get('start')
if (start === 'bare') void startBare()
else if (start === 'transport-floor' || start === 'worklet-floor') void startFloor(start === 'transport-floor')
else if (start !== null) void audioTest.start(JSON.parse(start) as PageStartOptions)
