/**
 * Quick mode (`npm run bench -- --quick`): every benchmark runs for a few seconds and emits each
 * of its figures, so CI proves the benchmarks still run. The figures are not meant to be read and
 * CI checks no thresholds. `bench/run.ts` passes the flag down to each benchmark's process.
 */
export const QUICK = process.env['VOICE_LIVE_BENCH_QUICK'] === '1'

/** `full` normally, `quick` in quick mode: for rounds, durations and session counts. */
export function scaled(full: number, quick: number): number {
  return QUICK ? quick : full
}
