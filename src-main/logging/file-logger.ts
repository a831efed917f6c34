/**
 * The log file (like the quickstart's `voicelive.log`): one JSON object per line, rotated by size
 * (`voicelive.log` → `voicelive.log.1` → … up to `keepFiles`), every line redacted before it is
 * written.
 *
 * `log()` only queues the line: it runs on main's event loop, during audio, so the file is written
 * later, in batches, with asynchronous I/O (rotation too). Nothing is lost on the ways out: `close()`
 * writes what is queued, and a crash path calls `flushSync()` (crash-flush.ts), the one synchronous
 * write, made when the process is ending anyway.
 */
import { appendFileSync } from 'node:fs'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { LOG_LEVEL_RANK, type Logger, type LogLevel } from './logger.js'
import { Redactor } from './redact.js'

export interface FileLoggerOptions {
  readonly path: string
  /** Rotate when the file would exceed this size. */
  readonly maxBytes?: number
  /** Rotated files kept besides the current one. */
  readonly keepFiles?: number
  /** Lines below this level are not written. Default `info`; `debug` is opt-in. */
  readonly minLevel?: LogLevel
  readonly now?: () => Date
  /** How long a line may wait to be written with the lines after it. */
  readonly batchMs?: number
  /** Queued bytes beyond this (the disk stalls) are dropped and counted, not held without limit. */
  readonly maxQueuedBytes?: number
}

const DEFAULT_BATCH_MS = 250
const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024

export class FileLogger implements Logger {
  readonly redactor = new Redactor()
  private minLevel: LogLevel
  private readonly maxBytes: number
  private readonly keepFiles: number
  private readonly now: () => Date
  private readonly batchMs: number
  private readonly maxQueuedBytes: number
  /** Lines not yet handed to the file, unredacted (a secret registered later still gets redacted). */
  private queue: string[] = []
  private queuedBytes = 0
  private dropped = 0
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> | null = null
  private handle: FileHandle | null = null
  /** Bytes in the current file, known once it is open. */
  private size = 0
  /** After close(), a late line (a socket closing after the app's dispose) is written and the file closed again. */
  private closed = false

  constructor(private readonly options: FileLoggerOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.keepFiles = options.keepFiles ?? 3
    this.minLevel = options.minLevel ?? 'info'
    this.now = options.now ?? (() => new Date())
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES
  }

  get level(): LogLevel {
    return this.minLevel
  }

  /** Settings → Diagnostics and `--log-level` change this; it applies to lines logged from now on. */
  setLevel(level: LogLevel): void {
    this.minLevel = level
  }

  /** Register a secret (API key, token) so it can never appear in the file. */
  addSecret(secret: string | undefined | null): void {
    this.redactor.addSecret(secret)
  }

  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void {
    if (LOG_LEVEL_RANK[level] < LOG_LEVEL_RANK[this.minLevel]) return
    let json: string
    try {
      json = JSON.stringify({ time: this.now().toISOString(), level, message, ...fields })
    } catch {
      json = JSON.stringify({ time: this.now().toISOString(), level, message, fields: '[unserializable]' })
    }
    if (this.queuedBytes + json.length > this.maxQueuedBytes) {
      this.dropped++
      return
    }
    this.queue.push(json)
    this.queuedBytes += json.length
    this.timer ??= setTimeout(() => {
      this.timer = null
      void this.flush()
    }, this.batchMs)
    // A timer must not keep a finished CLI alive; close() writes what it would have.
    this.timer.unref()
  }

  /** Writes everything queued so far; resolves when it is in the file (or could not be written). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    // One writer at a time, so lines keep their order; a flush during a write waits for it, then writes its own.
    const previous = this.writing ?? Promise.resolve()
    const next = previous.then(() => this.writeQueued())
    this.writing = next
    void next.then(() => {
      if (this.writing === next) this.writing = null
    })
    return next
  }

  /** Writes what is queued, then closes the file. A line logged after this is still written. */
  async close(): Promise<void> {
    this.closed = true
    await this.flush()
  }

  /**
   * For crash paths only (the process is about to end, so blocking is harmless and waiting for a
   * promise is not possible): writes the queued lines synchronously. It does not rotate; the next
   * asynchronous write does.
   */
  flushSync(): void {
    const lines = this.takeQueue()
    if (lines.length === 0) return
    try {
      appendFileSync(this.options.path, lines.map((line) => `${this.redactor.redact(line)}\n`).join(''), {
        mode: 0o600,
      })
    } catch {
      // Logging must never get in the way, least of all while the process is failing.
    }
  }

  private takeQueue(): string[] {
    const lines = this.queue
    if (this.dropped > 0) {
      lines.push(
        JSON.stringify({
          time: this.now().toISOString(),
          level: 'warn',
          message: 'log lines dropped: the file could not keep up',
          dropped: this.dropped,
        }),
      )
      this.dropped = 0
    }
    this.queue = []
    this.queuedBytes = 0
    return lines
  }

  private async writeQueued(): Promise<void> {
    await this.writeLines(this.takeQueue())
    if (this.closed) await this.closeFile()
  }

  private async writeLines(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return
    try {
      let batch: Buffer[] = []
      let batchBytes = 0
      let handle = await this.open()
      for (const line of lines) {
        const bytes = Buffer.from(`${this.redactor.redact(line)}\n`, 'utf8')
        if (this.size + batchBytes > 0 && this.size + batchBytes + bytes.byteLength > this.maxBytes) {
          await this.write(handle, batch, batchBytes)
          handle = await this.rotate()
          batch = []
          batchBytes = 0
        }
        batch.push(bytes)
        batchBytes += bytes.byteLength
      }
      await this.write(handle, batch, batchBytes)
    } catch {
      // Logging must never take the session down (disk full, file removed, permissions). The
      // handle may be broken: the next batch opens the file again.
      await this.closeFile()
    }
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle
    this.handle = null
    await handle?.close().catch(() => undefined)
  }

  private async write(handle: FileHandle, batch: readonly Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return
    await handle.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch, bytes))
    this.size += bytes
  }

  private async open(): Promise<FileHandle> {
    if (this.handle === null) {
      const handle = await open(this.options.path, 'a', 0o600)
      this.size = (await handle.stat()).size
      this.handle = handle
    }
    return this.handle
  }

  private async rotate(): Promise<FileHandle> {
    const handle = this.handle
    this.handle = null
    await handle?.close()
    const path = this.options.path
    await rm(`${path}.${this.keepFiles}`, { force: true })
    for (let index = this.keepFiles - 1; index >= 1; index--) {
      await rename(`${path}.${index}`, `${path}.${index + 1}`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error // a missing older file is just a short history
      })
    }
    if (this.keepFiles > 0) await rename(path, `${path}.1`)
    else await rm(path, { force: true })
    return this.open()
  }
}
