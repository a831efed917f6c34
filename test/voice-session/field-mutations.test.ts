/**
 * Liberal intake, field by field. One full turn is recorded from the local engine (handshake, the
 * user's speech, its transcript, the spoken answer) and replayed to the session core by a scripted
 * server, once as recorded and then once per mutation of one field of one event:
 *
 * - a field the client does not act on becomes null, another JSON type, an unknown string, or goes
 *   missing: the turn must still finish, with the same transcript and the same audio bytes;
 * - a field the client acts on (the table below, the same as the protocol module's header) gets the
 *   same mutations: the session must end with a protocol error naming the event and the field,
 *   within a second and never by a timeout. An unknown string is a wrong value only for enums,
 *   references and audio; in a text or a new id it is just another value, so it is not tried there.
 *
 * Each event type is mutated in its first occurrence (every audio delta has the same fields).
 * Tested against the local engine's recorded output and the session core, not against Azure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine } from '../../src-main/engine/server.js'
import type { SessionError, TranscriptEntry } from '../../src-shared/session-model/session-model.js'
import { EngineClient, type ServerEvent } from '../engine/engine-client.js'
import { speechWav } from '../support/speech-fixture.js'
import { makeSession } from './helpers.js'
import { ScriptedServer } from './scripted-server.js'

/** How the client uses a field it acts on, which decides whether an unknown string is wrong. */
type Use = 'container' | 'list' | 'text' | 'new-id' | 'reference' | 'enum' | 'audio' | 'number'

/** Fields the client acts on, per event type, as paths (`response.status`). */
const ACTED_ON: Readonly<Record<string, Readonly<Record<string, Use>>>> = {
  'input_audio_buffer.committed': { item_id: 'new-id' },
  'conversation.item.input_audio_transcription.completed': { item_id: 'new-id', transcript: 'text' },
  'response.created': { response: 'container', 'response.id': 'new-id' },
  'response.output_item.added': { response_id: 'reference', item: 'container', 'item.id': 'new-id' },
  'response.audio.delta': { response_id: 'reference', item_id: 'new-id', delta: 'audio' },
  'response.audio_transcript.delta': { response_id: 'reference', item_id: 'new-id', delta: 'text' },
  'response.audio_transcript.done': { response_id: 'reference', item_id: 'new-id', transcript: 'text' },
  'response.done': {
    response: 'container',
    'response.id': 'reference',
    'response.status': 'enum',
    'response.output': 'list',
  },
}

/** Every event type of the recorded turn (checked, so the recording cannot quietly lose one). */
const TURN_TYPES = [
  'session.created',
  'session.updated',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed',
  'conversation.item.created',
  'conversation.item.input_audio_transcription.completed',
  'response.created',
  'response.output_item.added',
  'response.content_part.added',
  'response.audio.delta',
  'response.audio_transcript.delta',
  'response.audio.done',
  'response.audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.done',
]

const REPLAY_END = 'test.replay_end'
const UNKNOWN_STRING = 'zz_unknown_value'

type Path = readonly (string | number)[]
interface Mutation {
  readonly name: 'null' | 'another type' | 'an unknown string' | 'removed'
  readonly apply: (parent: Record<string | number, unknown>, key: string | number) => void
}

function anotherType(value: unknown): unknown {
  if (typeof value === 'string') return 42
  if (typeof value === 'number') return '7'
  if (typeof value === 'boolean') return 7
  if (Array.isArray(value)) return { unexpected: true }
  if (value === null) return 42
  return [1]
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'null', apply: (parent, key) => (parent[key] = null) },
  { name: 'another type', apply: (parent, key) => (parent[key] = anotherType(parent[key])) },
  { name: 'an unknown string', apply: (parent, key) => (parent[key] = UNKNOWN_STRING) },
  {
    name: 'removed',
    apply: (parent, key) => {
      if (Array.isArray(parent)) parent.splice(Number(key), 1)
      else delete parent[key]
    },
  },
]

/** Every field path of an event below its `type`: object keys, and the first element of arrays. */
function fieldPaths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [] : [[...prefix, 0], ...fieldPaths(value[0], [...prefix, 0])]
  }
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) =>
    prefix.length === 0 && key === 'type' ? [] : [[...prefix, key], ...fieldPaths(child, [...prefix, key])],
  )
}

function mutated(event: ServerEvent, path: Path, mutation: Mutation): ServerEvent {
  const copy = structuredClone(event) as Record<string | number, unknown>
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  mutation.apply(parent, path.at(-1)!)
  return copy as ServerEvent
}

interface RunResult {
  readonly finished: boolean
  readonly error: SessionError | null
  /** From sending the mutated frame to the session's error state. */
  readonly errorAfterMs: number | null
  readonly transcript: Pick<TranscriptEntry, 'role' | 'text' | 'status'>[]
  readonly audio: Buffer
}

/** A scripted server that replays one event sequence to whichever session connects next. */
class Replayer {
  private replay = { events: [] as ServerEvent[], mutatedIndex: -1, sentMutatedAt: 0 }
  private constructor(private readonly server: ScriptedServer) {}

  static async start(): Promise<Replayer> {
    let self: Replayer | null = null
    const server = await ScriptedServer.start(async (connection) => {
      const replay = self!.replay
      connection.send(replay.events[0]!)
      await connection.next('session.update')
      for (const [index, event] of replay.events.entries()) {
        if (index === 0) continue
        if (index === replay.mutatedIndex) replay.sentMutatedAt = performance.now()
        connection.send(event)
      }
      connection.send({ type: REPLAY_END })
    })
    self = new Replayer(server)
    return self
  }

  /** Replay `events` (the one at `mutatedIndex` mutated) to a fresh session; settle at the end or an error. */
  async run(events: ServerEvent[], mutatedIndex: number): Promise<RunResult> {
    this.replay = { events, mutatedIndex, sentMutatedAt: 0 }
    // A generous handshake deadline: an error that comes from a timeout could not arrive within a second.
    const { session, sink } = makeSession(this.server.url, {
      timing: { connectTimeoutMs: 10_000, reconnectDelaysMs: [] },
    })
    let finished = false
    let error: SessionError | null = null
    let errorAt = 0
    const settled = new Promise<void>((resolve) => {
      session.on('turn-done', (turn) => (finished = turn.afterUserInput && turn.status === 'completed'))
      session.on('protocol', (event) => event.type === REPLAY_END && resolve())
      session.on('state', (state) => {
        if (state.status !== 'error') return
        error = state.error
        errorAt = performance.now()
        resolve()
      })
    })
    await session.start().catch(() => undefined)
    await settled
    await session.stop()
    const failure = error as SessionError | null
    return {
      finished,
      error: failure,
      errorAfterMs: failure ? errorAt - this.replay.sentMutatedAt : null,
      transcript: session.transcriptEntries().map(({ role, text, status }) => ({ role, text, status })),
      audio: sink.all() as Buffer,
    }
  }

  close(): Promise<void> {
    return this.server.close()
  }
}

/** Runs go four at a time, each on its own server. */
const PARALLEL_RUNS = 4
let replayers: Replayer[] = []
/** The recorded turn: every server event from session.created to response.done. */
let recorded: ServerEvent[] = []
let baseline: RunResult

beforeAll(async () => {
  const engine = await startLocalEngine()
  const client = await EngineClient.connect(engine.url)
  await client.waitFor('session.created')
  client.send({
    type: 'session.update',
    session: { input_audio_transcription: { model: 'azure-speech' }, turn_detection: { type: 'server_vad' } },
  })
  await client.waitFor('session.updated')
  client.appendWav(await speechWav('hello there'))
  await client.waitFor('response.done', () => true, 30_000)
  await client.waitFor('conversation.item.input_audio_transcription.completed')
  client.close()
  recorded = [...client.events]
  await engine.close()
  replayers = await Promise.all(Array.from({ length: PARALLEL_RUNS }, () => Replayer.start()))
  baseline = await replayers[0]!.run(recorded, -1)
}, 60_000)

afterAll(async () => {
  await Promise.all(replayers.map((replayer) => replayer.close()))
})

/** Run every job, each replayer taking the next one as it becomes free. */
async function runAll<T>(
  jobs: readonly (() => [ServerEvent[], number, T])[],
): Promise<{ result: RunResult; tag: T }[]> {
  const results: { result: RunResult; tag: T }[] = []
  let next = 0
  await Promise.all(
    replayers.map(async (replayer) => {
      while (next < jobs.length) {
        const [events, index, tag] = jobs[next++]!()
        results.push({ result: await replayer.run(events, index), tag })
      }
    }),
  )
  return results
}

/** What is wrong with one mutated run, or null: see the file header for the rule. */
function verdict(type: string, field: string, use: Use | undefined, result: RunResult): string | null {
  if (!use) {
    if (result.error) return `the session failed: ${result.error.message}`
    if (!result.finished) return 'the turn did not finish'
    if (JSON.stringify(result.transcript) !== JSON.stringify(baseline.transcript))
      return `transcript ${JSON.stringify(result.transcript)}`
    if (!result.audio.equals(baseline.audio)) return `${result.audio.byteLength} audio bytes`
    return null
  }
  if (!result.error) return `acted on, but no error (turn finished: ${result.finished})`
  if (result.error.kind !== 'protocol') return `a ${result.error.kind} error: ${result.error.message}`
  if (!result.error.message.includes(type) || !result.error.message.includes(field))
    return `the error does not name the event and field: ${result.error.message}`
  if ((result.errorAfterMs ?? Infinity) >= 1000) return `the error took ${result.errorAfterMs} ms`
  return null
}

describe('the recorded turn', () => {
  it('holds every event type of a spoken turn, and replays to the same transcript and audio the engine sent', () => {
    expect(new Set(recorded.map((event) => event.type))).toEqual(new Set(TURN_TYPES))
    expect(baseline.error).toBeNull()
    expect(baseline.finished).toBe(true)
    const userText = recorded.find((event) => event.type === 'conversation.item.input_audio_transcription.completed')
    const answer = recorded.find((event) => event.type === 'response.audio_transcript.done')
    expect(baseline.transcript).toEqual([
      { role: 'user', text: String(userText?.['transcript']).trim(), status: 'done' },
      { role: 'assistant', text: answer?.['transcript'], status: 'done' },
    ])
    const sent = Buffer.concat(
      recorded
        .filter((event) => event.type === 'response.audio.delta')
        .map((event) => Buffer.from(String(event['delta']), 'base64')),
    )
    expect(sent.byteLength).toBeGreaterThan(24_000)
    expect(baseline.audio.equals(sent)).toBe(true)
  })

  it('names every field the client acts on in the table, and each is in the recording', () => {
    for (const [type, fields] of Object.entries(ACTED_ON)) {
      const event = recorded.find((candidate) => candidate.type === type)
      const paths = new Set(fieldPaths(event).map((path) => path.join('.')))
      for (const field of Object.keys(fields))
        expect({ type, field, present: paths.has(field) }).toEqual({ type, field, present: true })
    }
  })
})

describe('one field at a time', () => {
  for (const type of TURN_TYPES) {
    it(
      type,
      async () => {
        const index = recorded.findIndex((event) => event.type === type)
        const event = recorded[index]!
        const actedOn = ACTED_ON[type] ?? {}
        const jobs = fieldPaths(event).flatMap((path) =>
          MUTATIONS.flatMap((mutation) => {
            const field = path.join('.')
            const use = actedOn[field]
            if (use && mutation.name === 'an unknown string' && (use === 'text' || use === 'new-id')) return []
            return [
              (): [ServerEvent[], number, { field: string; use: Use | undefined; mutation: Mutation }] => {
                const events = [...recorded]
                events[index] = mutated(event, path, mutation)
                return [events, index, { field, use, mutation }]
              },
            ]
          }),
        )
        const failures = (await runAll(jobs)).flatMap(({ result, tag }) => {
          const problem = verdict(type, tag.field, tag.use, result)
          return problem ? [`${tag.field} ${tag.mutation.name}: ${problem}`] : []
        })
        expect(failures).toEqual([])
        expect(jobs.length).toBeGreaterThan(0)
      },
      120_000,
    )
  }
})
