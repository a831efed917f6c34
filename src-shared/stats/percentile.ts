/**
 * Nearest-rank percentile (p in 0..100) of `values`, or null when there are none. The one
 * definition used by the metrics panel and every benchmark, so their p50/p90/p99 agree.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null
}
