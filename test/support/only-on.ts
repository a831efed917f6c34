/**
 * A test that cannot run on this platform is still listed, with why in its name, so the summary
 * says what went unchecked instead of a bare "skipped". The only way a test here may be skipped
 * (test/self-setup/test-hygiene.test.ts holds the rest of test/ to that).
 */
import { it, type TestFunction } from 'vitest'

export function itOnlyOn(platform: NodeJS.Platform, why: string) {
  return (name: string, fn: TestFunction): void => {
    if (process.platform === platform) it(name, fn)
    else it.skip(`${name} [not run on ${process.platform}: ${why}]`, fn)
  }
}
