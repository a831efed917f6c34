/**
 * The log's crash path. The file logger queues lines and writes them asynchronously, so a process
 * that dies from an uncaught exception (or an unhandled rejection) would lose the lines that explain
 * it. This writes the error and everything queued, synchronously, as the process goes down. It only
 * watches (`uncaughtExceptionMonitor`): what the process does next (Node exits, Electron shows its
 * dialog) is unchanged.
 */
import type { Logger } from './logger.js'

export interface CrashFlushable extends Logger {
  flushSync(): void
}

/** Returns the function that stops watching. */
export function flushLogOnCrash(log: CrashFlushable, target: NodeJS.EventEmitter = process): () => void {
  const onCrash = (error: unknown, origin: string): void => {
    log.log('error', 'the process is failing', {
      origin,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
    log.flushSync()
  }
  target.on('uncaughtExceptionMonitor', onCrash)
  return () => target.off('uncaughtExceptionMonitor', onCrash)
}
