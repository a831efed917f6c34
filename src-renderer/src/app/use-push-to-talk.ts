/**
 * In-window hold-to-talk: Space held while the window has focus (and focus is not in a text
 * field) is one of push-to-talk's key sources; main's push-to-talk machine decides what it does.
 * Repeats are ignored; losing focus releases, so the key never sticks down.
 */
import { useEffect, useRef, useState } from 'react'
import type { PushToTalkState } from '../../../src-shared/bridge/payloads.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'

const isTextEntry = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type)))

export function usePushToTalk(enabled: boolean, onChange: (pressed: boolean) => void): void {
  const pressed = useRef(false)
  const latest = useRef(onChange)
  useEffect(() => {
    latest.current = onChange
  })

  useEffect(() => {
    if (!enabled) return
    const set = (next: boolean) => {
      if (pressed.current === next) return
      pressed.current = next
      latest.current(next)
    }
    const down = (event: KeyboardEvent) => {
      if (event.code !== 'Space' || isTextEntry(event.target)) return
      event.preventDefault() // no page scroll, no button activation
      if (!event.repeat) set(true)
    }
    const up = (event: KeyboardEvent) => {
      if (event.code !== 'Space' || !pressed.current) return
      event.preventDefault()
      set(false)
    }
    const release = () => set(false)
    window.addEventListener('keydown', down)
    window.addEventListener('keyup', up)
    window.addEventListener('blur', release)
    return () => {
      window.removeEventListener('keydown', down)
      window.removeEventListener('keyup', up)
      window.removeEventListener('blur', release)
      release()
    }
  }, [enabled])
}

/** Press: a short rising blip; release: a falling one. Quiet, and over before the tail ends. */
const CUE_TONES: Readonly<Record<'press' | 'release', readonly [number, number]>> = {
  press: [660, 880],
  release: [880, 660],
}
let cueContext: AudioContext | null = null

function playCue(kind: 'press' | 'release'): void {
  cueContext ??= new AudioContext()
  const context = cueContext
  const [from, to] = CUE_TONES[kind]
  const oscillator = new OscillatorNode(context, { frequency: from })
  const gain = new GainNode(context, { gain: 0 })
  const start = context.currentTime
  oscillator.frequency.linearRampToValueAtTime(to, start + 0.06)
  gain.gain.linearRampToValueAtTime(0.08, start + 0.01)
  gain.gain.linearRampToValueAtTime(0, start + 0.07)
  oscillator.connect(gain).connect(context.destination)
  oscillator.start(start)
  oscillator.stop(start + 0.08)
}

/**
 * Push-to-talk as main's one owner reports it (`push-to-talk.state`): the window shows it and
 * plays its cues (when `cues` is on); it never decides anything itself.
 */
export function usePushToTalkState(bridge: VoiceLiveBridge, cues: boolean): PushToTalkState | null {
  const [state, setState] = useState<PushToTalkState | null>(null)
  const cuesOn = useRef(cues)
  useEffect(() => {
    cuesOn.current = cues
  })
  useEffect(
    () =>
      bridge.events['push-to-talk.state']((next) => {
        setState(next)
        if (next.cue && cuesOn.current) playCue(next.cue)
      }),
    [bridge],
  )
  return state
}
