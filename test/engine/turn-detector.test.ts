import { describe, expect, it } from 'vitest'
import { TurnDetector, type TurnDetectorSettings, type TurnEvent } from '../../src-main/engine/turn-detector.js'

const defaults: TurnDetectorSettings = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, speechDurationMs: 200 }

/** Feed a pattern of 10 ms frames: each [voiced, ms] pair. */
function run(settings: TurnDetectorSettings, pattern: [boolean, number][]): TurnEvent[] {
  const detector = new TurnDetector(settings)
  const events: TurnEvent[] = []
  for (const [voiced, ms] of pattern) {
    for (let t = 0; t < ms; t += 10) {
      const event = detector.push(voiced)
      if (event) events.push(event)
    }
  }
  return events
}

describe('TurnDetector (server_vad semantics on WebRTC VAD frames)', () => {
  it('reports speech start prefix_padding_ms before the first voiced frame and end at the last voiced frame', () => {
    const events = run(defaults, [[false, 1000], [true, 800], [false, 1000]])
    expect(events).toEqual([
      { type: 'speech_started', audioStartMs: 700 },
      { type: 'speech_stopped', audioEndMs: 1800 },
    ])
  })

  it('ignores bursts shorter than speech_duration_ms', () => {
    expect(run(defaults, [[false, 500], [true, 150], [false, 1000]])).toEqual([])
    expect(run({ ...defaults, speechDurationMs: 100 }, [[false, 500], [true, 150], [false, 1000]])).toHaveLength(2)
  })

  it('keeps one turn across pauses shorter than silence_duration_ms', () => {
    const pattern: [boolean, number][] = [[false, 500], [true, 500], [false, 400], [true, 500], [false, 1000]]
    expect(run(defaults, pattern).map((event) => event.type)).toEqual(['speech_started', 'speech_stopped'])
    expect(run({ ...defaults, silenceDurationMs: 300 }, pattern).map((event) => event.type)).toEqual([
      'speech_started', 'speech_stopped', 'speech_started', 'speech_stopped',
    ])
  })

  it('needs denser speech for a higher threshold', () => {
    // Alternating frames: 50 % voiced. Threshold 0.5 hears speech; 0.8 does not.
    const sparse: [boolean, number][] = [[false, 300], ...Array.from({ length: 50 }, (_, i): [boolean, number] => [i % 2 === 0, 10]), [false, 1000]]
    expect(run(defaults, sparse).map((event) => event.type)).toEqual(['speech_started', 'speech_stopped'])
    expect(run({ ...defaults, threshold: 0.8 }, sparse)).toEqual([])
  })

  it('never reports a start before the session began or before the previous turn ended', () => {
    const events = run(defaults, [[true, 600], [false, 600], [true, 400], [false, 600]])
    expect(events[0]).toEqual({ type: 'speech_started', audioStartMs: 0 })
    const secondStart = events[2]
    const firstStop = events[1]
    expect(secondStart?.type).toBe('speech_started')
    if (secondStart?.type === 'speech_started' && firstStop?.type === 'speech_stopped') {
      expect(secondStart.audioStartMs).toBeGreaterThanOrEqual(firstStop.audioEndMs)
    }
  })
})
