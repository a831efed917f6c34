// The judgement of the Electron security scan (scripts/security-scan.mjs), apart from running the
// scanner so a test can hold it: which findings no exception explains, which exceptions match no
// finding any more (stale: the code they excused is gone, so they would excuse the next one),
// and which exceptions give no real reason.

/** Findings and exceptions are matched on rule and file: line numbers drift with every edit. */
export const exceptionKey = (entry) => `${entry.rule} ${entry.file}`

/** A reason shorter than this is a placeholder, not a review. */
const MIN_REASON_LENGTH = 20

export function judgeFindings(findings, exceptions) {
  const accepted = new Set(exceptions.map(exceptionKey))
  const found = new Set(findings.map(exceptionKey))
  const unexplained = findings.filter((finding) => !accepted.has(exceptionKey(finding)))
  const stale = exceptions.filter((entry) => !found.has(exceptionKey(entry)))
  const unreasoned = exceptions.filter(
    (entry) => typeof entry.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH,
  )
  const lines = [
    ...findings.map(
      (finding) =>
        `[security] ${accepted.has(exceptionKey(finding)) ? 'accepted' : 'UNEXPLAINED'}: ${finding.rule} at ${finding.file}:${finding.line}`,
    ),
    ...stale.map((entry) => `[security] STALE exception (no such finding any more): ${exceptionKey(entry)}`),
    ...unreasoned.map((entry) => `[security] exception without a real reason: ${exceptionKey(entry)}`),
  ]
  return { unexplained, stale, unreasoned, lines, ok: unexplained.length + stale.length + unreasoned.length === 0 }
}
