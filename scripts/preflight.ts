/**
 * `npm test` starts here (the `pretest` script): one line and a non-zero exit when the machine
 * lacks a piece the tests need (preflight-checks.ts), before any of the slower steps run.
 */
import { machineProbes, preflight } from './preflight-checks.js'

const verdict = preflight(machineProbes)
if (verdict.ready) {
  console.log(`preflight: ready (browser ${verdict.browser})`)
} else {
  console.error(verdict.line)
  process.exitCode = 1
}
