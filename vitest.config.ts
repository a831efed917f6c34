import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Browser and engine tests start real processes; keep files in separate workers
    // but never more than the two cores this machine (and CI) has.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI reads the counts from this report to print its final `N passed, M failed` line.
    reporters: process.env['CI'] ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
})
