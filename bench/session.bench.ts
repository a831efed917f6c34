/**
 * Session core figures over loopback against the scripted Voice Live server (same process, same
 * clock): how fast a barge-in reaches the wire, how long an audio delta takes from the socket to
 * the audio sink (ours vs the official SDK's `onResponseAudioDelta`), and connect-to-live time.
 * Prints JSON Lines: {"bench":"session","name",…,"setting","unit","p50","p99"}.
 */
import { AzureKeyCredential } from '@azure/core-auth'
import { VoiceLiveClient } from '@azure/ai-voicelive'
import { VoiceSession, type AudioSink } from '../src-main/voice-session/index.js'
import { findBuiltInPreset } from '../src-shared/preset/built-in-presets.js'
import { percentile } from '../src-shared/stats/percentile.js'
import { ScriptedServer, testPcm, type ScriptedConnection } from '../test/voice-session/scripted-server.js'
import { scaled } from './bench-mode.js'
import { emitFigure, type FigureName } from './figures.js'

const ROUNDS = scaled(40, 3)
const DELTAS = scaled(200, 20)
const DELTA_BYTES = 4800 // 100 ms at 24 kHz

function emit(name: FigureName<'session'>, setting: string, unit: string, values: number[]): void {
  const at = (p: number) => Math.round((percentile(values, p) ?? NaN) * 1000) / 1000
  emitFigure('session', name, setting, unit, { p50: at(50), p99: at(99) })
}

const preset = findBuiltInPreset('assistant')!
const deltaBase64 = Buffer.from(testPcm(DELTA_BYTES / 2)).toString('base64')

/** A sink that records when each chunk arrived and reports everything as heard at once. */
class TimingSink implements AudioSink {
  arrivals: number[] = []
  play(): void {
    this.arrivals.push(performance.now())
  }
  async flush() {
    return { itemId: null, playedSamples: 12_000 }
  }
}

/** Deltas spaced 2 ms apart, so each one's latency is measured rather than a queue behind it. */
async function sendDeltas(
  connection: ScriptedConnection,
  responseId: string,
  itemId: string,
  count: number,
  sentAt: number[],
): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 2))
    sentAt.push(performance.now())
    connection.send({
      type: 'response.audio.delta',
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: deltaBase64,
    })
  }
}

async function oursBench(): Promise<void> {
  const connectTimes: number[] = []
  const bargeIn: number[] = []
  const deltaToSink: number[] = []
  let script: (connection: ScriptedConnection) => Promise<void> = async () => undefined
  const server = await ScriptedServer.start((connection) => script(connection))
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const sink = new TimingSink()
      const sentAt: number[] = []
      let truncateAfter = 0
      script = async (connection) => {
        await connection.handshake()
        connection.send({ type: 'input_audio_buffer.committed', item_id: `u${round}` })
        connection.send({ type: 'response.created', response: { id: `r${round}`, status: 'in_progress' } })
        await sendDeltas(connection, `r${round}`, `a${round}`, round === 0 ? DELTAS : 10, sentAt)
        await new Promise((resolve) => setTimeout(resolve, 20))
        const started = performance.now()
        connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: `u${round}b` })
        await connection.next('conversation.item.truncate')
        truncateAfter = performance.now() - started
      }
      const session = new VoiceSession({
        connection: { endpoint: server.url, auth: { kind: 'none' }, target: { kind: 'model', model: 'gpt-realtime' } },
        preset,
        audioSink: sink,
      })
      const begin = performance.now()
      await session.start()
      connectTimes.push(performance.now() - begin)
      while (truncateAfter === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      bargeIn.push(truncateAfter)
      if (round === 0) sink.arrivals.forEach((arrived, i) => deltaToSink.push(arrived - (sentAt[i] ?? arrived)))
      await session.stop()
    }
  } finally {
    await server.close()
  }
  emit('connect_to_live', 'ours', 'ms', connectTimes)
  emit('speech_started_to_truncate_on_wire', 'ours', 'ms', bargeIn)
  emit('audio_delta_socket_to_sink', 'ours', 'ms', deltaToSink)
}

/** The same delta stream through the official SDK, timed at its `onResponseAudioDelta` handler. */
async function sdkBench(): Promise<void> {
  const sentAt: number[] = []
  const arrivals: number[] = []
  let allArrived: () => void = () => undefined
  const done = new Promise<void>((resolve) => (allArrived = resolve))
  const server = await ScriptedServer.start(async (connection) => {
    connection.send({ type: 'session.created', session: { id: 'sess_sdk' } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    connection.send({ type: 'response.created', response: { id: 'r1', status: 'in_progress' } })
    await sendDeltas(connection, 'r1', 'a1', DELTAS, sentAt)
  })
  try {
    const client = new VoiceLiveClient(server.url.replace('ws://', 'http://'), new AzureKeyCredential('k'))
    const session = await client.startSession('gpt-realtime', {
      sessionHandlers: {
        onResponseAudioDelta: async () => {
          arrivals.push(performance.now())
          if (arrivals.length === DELTAS) allArrived()
        },
      },
    })
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))])
    await session.dispose()
  } finally {
    await server.close()
  }
  emit(
    'audio_delta_socket_to_sink',
    'sdk',
    'ms',
    arrivals.map((arrived, i) => arrived - (sentAt[i] ?? arrived)),
  )
}

await oursBench()
await sdkBench()
