/**
 * The logger interface the session core, the CLI and the app share. Each picks a sink: the rotated
 * file (`file-logger.ts`), memory for tests, or nothing. Fields must already be log-safe (event
 * summaries from `summarizeEvent`); sinks still redact registered secrets as a second line of defence.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

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
