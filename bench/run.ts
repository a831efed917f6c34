/**
 * `npm run bench`: runs every bench/*.bench.ts in turn with tsx, one at a time (the machine has two
 * cores; parallel benchmarks would measure each other). Their JSON Lines go to stdout untouched;
 * their logs go to stderr. Exits non-zero if any benchmark failed. `npm run bench -- engine` runs
 * only the benchmarks whose file name contains "engine"; `--quick` runs each briefly (bench-mode.ts).
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const benchDir = import.meta.dirname
const quick = process.argv.includes('--quick')
const filters = process.argv.slice(2).filter((arg) => arg !== '--quick')
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort()
const tsxCli = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs')

function runOne(file: string): Promise<number> {
  return new Promise((resolve) => {
    process.stderr.write(`bench: running ${file}\n`)
    const child = spawn(process.execPath, [tsxCli, join(benchDir, file)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, VOICE_LIVE_BENCH_QUICK: quick ? '1' : '0' },
    })
    child.once('error', (error) => {
      process.stderr.write(`bench: cannot start ${file}: ${error.message}\n`)
      resolve(1)
    })
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

let failed = 0
if (files.length === 0) process.stderr.write(`bench: no *.bench.ts matched ${filters.join(', ') || 'in bench/'}\n`)
for (const file of files) {
  const code = await runOne(file)
  if (code !== 0) {
    failed++
    process.stderr.write(`bench: ${file} failed (exit ${code})\n`)
  }
}
process.exitCode = failed === 0 && files.length > 0 ? 0 : 1
