/** A raw `ws` client for driving the local engine in tests: collects events, waits with timeouts. */
import { WebSocket } from 'ws'
import { concatPcm16 } from '../../src-main/pcm-audio/pcm16-samples.js'
import { readPcm16Wav } from '../support/wav.js'

export interface ServerEvent {
  readonly type: string
  readonly [field: string]: unknown
}

export class EngineClient {
  readonly events: ServerEvent[] = []
  readonly rawFrames: string[] = []
  closeCode: number | null = null
  private waiters: (() => void)[] = []

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data)
      this.rawFrames.push(text)
      try {
        this.events.push(JSON.parse(text) as ServerEvent)
      } catch {
        // Malformed frames stay in rawFrames for the fault tests.
      }
      this.notify()
    })
    socket.on('close', (code) => {
      this.closeCode = code
      this.notify()
    })
  }

  static connect(url: string, options: { query?: string; headers?: Record<string, string> } = {}): Promise<EngineClient> {
    const socket = new WebSocket(`${url}/voice-live/realtime?${options.query ?? 'api-version=2026-04-10&model=gpt-realtime'}`, {
      headers: options.headers ?? {},
      maxPayload: 64 * 1024 * 1024,
    })
    const client = new EngineClient(socket)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client))
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)))
      socket.once('error', reject)
    })
  }

  send(event: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(event))
  }

  /** Append a WAV's samples in 100 ms events, as fast as the socket takes them. */
  appendWav(path: string): void {
    const { samples, sampleRate } = readPcm16Wav(path)
    this.appendSamples(samples, sampleRate)
  }

  /** Append PCM16 at `sampleRate` in 100 ms events, as fast as the socket takes them. */
  appendSamples(samples: Int16Array, sampleRate: number): void {
    const chunk = sampleRate / 10
    for (let offset = 0; offset < samples.length; offset += chunk) {
      const part = samples.subarray(offset, offset + chunk)
      this.send({ type: 'input_audio_buffer.append', audio: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64') })
    }
  }

  /**
   * Speak one server-VAD turn (PCM16 at `sampleRate`, with silence around it) and return what the
   * engine transcribed and what its reply said. The session must have transcription on.
   */
  async speakTurn(speech: Int16Array, sampleRate: number): Promise<{ transcript: string; reply: string }> {
    const after = this.events.length
    this.appendSamples(concatPcm16([new Int16Array(sampleRate / 2), speech, new Int16Array(sampleRate * 1.5)]), sampleRate)
    const transcribed = await this.waitFor('conversation.item.input_audio_transcription.completed', () => true, 30_000, after)
    const done = await this.waitFor('response.done', () => true, 30_000, after)
    const response = done.response as { output: { content: { transcript: string }[] }[] }
    return { transcript: String(transcribed.transcript), reply: response.output[0]?.content[0]?.transcript ?? '' }
  }

  ofType(type: string): ServerEvent[] {
    return this.events.filter((event) => event.type === type)
  }

  /** Resolve with the first event (from index `after`) matching; reject after `timeoutMs`. */
  waitFor(type: string, predicate: (event: ServerEvent) => boolean = () => true, timeoutMs = 20_000, after = 0): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(after).find((event) => event.type === type && predicate(event))
        if (found) {
          done()
          resolve(found)
        } else if (this.closeCode !== null) {
          done()
          reject(new Error(`socket closed (${this.closeCode}) before ${type}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out waiting for ${type}; got ${this.events.map((e) => e.type).join(', ')}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters = this.waiters.filter((waiter) => waiter !== check)
      }
      this.waiters.push(check)
      check()
    })
  }

  waitForClose(timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== null) return resolve(this.closeCode)
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs)
      this.socket.once('close', (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })
  }

  /** All response audio for one response id, as PCM16 samples. */
  audioOf(responseId: string): Int16Array {
    const bytes = Buffer.concat(
      this.ofType('response.audio.delta')
        .filter((event) => event.response_id === responseId)
        .map((event) => Buffer.from(String(event.delta), 'base64')),
    )
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1)
  }

  close(): void {
    this.socket.terminate()
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}

/** Where speech really is in a WAV, by signal energy in 10 ms frames: [startMs, endMs]. */
export function speechBoundsMs(path: string): [number, number] {
  const { samples, sampleRate } = readPcm16Wav(path)
  const frame = sampleRate / 100
  let first = -1
  let last = -1
  for (let index = 0; index * frame < samples.length; index++) {
    let energy = 0
    for (let j = 0; j < frame; j++) energy += Math.abs(samples[index * frame + j] ?? 0)
    if (energy / frame > 300) {
      if (first < 0) first = index
      last = index
    }
  }
  return [first * 10, (last + 1) * 10]
}
