import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Browser and engine tests start real processes (Chromium, the engine's recogniser and
    // synthesis, CLI children) that need a core of their own: one test file at a time on this
    // two-core machine. Two at once made timing-sensitive browser tests fail under the load.
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI reads the counts from this report to print its final `N passed, M failed` line.
    reporters: process.env['CI'] ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
})
