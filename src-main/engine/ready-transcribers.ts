/**
 * Decoders made before the sessions that need them (`voicelive serve --ready-decoders N`).
 *
 * A PocketSphinx decoder takes ~0.1 s of CPU to start on a quiet machine and up to ~0.8 s while
 * other sessions decode. Eight sessions that connect and speak in the same instant on two cores
 * spent their first turn waiting for their start-ups (BENCHMARKS.md § Engine). With N made ahead,
 * each new session takes one; when a session that took one ends, a fresh one is made for the next
 * (then, not at once: a burst of connections is the worst moment to start decoders). Sessions
 * beyond N make their own at connect, as without the option.
 *
 * A decoder is never handed from one session to the next: it adapts to its speaker (the live
 * cepstral mean), and a new session starts from the model's own.
 */
import type { RecognizerAvailability, Transcriber } from './pocketsphinx.js'

export interface ReadyRecognizer {
  /** What sessions ask for their transcribers. */
  readonly recognizer: RecognizerAvailability
  /** Free the decoders no session took; no new ones are made after this. */
  close(): Promise<void>
}

export function readyTranscribers(recognizer: RecognizerAvailability, count: number): ReadyRecognizer {
  if (!recognizer.available || count === 0) return { recognizer, close: () => Promise.resolve() }
  const ready: Promise<Transcriber>[] = []
  let closed = false
  const makeOne = () => {
    const made = recognizer.createTranscriber()
    made.catch(() => undefined) // the session that takes it reports the failure
    ready.push(made)
  }
  for (let i = 0; i < count; i++) makeOne()

  /** The session's view: closing it (once, however often it is asked) makes the replacement. */
  const handedOut = (transcriber: Transcriber): Transcriber => {
    let closing: Promise<void> | null = null
    return {
      start: () => transcriber.start(),
      feed: (samples16k) => transcriber.feed(samples16k),
      finish: () => transcriber.finish(),
      abort: () => transcriber.abort(),
      close: () =>
        (closing ??= transcriber.close().then(() => {
          if (!closed) makeOne()
        })),
    }
  }

  return {
    recognizer: {
      available: true,
      createTranscriber() {
        const made = closed ? undefined : ready.shift()
        return made ? made.then(handedOut) : recognizer.createTranscriber()
      },
    },
    async close() {
      closed = true
      const unused = ready.splice(0)
      await Promise.all(unused.map((made) => made.then((transcriber) => transcriber.close(), () => undefined)))
    },
  }
}
