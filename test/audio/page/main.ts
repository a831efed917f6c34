/**
 * Test page for the audio pipeline: the real pipeline over the real harness WebSocket bridge,
 * driven from Node with page.evaluate through `window.audioTest`.
 */
import { connectWebSocketBridge } from '../../../src-renderer/src/bridge/websocket-transport.js'
import { AudioPipelineError } from '../../../src-renderer/src/audio/audio-errors.js'
import { createAudioPipeline, type AudioPipeline } from '../../../src-renderer/src/audio/pipeline.js'
import type { AudioTestApi, PageDiagnostics, PageStartOptions, PageStartResult } from '../page-api.js'
import recorderUrl from './recorder.worklet.ts?worker&url'


let pipeline: AudioPipeline | null = null
let recorder: AudioWorkletNode | null = null
let bare: { context: AudioContext; stream: MediaStream } | null = null
const diagnostics: PageDiagnostics = { frames: [], chunkStarts: [], flushes: [], errors: [], levels: 0 }
// Keep the streams the pipeline opens, so a test can make the browser "unplug" one.
const openedStreams: MediaStream[] = []
const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await getUserMedia(constraints)
  openedStreams.push(stream)
  return stream
}
const bridgePromise = connectWebSocketBridge(new URLSearchParams(location.hash.slice(1)).get('token') ?? '')

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
  setGate: (open: boolean) => pipeline!.setGate(open),
  gateOpen: () => pipeline!.gateOpen,
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
  async startBare() {
    // Chromium's own cost of live audio with no pipeline: mic in, silence out.
    const context = new AudioContext({ latencyHint: 'interactive' })
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    const mute = context.createGain()
    mute.gain.value = 0
    context.createMediaStreamSource(stream).connect(mute).connect(context.destination)
    bare = { context, stream }
  },
  async stopBare() {
    for (const track of bare?.stream.getTracks() ?? []) track.stop()
    await bare?.context.close()
    bare = null
  },
  stop: () => pipeline?.stop(),
}

Object.assign(window, { audioTest })
