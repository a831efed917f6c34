/**
 * The quick benchmark run, as CI's `npm test` runs it: `npm run bench -- --quick` must finish, and
 * every benchmark must print each of its figures (bench/figures.ts) as finite numbers. No
 * thresholds: the figures of a quick run on a shared machine mean nothing, only their presence does.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FIGURES, type BenchName } from '../../bench/figures.js'

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function quickBench(): Promise<Run> {
  return new Promise((done, failed) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', '--quick'], {
      cwd: resolve(import.meta.dirname, '../..'),
      shell: process.platform === 'win32', // npm is npm.cmd there
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.once('error', failed)
    child.once('close', (code) => done({ code, stdout, stderr }))
  })
}

type Line = Record<string, unknown>
const isFinite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value)
/** A figure's numbers: `value`, or `p50` and `p99` (bench/figures.ts's FigureNumbers). */
const hasFiniteNumbers = (line: Line): boolean =>
  'value' in line ? isFinite(line['value']) : isFinite(line['p50']) && isFinite(line['p99'])

describe('npm run bench -- --quick', () => {
  let run: Run
  let lines: Line[]

  beforeAll(async () => {
    run = await quickBench()
    lines = run.stdout
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => {
        try {
          return JSON.parse(text) as Line
        } catch {
          return { unparsable: text }
        }
      })
  }, 300_000)

  it('runs every benchmark to the end and prints only JSON Lines of listed figures', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0)
    const unlisted = lines.filter((line) => {
      const names: readonly string[] | undefined = FIGURES[line['bench'] as BenchName]
      return !names?.includes(String(line['name']))
    })
    expect(unlisted).toEqual([])
  })

  it.each(Object.keys(FIGURES) as BenchName[])(
    'the %s benchmark prints each of its figures, as finite numbers',
    (bench) => {
      const printed = lines.filter((line) => line['bench'] === bench)
      const missing = FIGURES[bench].filter((name) => !printed.some((line) => line['name'] === name))
      expect(missing, `not printed by the ${bench} benchmark`).toEqual([])
      expect(printed.filter((line) => !hasFiniteNumbers(line))).toEqual([])
    },
  )
})
