import { execFile } from 'node:child_process'
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { FileLogger } from '../../src-main/logging/file-logger.js'

const dir = mkdtempSync(path.join(tmpdir(), 'vl-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

/** Runs `body` with every synchronous function of `fs` counted (ESM named imports included). */
async function countingSyncFs(body: () => Promise<void>): Promise<string[]> {
  const calls: string[] = []
  const originals = Object.entries(fs).filter(
    ([name, value]) => name.endsWith('Sync') && typeof value === 'function',
  ) as [string, (...args: unknown[]) => unknown][]
  for (const [name, original] of originals) {
    Object.assign(fs, { [name]: (...args: unknown[]) => (calls.push(name), original(...args)) })
  }
  syncBuiltinESMExports()
  try {
    await body()
  } finally {
    for (const [name, original] of originals) Object.assign(fs, { [name]: original })
    syncBuiltinESMExports()
  }
  return calls
}

/** How many of this process's file descriptors are open on `file` (Linux). */
const descriptorsOn = (file: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file
    } catch {
      return false // closed since it was listed
    }
  }).length

describe('FileLogger', () => {
  it('writes one JSON object per line', async () => {
    const file = path.join(dir, 'lines.log')
    const logger = new FileLogger({ path: file, minLevel: 'debug', now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('info', 'connected', { url: 'wss://x/voice-live/realtime' })
    logger.log('debug', '→ session.update', { session: { voice: 'marin' } })
    await logger.close()
    expect(lines(file)).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'connected', url: 'wss://x/voice-live/realtime' },
      { time: '2026-01-02T03:04:05.000Z', level: 'debug', message: '→ session.update', session: { voice: 'marin' } },
    ])
  })

  it('records at info by default; debug is opted into, and applies from then on', async () => {
    const file = path.join(dir, 'levels.log')
    const logger = new FileLogger({ path: file })
    expect(logger.level).toBe('info')
    logger.log('debug', 'hidden')
    logger.log('info', 'shown')
    logger.setLevel('debug')
    logger.log('debug', 'detail')
    logger.setLevel('warn')
    logger.log('info', 'hidden too')
    logger.log('error', 'failure')
    await logger.close()
    expect(lines(file).map((line) => line.message)).toEqual(['shown', 'detail', 'failure'])
  })

  it('queues lines and writes them later in one batch, without synchronous file I/O', async () => {
    const file = path.join(dir, 'batched.log')
    const logger = new FileLogger({ path: file, batchMs: 20 })
    const syncCalls = await countingSyncFs(async () => {
      for (let i = 0; i < 50; i++) logger.log('info', `line ${i}`)
      expect(existsSync(file)).toBe(false) // nothing written while the caller runs
      await new Promise((resolve) => setTimeout(resolve, 200))
    })
    expect(syncCalls.filter((name) => name !== 'existsSync')).toEqual([])
    expect(lines(file)).toHaveLength(50)
    await logger.close()
  })

  it('close() writes what is queued and closes the file; a line logged later is still written', async () => {
    const file = path.join(dir, 'close.log')
    const logger = new FileLogger({ path: file, batchMs: 60_000 })
    logger.log('info', 'queued')
    await logger.close()
    expect(lines(file).map((line) => line.message)).toEqual(['queued'])
    expect(descriptorsOn(file)).toBe(0)
    logger.log('info', 'after close')
    await logger.flush()
    expect(lines(file).map((line) => line.message)).toEqual(['queued', 'after close'])
    expect(descriptorsOn(file)).toBe(0)
  })

  it('never writes a registered secret or anything shaped like a credential', async () => {
    const file = path.join(dir, 'secrets.log')
    const logger = new FileLogger({ path: file })
    const key = 'a1b2c3d4e5f6-very-secret-key'
    const late = 'token-registered-after-logging-9f8e7d'
    logger.addSecret(key)
    logger.log('error', `upgrade failed for key ${key}`, { headers: `api-key: ${key}`, nested: { value: key } })
    logger.log('info', 'token', { auth: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig-nature' })
    logger.log('info', 'url', { url: 'wss://x/?api-key=zzzunregisteredzzz&model=m' })
    // Queued before its secret was known: still redacted, as lines are redacted when written.
    logger.log('info', `quoted back: ${late}`)
    logger.addSecret(late)
    await logger.close()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(key)
    expect(text).not.toContain(late)
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9')
    expect(text).not.toContain('zzzunregisteredzzz')
    expect(text).toContain('model=m')
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6)
  })

  it('rotates by size, asynchronously, and keeps a bounded number of files', async () => {
    const file = path.join(dir, 'rotate.log')
    const logger = new FileLogger({ path: file, maxBytes: 1000, keepFiles: 2, batchMs: 1 })
    const syncCalls = await countingSyncFs(async () => {
      for (let i = 0; i < 100; i++) {
        logger.log('info', `line ${i}`, { pad: 'x'.repeat(50) })
        if (i % 10 === 9) await logger.flush() // rotations between batches and within one
      }
      await logger.close()
    })
    expect(syncCalls).toEqual([])
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    for (const name of [file, `${file}.1`, `${file}.2`]) expect(readFileSync(name).byteLength).toBeLessThanOrEqual(1000)
    expect(readFileSync(file, 'utf8')).toContain('line 99')
    // The three files hold the newest lines, in order, with none lost between them.
    const kept = [`${file}.2`, `${file}.1`, file].flatMap((name) => lines(name).map((line) => line.message))
    const first = Number(String(kept[0]).split(' ')[1])
    expect(kept).toEqual(Array.from({ length: 100 - first }, (_, i) => `line ${first + i}`))
  })

  it('keeps going when the file cannot be written', async () => {
    const logger = new FileLogger({ path: path.join(dir, 'missing-dir', 'x.log') })
    expect(() => logger.log('info', 'lost')).not.toThrow()
    await expect(logger.close()).resolves.toBeUndefined()
    expect(() => logger.flushSync()).not.toThrow()
  })

  it('flushSync() (for crash paths) writes the queued lines at once, redacted', () => {
    const file = path.join(dir, 'sync.log')
    const logger = new FileLogger({ path: file, batchMs: 60_000 })
    logger.addSecret('crash-secret-value')
    logger.log('warn', 'last words with crash-secret-value')
    logger.flushSync()
    expect(lines(file)).toMatchObject([{ level: 'warn', message: 'last words with [redacted]' }])
  })

  it('a process that dies of an uncaught exception still leaves its queued lines and the error in the file', async () => {
    const file = path.join(dir, 'crash.log')
    const secret = 'secret-in-the-crash-7c6b5a'
    const fixture = path.join(import.meta.dirname, 'fixtures', 'crash-after-logging.ts')
    const exit = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, file, secret]).then(
      () => 0,
      (error: { code?: number }) => error.code,
    )
    expect(exit).not.toBe(0)
    const written = lines(file)
    expect(written.map((line) => line.message)).toEqual(['the line before the crash', 'the process is failing'])
    expect(written[1]).toMatchObject({ level: 'error', origin: 'uncaughtException' })
    expect(String(written[1]?.['error'])).toMatch(/boom with \[redacted\]/)
    expect(readFileSync(file, 'utf8')).not.toContain(secret)
  })

  it('writes nothing below the minimum level', async () => {
    const file = path.join(dir, 'min-level.log')
    const logger = new FileLogger({ path: file, minLevel: 'info' })
    logger.log('debug', 'hidden')
    logger.log('info', 'shown')
    await logger.close()
    expect(messages(file)).toEqual(['shown'])
  })

  it('writes a line whose fields cannot be serialised, without them', async () => {
    const file = path.join(dir, 'bigint.log')
    const logger = new FileLogger({ path: file, now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('warn', 'odd', { big: 1n })
    await logger.close()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'warn',
      message: 'odd',
      fields: '[unserializable]',
    })
  })

  it('rotates only when a line would pass the limit, never an empty file', async () => {
    const file = path.join(dir, 'exact.log')
    const line = (message: string) =>
      `${JSON.stringify({ time: '2026-01-02T03:04:05.000Z', level: 'info', message })}\n`
    const maxBytes = 2 * Buffer.byteLength(line('aa'))
    const logger = new FileLogger({ path: file, maxBytes, now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('info', 'aa')
    logger.log('info', 'bb') // exactly at the limit: stays in the file
    expect(existsSync(`${file}.1`)).toBe(false)
    logger.log('info', 'cc')
    await logger.close()
    expect(messages(`${file}.1`)).toEqual(['aa', 'bb'])
    expect(messages(file)).toEqual(['cc'])

    const big = path.join(dir, 'big.log')
    const small = new FileLogger({ path: big, maxBytes: 10 })
    small.log('info', 'a first line longer than the limit')
    await small.close()
    expect(existsSync(`${big}.1`)).toBe(false)
    expect(messages(big)).toEqual(['a first line longer than the limit'])
  })

  it('with keepFiles 0 starts the file afresh and keeps no rotated copy', async () => {
    const file = path.join(dir, 'none.log')
    const logger = new FileLogger({ path: file, maxBytes: 150, keepFiles: 0 })
    for (let i = 0; i < 5; i++) logger.log('info', `line ${i}`)
    await logger.close()
    expect(existsSync(`${file}.1`)).toBe(false)
    expect(messages(file)).toContain('line 4')
    expect(messages(file)).not.toContain('line 0')
  })

  it('never touches rotated files beyond keepFiles (e.g. left by an older, larger setting)', async () => {
    const file = path.join(dir, 'stale.log')
    writeFileSync(`${file}.3`, 'old\n')
    const logger = new FileLogger({ path: file, maxBytes: 150, keepFiles: 2 })
    for (let i = 0; i < 10; i++) logger.log('info', `line ${i}`)
    await logger.close()
    expect(readFileSync(`${file}.3`, 'utf8')).toBe('old\n')
    expect(existsSync(`${file}.4`)).toBe(false)
  })
})

/** The message of each line of a log file. */
function messages(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { message: string }).message)
}
