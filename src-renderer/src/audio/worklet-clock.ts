/** Milliseconds since the epoch, at the best resolution the worklet scope offers (for latency figures). */
export function epochMs(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.timeOrigin + performance.now()
}
