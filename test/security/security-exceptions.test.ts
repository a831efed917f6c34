/**
 * The security scan's verdict on its findings (scripts/security-exceptions.mjs): a finding no
 * exception explains fails it, and so does an exception that matches no finding any more.
 */
import { describe, expect, it } from 'vitest'
import { judgeFindings } from '../../scripts/security-exceptions.mjs'

const REASON = 'checked by test/electron/window-security.test.ts'
const finding = (rule: string, file: string, line = 1) => ({ rule, file, line })

describe('security scan exceptions', () => {
  it('passes when every finding has an exception with a reason, matched on rule and file at any line', () => {
    const verdict = judgeFindings(
      [finding('SANDBOX_JS_CHECK', 'src-main/a.ts', 10), finding('SANDBOX_JS_CHECK', 'src-main/a.ts', 99)],
      [{ rule: 'SANDBOX_JS_CHECK', file: 'src-main/a.ts', reason: REASON }],
    )
    expect(verdict.ok).toBe(true)
    expect(verdict.lines).toEqual([
      '[security] accepted: SANDBOX_JS_CHECK at src-main/a.ts:10',
      '[security] accepted: SANDBOX_JS_CHECK at src-main/a.ts:99',
    ])
  })

  it('fails on an exception whose finding is gone (stale), naming it', () => {
    const verdict = judgeFindings(
      [finding('SANDBOX_JS_CHECK', 'src-main/a.ts')],
      [
        { rule: 'SANDBOX_JS_CHECK', file: 'src-main/a.ts', reason: REASON },
        // Same rule, another file; same file, another rule: neither matches the finding.
        { rule: 'SANDBOX_JS_CHECK', file: 'src-main/gone.ts', reason: REASON },
        { rule: 'CSP_GLOBAL_CHECK', file: 'src-main/a.ts', reason: REASON },
      ],
    )
    expect(verdict.ok).toBe(false)
    expect(verdict.stale.map((entry) => entry.file + ' ' + entry.rule)).toEqual([
      'src-main/gone.ts SANDBOX_JS_CHECK',
      'src-main/a.ts CSP_GLOBAL_CHECK',
    ])
    expect(verdict.lines.slice(1)).toEqual([
      '[security] STALE exception (no such finding any more): SANDBOX_JS_CHECK src-main/gone.ts',
      '[security] STALE exception (no such finding any more): CSP_GLOBAL_CHECK src-main/a.ts',
    ])
  })

  it('fails on a finding no exception explains', () => {
    const verdict = judgeFindings([finding('OPEN_EXTERNAL_JS_CHECK', 'src-main/b.ts', 7)], [])
    expect(verdict.ok).toBe(false)
    expect(verdict.lines).toEqual(['[security] UNEXPLAINED: OPEN_EXTERNAL_JS_CHECK at src-main/b.ts:7'])
  })

  it('fails on an exception without a real reason (missing, or under 20 characters once trimmed)', () => {
    const verdict = judgeFindings(
      [finding('R1', 'f1'), finding('R2', 'f2'), finding('R3', 'f3')],
      [
        { rule: 'R1', file: 'f1' },
        { rule: 'R2', file: 'f2', reason: `   ${'x'.repeat(19)}   ` },
        { rule: 'R3', file: 'f3', reason: 'x'.repeat(20) },
      ],
    )
    expect(verdict.ok).toBe(false)
    expect(verdict.unreasoned.map((entry) => entry.rule)).toEqual(['R1', 'R2'])
  })
})
