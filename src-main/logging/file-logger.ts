/**
 * The log file (like the quickstart's `voicelive.log`): one JSON object per line, rotated by size
 * (`voicelive.log` → `voicelive.log.1` → … up to `keepFiles`), every line redacted before it is
 * written. Writes are synchronous so the last lines before a crash or `process.exit` are kept.
 */
import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { Logger, LogLevel } from './logger.js'
import { Redactor } from './redact.js'

export interface FileLoggerOptions {
  readonly path: string
  /** Rotate when the file would exceed this size. */
  readonly maxBytes?: number
  /** Rotated files kept besides the current one. */
  readonly keepFiles?: number
  readonly minLevel?: LogLevel
  readonly now?: () => Date
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export class FileLogger implements Logger {
  readonly redactor = new Redactor()
  private fd: number | null = null
  private size = 0
  private readonly maxBytes: number
  private readonly keepFiles: number
  private readonly minLevel: number
  private readonly now: () => Date

  constructor(private readonly options: FileLoggerOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.keepFiles = options.keepFiles ?? 3
    this.minLevel = LEVELS[options.minLevel ?? 'debug']
    this.now = options.now ?? (() => new Date())
  }

  /** Register a secret (API key, token) so it can never appear in the file. */
  addSecret(secret: string | undefined | null): void {
    this.redactor.addSecret(secret)
  }

  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void {
    if (LEVELS[level] < this.minLevel) return
    let json: string
    try {
      json = JSON.stringify({ time: this.now().toISOString(), level, message, ...fields })
    } catch {
      json = JSON.stringify({ time: this.now().toISOString(), level, message, fields: '[unserializable]' })
    }
    const line = Buffer.from(`${this.redactor.redact(json)}\n`, 'utf8')
    try {
      this.open()
      if (this.size > 0 && this.size + line.byteLength > this.maxBytes) this.rotate()
      writeSync(this.fd ?? this.open(), line)
      this.size += line.byteLength
    } catch {
      // Logging must never take the session down (disk full, file removed, permissions).
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private open(): number {
    if (this.fd === null) {
      this.fd = openSync(this.options.path, 'a', 0o600)
      this.size = fstatSync(this.fd).size
    }
    return this.fd
  }

  private rotate(): void {
    this.close()
    const path = this.options.path
    rmSync(`${path}.${this.keepFiles}`, { force: true })
    for (let index = this.keepFiles - 1; index >= 1; index--) {
      if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`)
    }
    if (this.keepFiles > 0) renameSync(path, `${path}.1`)
    else rmSync(path, { force: true })
    this.open()
  }
}
