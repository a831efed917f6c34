/**
 * In-window hold-to-talk: Space held while the window has focus (and focus is not in a text
 * field) opens the mic. Repeats are ignored; losing focus releases, so the mic never sticks open.
 */
import { useEffect, useRef } from 'react'

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
