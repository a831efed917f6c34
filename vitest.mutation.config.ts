import { defineConfig } from 'vitest/config'

/**
 * The test files of one mutation-testing module (scripts/mutation.mjs sets MUTATION_TESTS), so a
 * mutant runs only the tests meant for its module, never the browser or Electron suites.
 */
const files = (process.env['MUTATION_TESTS'] ?? '').split(',').filter((file) => file !== '')
/** Tests whose full name starts so are left out (see `skipTests` in scripts/mutation.mjs). */
const skip = process.env['MUTATION_SKIP_TESTS'] ?? ''
const escaped = skip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export default defineConfig({
  test: {
    include: files.length > 0 ? files : ['test/**/*.test.ts'],
    ...(skip ? { testNamePattern: new RegExp(`^(?!${escaped} )`) } : {}),
    environment: 'node',
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
