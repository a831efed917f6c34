import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileLogger } from '../../src-main/logging/file-logger.js'

const dir = mkdtempSync(path.join(tmpdir(), 'vl-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('FileLogger', () => {
  it('writes one JSON object per line', () => {
    const file = path.join(dir, 'lines.log')
    const logger = new FileLogger({ path: file, now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('info', 'connected', { url: 'wss://x/voice-live/realtime' })
    logger.log('debug', '→ input_audio_buffer.append', { audio: { audioBytes: 960 } })
    logger.close()
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown)
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'connected', url: 'wss://x/voice-live/realtime' },
      {
        time: '2026-01-02T03:04:05.000Z',
        level: 'debug',
        message: '→ input_audio_buffer.append',
        audio: { audioBytes: 960 },
      },
    ])
  })

  it('never writes a registered secret or anything shaped like a credential', () => {
    const file = path.join(dir, 'secrets.log')
    const logger = new FileLogger({ path: file })
    const key = 'a1b2c3d4e5f6-very-secret-key'
    logger.addSecret(key)
    logger.log('error', `upgrade failed for key ${key}`, { headers: `api-key: ${key}`, nested: { value: key } })
    logger.log('info', 'token', { auth: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig-nature' })
    logger.log('info', 'url', { url: 'wss://x/?api-key=zzzunregisteredzzz&model=m' })
    logger.close()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(key)
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9')
    expect(text).not.toContain('zzzunregisteredzzz')
    expect(text).toContain('model=m')
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5)
  })

  it('rotates by size and keeps a bounded number of files', () => {
    const file = path.join(dir, 'rotate.log')
    const logger = new FileLogger({ path: file, maxBytes: 1000, keepFiles: 2 })
    for (let i = 0; i < 100; i++) logger.log('info', `line ${i}`, { pad: 'x'.repeat(50) })
    logger.close()
    expect(existsSync(`${file}.1`)).toBe(true)
    expect(existsSync(`${file}.2`)).toBe(true)
    expect(existsSync(`${file}.3`)).toBe(false)
    for (const name of [file, `${file}.1`, `${file}.2`]) expect(readFileSync(name).byteLength).toBeLessThanOrEqual(1000)
    expect(readFileSync(file, 'utf8')).toContain('line 99')
  })

  it('keeps going when the file cannot be written', () => {
    const logger = new FileLogger({ path: path.join(dir, 'missing-dir', 'x.log') })
    expect(() => logger.log('info', 'lost')).not.toThrow()
  })

  it('writes nothing below the minimum level', () => {
    const file = path.join(dir, 'levels.log')
    const logger = new FileLogger({ path: file, minLevel: 'info' })
    logger.log('debug', 'hidden')
    logger.log('info', 'shown')
    logger.close()
    expect(messages(file)).toEqual(['shown'])
  })

  it('writes a line whose fields cannot be serialised, without them', () => {
    const file = path.join(dir, 'bigint.log')
    const logger = new FileLogger({ path: file, now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('warn', 'odd', { big: 1n })
    logger.close()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'warn',
      message: 'odd',
      fields: '[unserializable]',
    })
  })

  it('rotates only when a line would pass the limit, never an empty file', () => {
    const file = path.join(dir, 'exact.log')
    const line = (message: string) =>
      `${JSON.stringify({ time: '2026-01-02T03:04:05.000Z', level: 'info', message })}\n`
    const maxBytes = 2 * Buffer.byteLength(line('aa'))
    const logger = new FileLogger({ path: file, maxBytes, now: () => new Date('2026-01-02T03:04:05Z') })
    logger.log('info', 'aa')
    logger.log('info', 'bb') // exactly at the limit: stays in the file
    expect(existsSync(`${file}.1`)).toBe(false)
    logger.log('info', 'cc')
    logger.close()
    expect(messages(`${file}.1`)).toEqual(['aa', 'bb'])
    expect(messages(file)).toEqual(['cc'])

    const big = path.join(dir, 'big.log')
    const small = new FileLogger({ path: big, maxBytes: 10 })
    small.log('info', 'a first line longer than the limit')
    small.close()
    expect(existsSync(`${big}.1`)).toBe(false)
    expect(messages(big)).toEqual(['a first line longer than the limit'])
  })

  it('with keepFiles 0 starts the file afresh and keeps no rotated copy', () => {
    const file = path.join(dir, 'none.log')
    const logger = new FileLogger({ path: file, maxBytes: 150, keepFiles: 0 })
    for (let i = 0; i < 5; i++) logger.log('info', `line ${i}`)
    logger.close()
    expect(existsSync(`${file}.1`)).toBe(false)
    expect(messages(file)).toContain('line 4')
    expect(messages(file)).not.toContain('line 0')
  })

  it('never touches rotated files beyond keepFiles (e.g. left by an older, larger setting)', () => {
    const file = path.join(dir, 'stale.log')
    writeFileSync(`${file}.3`, 'old\n')
    const logger = new FileLogger({ path: file, maxBytes: 150, keepFiles: 2 })
    for (let i = 0; i < 10; i++) logger.log('info', `line ${i}`)
    logger.close()
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
