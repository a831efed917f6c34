/**
 * The logger interface the session core, the CLI and the app share. Each picks a sink: the rotated
 * file (`file-logger.ts`), memory for tests, or nothing. Fields must already be log-safe (event
 * summaries from `summarizeEvent`); sinks still redact registered secrets as a second line of defence.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Higher is more severe; a sink writes the lines at or above its level. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 }

export const isLogLevel = (value: string): value is LogLevel => (LOG_LEVELS as readonly string[]).includes(value)

export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void
}

export const silentLogger: Logger = { log: () => undefined }

export interface LogRecord {
  readonly level: LogLevel
  readonly message: string
  readonly fields?: Readonly<Record<string, unknown>> | undefined
}

/** Keeps records in memory (tests, and the app's diagnostics view). */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = []
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.records.push({ level, message, fields })
  }
}
