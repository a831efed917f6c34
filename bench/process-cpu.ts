/**
 * CPU time of a Chromium process tree, per process kind and per renderer thread, read from /proc
 * (Linux). No DevTools connection is needed, so measuring does not change what is measured.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** Chromium's thread names (truncated to 15 characters by Linux) for the renderer threads that
 * matter to audio; every other renderer thread is counted as `other`. */
const RENDERER_THREADS: Readonly<Record<string, string>> = {
  chromium: 'main',
  'Realtime AudioW': 'audio_worklet',
  AudioOutputDevi: 'output_device',
  AudioInputDevic: 'input_device',
  Chrome_ChildIOT: 'io',
}

interface ThreadSample {
  readonly kind: string
  readonly thread: string
  readonly seconds: number
}

/** CPU seconds so far of every thread in the tree, keyed by `pid/tid`. */
export type CpuSnapshot = ReadonlyMap<string, ThreadSample>

/** `utime + stime` of a /proc stat line, in seconds, and the name between the parentheses. */
function parseStat(stat: string): { name: string; ppid: number; seconds: number } {
  const close = stat.lastIndexOf(')')
  const fields = stat.slice(close + 2).split(' ')
  return {
    name: stat.slice(stat.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  }
}

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null // the process or thread ended between listing and reading
  }
}

/** What a Chromium process is: browser, renderer, gpu-process, or a utility's service name. */
function processKind(pid: number): string {
  const cmdline = readOrNull(`/proc/${pid}/cmdline`) ?? ''
  const service = /--utility-sub-type=(\S+?)(?:\s|\0|$)/.exec(cmdline)?.[1]
  if (service) return /audio/i.test(service) ? 'audio_service' : /network/i.test(service) ? 'network_service' : service
  return /--type=(\S+?)(?:\s|\0|$)/.exec(cmdline)?.[1] ?? 'browser'
}

function descendants(rootPid: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readOrNull(`/proc/${entry}/stat`)
    if (stat) parents.set(Number(entry), parseStat(stat).ppid)
  }
  const tree = new Set([rootPid])
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid)
        grew = true
      }
    }
  }
  return [...tree]
}

export function cpuSnapshot(rootPid: number): CpuSnapshot {
  const samples = new Map<string, ThreadSample>()
  for (const pid of descendants(rootPid)) {
    const kind = processKind(pid)
    let threads: string[]
    try {
      threads = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue // ended since it was listed
    }
    for (const tid of threads) {
      const stat = readOrNull(`/proc/${pid}/task/${tid}/stat`)
      if (!stat) continue
      const { name, seconds } = parseStat(stat)
      const thread = kind === 'renderer' ? RENDERER_THREADS[name] ?? 'other' : name
      samples.set(`${pid}/${tid}`, { kind, thread, seconds })
    }
  }
  return samples
}

export interface CpuUse {
  /** % of one core per process kind (renderers summed). */
  readonly byKind: Readonly<Record<string, number>>
  /** % of one core per renderer thread role. */
  readonly rendererThreads: Readonly<Record<string, number>>
  /** Whether the renderer had Chromium's audio output thread: Web Audio was really running. */
  readonly audioRunning: boolean
}

/** Whether a renderer has Chromium's audio output thread: Web Audio is really running. */
export function audioOutputRunning(snapshot: CpuSnapshot): boolean {
  return [...snapshot.values()].some((s) => s.kind === 'renderer' && s.thread === 'output_device')
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, wallSeconds: number): CpuUse {
  const byKind: Record<string, number> = {}
  const rendererThreads: Record<string, number> = {}
  for (const [key, sample] of after) {
    // Threads born during the window count from zero; threads that ended are lost (Chromium's
    // audio threads live as long as the AudioContext, which outlives every window).
    const percent = ((sample.seconds - (before.get(key)?.seconds ?? 0)) / wallSeconds) * 100
    byKind[sample.kind] = (byKind[sample.kind] ?? 0) + percent
    if (sample.kind === 'renderer') rendererThreads[sample.thread] = (rendererThreads[sample.thread] ?? 0) + percent
  }
  return { byKind, rendererThreads, audioRunning: audioOutputRunning(after) }
}
