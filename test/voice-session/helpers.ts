/** Test doubles and waits shared by the session tests. */
import { findBuiltInPreset } from '../../src-shared/preset/built-in-presets.js'
import type { Preset } from '../../src-shared/preset/preset.js'
import { MemoryLogger } from '../../src-main/logging/logger.js'
import {
  VoiceSession,
  type AudioSink,
  type VoiceSessionEvents,
  type VoiceSessionOptions,
} from '../../src-main/voice-session/index.js'

/** Records what the core played; `heard` decides what flush() reports (default: everything received). */
export class RecordingSink implements AudioSink {
  readonly chunks: { itemId: string; pcm: Uint8Array }[] = []
  flushes = 0
  heard:
    | ((itemId: string | null, receivedSamples: number) => { itemId: string | null; playedSamples: number } | null)
    | null = null

  play(itemId: string, pcm16: Uint8Array): void {
    this.chunks.push({ itemId, pcm: Uint8Array.from(pcm16) })
  }

  /** When set, flush() waits for it (like the renderer's round trip over the bridge). */
  flushGate: Promise<void> | null = null

  async flush(): Promise<{ itemId: string | null; playedSamples: number } | null> {
    this.flushes++
    const last = this.chunks.at(-1)?.itemId ?? null
    if (this.flushGate) await this.flushGate
    const received = this.bytesFor(last) / 2
    if (this.heard) return this.heard(last, received)
    return last ? { itemId: last, playedSamples: received } : null
  }

  bytesFor(itemId: string | null): number {
    return this.chunks.filter((chunk) => chunk.itemId === itemId).reduce((sum, chunk) => sum + chunk.pcm.byteLength, 0)
  }

  all(): Uint8Array {
    return Buffer.concat(this.chunks.map((chunk) => chunk.pcm))
  }
}

export function preset(name: string, patch: Partial<Preset> = {}): Preset {
  const found = findBuiltInPreset(name)
  if (!found) throw new Error(`no preset ${name}`)
  return { ...found, ...patch }
}

export function makeSession(
  url: string,
  overrides: Partial<VoiceSessionOptions> = {},
): { session: VoiceSession; sink: RecordingSink; logger: MemoryLogger } {
  const sink = new RecordingSink()
  const logger = new MemoryLogger()
  const session = new VoiceSession({
    connection: {
      endpoint: url,
      auth: { kind: 'api-key', apiKey: 'test-key-123' },
      target: { kind: 'model', model: 'gpt-realtime' },
    },
    preset: preset('assistant'),
    audioSink: sink,
    logger,
    timing: { connectTimeoutMs: 2000, reconnectDelaysMs: [20, 20, 20] },
    ...overrides,
  })
  return { session, sink, logger }
}

/** Resolve with the first `event` payload matching `predicate`; reject after `timeoutMs`. */
export function waitFor<K extends keyof VoiceSessionEvents>(
  session: VoiceSession,
  event: K,
  predicate: (payload: VoiceSessionEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<VoiceSessionEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`timed out waiting for session event ${String(event)}`))
    }, timeoutMs)
    const off = session.on(event, (payload) => {
      if (!predicate(payload)) return
      clearTimeout(timer)
      off()
      resolve(payload)
    })
  })
}

/** Collect every payload of an event. */
export function collect<K extends keyof VoiceSessionEvents>(session: VoiceSession, event: K): VoiceSessionEvents[K][] {
  const out: VoiceSessionEvents[K][] = []
  session.on(event, (payload) => out.push(payload))
  return out
}
