/**
 * Which microphone and speaker the running audio graph uses: opens the preferred mic (or the
 * default, saying so), applies the preferred speaker, recovers from an unplugged mic, and follows
 * `devicechange` (a preferred device that comes back is taken up again; a vanished speaker falls
 * back). Device choices are remembered by label in `DevicePreferences`.
 */
import { AudioPipelineError, micOpenError } from './audio-errors.js'
import { chooseDevice, toDeviceList, type AudioDeviceList, type DevicePreferences } from './devices.js'
import type { AudioDevicesState, CaptureConstraints } from './pipeline-api.js'

/** The running Web Audio graph of a started pipeline: mic → duplex worklet → speaker. */
export interface AudioGraph {
  readonly context: AudioContext
  /** The duplex worklet: mic in, speaker out. */
  readonly node: AudioWorkletNode
  stream: MediaStream
  source: MediaStreamAudioSourceNode
  inputLabel: string | null
  outputLabel: string | null
  readonly cleanups: (() => void)[]
}

export interface DeviceRoutingOptions {
  readonly preferences: DevicePreferences
  readonly constraints: CaptureConstraints
  /** The pipeline's graph now (null when stopped): work for an older graph is dropped. */
  readonly graph: () => AudioGraph | null
  readonly report: (error: AudioPipelineError) => void
  readonly devicesChanged: (state: AudioDevicesState) => void
}

export function createDeviceRouting(options: DeviceRoutingOptions) {
  const { preferences, constraints, report } = options

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

  function attachMic(current: AudioGraph, stream: MediaStream, label: string | null): void {
    current.source.disconnect()
    stopStream(current.stream)
    current.stream = stream
    current.inputLabel = label
    current.source = current.context.createMediaStreamSource(stream)
    current.source.connect(current.node)
    watchTrack(current, stream)
  }

  function watchTrack(current: AudioGraph, stream: MediaStream): void {
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (options.graph() !== current || current.stream !== stream) return
        void recoverMic(current, current.inputLabel)
      })
    }
  }

  async function recoverMic(current: AudioGraph, lostLabel: string | null): Promise<void> {
    try {
      const { stream, label } = await openMic()
      if (options.graph() !== current) return stopStream(stream)
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
  async function applyOutput(current: AudioGraph): Promise<void> {
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
    const graph = options.graph()
    return graph
      ? { ...list, input: graph.inputLabel, output: graph.outputLabel }
      : { ...list, input: preferences.get('input'), output: preferences.get('output') }
  }

  async function onDeviceChange(current: AudioGraph): Promise<void> {
    if (options.graph() !== current) return
    const list = await enumerate()
    // A preferred device that comes back is taken up again; a vanished output falls back.
    const preferredInput = preferences.get('input')
    if (preferredInput !== null && current.inputLabel !== preferredInput && list.inputs.some((d) => d.label === preferredInput)) {
      const { stream, label } = await openMic()
      if (options.graph() === current) attachMic(current, stream, label)
      else stopStream(stream)
    }
    const outputGone = current.outputLabel !== null && !list.outputs.some((d) => d.label === current.outputLabel)
    const outputBack = preferences.get('output') !== current.outputLabel
    if (outputGone || outputBack) await applyOutput(current)
    options.devicesChanged(await devicesState())
  }

  return { openMic, attachMic, watchTrack, applyOutput, devicesState, onDeviceChange }
}

export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop()
}
