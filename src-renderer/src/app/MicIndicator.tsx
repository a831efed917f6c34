import { useEffect, useState } from 'react'
import type { AudioPipeline } from '../audio/pipeline.js'

/** Meter updates per second: enough to look live without re-rendering 50 times a second. */
const METER_FPS = 15

/** The mic level (linear RMS), sampled from the pipeline's 50/s reports. */
function useMicLevel(pipeline: AudioPipeline): number {
  const [level, setLevel] = useState(0)
  useEffect(() => {
    let latest = 0
    const stop = pipeline.onLevel(({ rms }) => {
      latest = rms
    })
    const timer = window.setInterval(() => setLevel(pipeline.running ? latest : 0), 1000 / METER_FPS)
    return () => {
      stop()
      window.clearInterval(timer)
    }
  }, [pipeline])
  return level
}

/** The mic level meter and who is speaking right now. */
export function MicIndicator(props: {
  readonly pipeline: AudioPipeline
  readonly live: boolean
  readonly userSpeaking: boolean
  readonly assistantSpeaking: boolean
  readonly pushToTalk: boolean
  readonly talking: boolean
}) {
  const tone = !props.live
    ? 'off'
    : props.assistantSpeaking
      ? 'assistant'
      : props.userSpeaking || props.talking
        ? 'user'
        : 'listening'
  const activity = {
    off: 'Not connected',
    assistant: 'Assistant speaking',
    user: 'You are speaking',
    listening: props.pushToTalk ? 'Hold Space to talk' : 'Listening',
  }[tone]
  const level = useMicLevel(props.pipeline)
  // A log scale reads better: speech sits around -30..-10 dBFS.
  const db = level > 0 ? 20 * Math.log10(level) : -90
  const meter = Math.max(0, Math.min(1, (db + 60) / 60))
  return (
    <div className="mic-indicator">
      <meter className="mic-meter" aria-label="Microphone level" min={0} max={1} value={props.live ? meter : 0} />
      <span className={`activity activity-${tone}`} aria-live="polite">
        <span className="activity-dot" aria-hidden="true" />
        {activity}
      </span>
    </div>
  )
}
