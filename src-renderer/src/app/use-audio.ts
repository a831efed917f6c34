/**
 * The audio pipeline (src-renderer/src/audio/) for the UI: start/stop, device lists and errors.
 * Device choices live in the app's settings (main), not localStorage, so
 * they survive the harness's per-run origin. Capture processing is fixed when the mic opens, so a
 * change of those settings makes a new pipeline (only possible while no session runs).
 */
import { useEffect, useMemo, useState } from 'react'
import type { AudioSettings } from '../../../src-shared/bridge/payloads.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import { createAudioPipeline, type AudioDevicesState, type AudioPipeline, type AudioStats } from '../audio/pipeline.js'

export interface DeviceLabels {
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
}

export interface AudioControls {
  readonly pipeline: AudioPipeline
  readonly error: string | null
  readonly devices: DeviceLabels
  start(): Promise<void>
  stop(): Promise<void>
}

const labelsOf = (state: AudioDevicesState): DeviceLabels => ({
  inputs: state.inputs.map((device) => device.label),
  outputs: state.outputs.map((device) => device.label),
})

export function useAudio(bridge: VoiceLiveBridge, settings: AudioSettings | null): AudioControls {
  const echoCancellation = settings?.echoCancellation ?? false
  const noiseSuppression = settings?.noiseSuppression ?? false
  const autoGainControl = settings?.autoGainControl ?? false
  const pipeline = useMemo(
    () =>
      createAudioPipeline(bridge, {
        storage: null,
        constraints: { echoCancellation, noiseSuppression, autoGainControl },
      }),
    [bridge, echoCancellation, noiseSuppression, autoGainControl],
  )
  const [error, setError] = useState<string | null>(null)
  const [devices, setDevices] = useState<DeviceLabels>({ inputs: [], outputs: [] })
  const inputLabel = settings?.inputDeviceLabel ?? null
  const outputLabel = settings?.outputDeviceLabel ?? null

  useEffect(() => {
    void pipeline.listDevices().then((state) => setDevices(labelsOf(state)))
    const stops = [
      pipeline.onError((problem) => setError(problem.message)),
      pipeline.onDevicesChanged((state) => setDevices(labelsOf(state))),
    ]
    return () => {
      for (const stop of stops) stop()
      void pipeline.dispose()
    }
  }, [pipeline])

  useEffect(() => {
    void pipeline.selectInput(inputLabel)
  }, [pipeline, inputLabel])
  useEffect(() => {
    void pipeline.selectOutput(outputLabel)
  }, [pipeline, outputLabel])

  return useMemo(
    () => ({
      pipeline,
      error,
      devices,
      async start() {
        setError(null)
        await pipeline.start()
        // Labels are only readable once the mic permission is granted.
        setDevices(labelsOf(await pipeline.listDevices()))
      },
      stop: () => pipeline.stop(),
    }),
    [pipeline, error, devices],
  )
}

/** How often the diagnostics read the playback counters while a session runs. */
const STATS_EVERY_MS = 500

/** The playback worklet's counters (samples really rendered, underruns), kept after the session ends. */
export function usePlaybackStats(pipeline: AudioPipeline, active: boolean): AudioStats | null {
  const [stats, setStats] = useState<AudioStats | null>(null)
  useEffect(() => {
    if (!active) return
    const timer = window.setInterval(() => {
      if (pipeline.running) void pipeline.stats().then(setStats)
    }, STATS_EVERY_MS)
    return () => window.clearInterval(timer)
  }, [pipeline, active])
  return stats
}
