export interface Finding {
  readonly rule: string
  readonly file: string
  readonly line: number
}

export interface SecurityException {
  readonly rule: string
  readonly file: string
  readonly reason?: unknown
}

export function exceptionKey(entry: { readonly rule: string; readonly file: string }): string

/** What the security scan reports for these findings and exceptions, and whether it passes. */
export function judgeFindings<F extends Finding, E extends SecurityException>(
  findings: readonly F[],
  exceptions: readonly E[],
): {
  readonly unexplained: F[]
  readonly stale: E[]
  readonly unreasoned: E[]
  readonly lines: string[]
  readonly ok: boolean
}
