import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cpuBetween, cpuSnapshot } from '../../bench/process-cpu.js'

/** A child that says it has started, burns CPU for `busyMs` in its own process, then sleeps until
 * killed. Measuring only after the word keeps Node's own start-up (~0.1 s of CPU) out of the window. */
async function startChild(busyMs: number) {
  const script = `process.stdout.write('ready\\n'); const end = Date.now() + ${busyMs}; while (Date.now() < end); setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] })
  await new Promise<void>((ready, failed) => {
    child.stdout.once('data', () => ready())
    child.once('error', failed)
  })
  return child
}

describe('process CPU from /proc (the audio benchmark\'s meter)', () => {
  it('sees a busy process tree as busy and an idle one as idle', async () => {
    // Started together, and the busy one burns far longer than the window: on a loaded machine a
    // child's start-up alone can take longer than the window.
    const [busy, idle] = await Promise.all([startChild(10_000), startChild(0)])
    try {
      await new Promise((done) => setTimeout(done, 50))
      const before = { busy: cpuSnapshot(busy.pid!), idle: cpuSnapshot(idle.pid!) }
      const start = performance.now()
      await new Promise((done) => setTimeout(done, 400))
      const after = { busy: cpuSnapshot(busy.pid!), idle: cpuSnapshot(idle.pid!) }
      const seconds = (performance.now() - start) / 1000
      const busyUse = cpuBetween(before.busy, after.busy, seconds)
      const idleUse = cpuBetween(before.idle, after.idle, seconds)
      // A plain process is the tree's root, which for Chromium is the browser process. The
      // bounds are loose and relative: the whole suite shares the two cores, so a busy child may
      // get only a slice of one; an idle one, measured after its start-up, uses next to nothing.
      const busyPercent = busyUse.byKind['browser'] ?? 0
      const idlePercent = idleUse.byKind['browser'] ?? 0
      expect(busyPercent).toBeGreaterThan(5)
      expect(idlePercent).toBeLessThan(5)
      expect(busyPercent).toBeGreaterThan(4 * idlePercent)
      expect(busyUse.audioRunning).toBe(false)
    } finally {
      busy.kill()
      idle.kill()
    }
  })
})
