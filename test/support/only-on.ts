/**
 * A test that cannot run here is still listed, with why in its name, so the summary says what
 * went unchecked instead of a bare "skipped". The only ways a test may be skipped
 * (test/self-setup/test-hygiene.test.ts holds the rest of test/ to that).
 */
import { describe, it, type TestFunction } from 'vitest'

const notRun = (name: string, reason: string): string => `${name} [not run: ${reason}]`

/** `it`, or a skipped test named with `reason` when there is one. */
export function itUnless(reason: string | null) {
  return (name: string, fn: TestFunction): void => {
    if (reason === null) it(name, fn)
    else it.skip(notRun(name, reason), fn)
  }
}

/** `describe`, or a skipped suite named with `reason` when there is one. */
export function describeUnless(reason: string | null) {
  return (name: string, fn: () => void): void => {
    if (reason === null) describe(name, fn)
    else describe.skip(notRun(name, reason), fn)
  }
}

/** A test that only means something on one platform. */
export function itOnlyOn(platform: NodeJS.Platform, why: string) {
  return itUnless(process.platform === platform ? null : `${why}; this is ${process.platform}`)
}
