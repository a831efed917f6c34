/** How the UI writes durations and byte counts (turn latencies, audio bytes sent and received). */
export const formatMs = (ms: number | null): string => (ms === null ? '—' : `${Math.round(ms)} ms`)

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`
}
