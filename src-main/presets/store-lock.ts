/**
 * A lock file beside the store, so the CLI and the app (or two CLIs) never interleave a
 * read-change-write: whoever holds `presets.json.lock` re-reads the file, applies one change and
 * writes it, so no update is lost. The lock is created with O_EXCL (atomic on every local file
 * system). A lock left by a process that died is taken over: its owner is gone (same machine) or it
 * is older than `staleAfterMs`.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export interface LockOptions {
  readonly timeoutMs?: number
  readonly staleAfterMs?: number
}

function tryCreate(path: string, token: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600)
    try {
      writeSync(fd, token)
    } finally {
      closeSync(fd)
    }
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

function ownerIsGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Removes a lock whose owner is gone or which is older than `staleAfterMs`. */
function clearStale(path: string, staleAfterMs: number): void {
  try {
    const [pid] = readFileSync(path, 'utf8').split(' ')
    const age = Date.now() - statSync(path).mtimeMs
    if (ownerIsGone(Number(pid)) || age > staleAfterMs) unlinkSync(path)
  } catch {
    // Gone already, or half-written by an owner that is writing it right now: try again later.
  }
}

/** Runs `task` while holding the lock at `path`; waits for another holder (up to `timeoutMs`). */
export async function withFileLock<T>(path: string, task: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, staleAfterMs = 30_000 } = options
  const token = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`
  const deadline = Date.now() + timeoutMs
  let attempt = 0
  while (!tryCreate(path, token)) {
    if (Date.now() > deadline) {
      throw new Error(`The presets are locked by another process (${path}); try again, or delete the lock file.`)
    }
    if (++attempt % 20 === 0) clearStale(path, staleAfterMs)
    await sleep(5 + Math.random() * 15)
  }
  try {
    return await task()
  } finally {
    try {
      if (readFileSync(path, 'utf8') === token) unlinkSync(path)
    } catch {
      // Already taken over as stale: nothing of ours to remove.
    }
  }
}
