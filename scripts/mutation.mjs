// `npm run mutation [module…]`: StrykerJS over the modules where a wrong value reaches the user or
// the wire, one module at a time, each mutant checked by the TypeScript checker and run against its
// module's own tests (never the browser or Electron suites). Slow, so not part of `npm test` or CI.
// HTML reports: test-results/mutation/<module>/index.html. Prints a score table at the end.
import { Stryker } from '@stryker-mutator/core'

/** mutate: the files whose mutants count; tests: the test files that may kill them; skipTests:
 * the start of the full names of tests in those files that cannot run in Stryker's sandbox. */
const MODULES = {
  // The session core's logic: responses, barge-in and truncation, and the transcript they show.
  // Only the socket-free test: with the socket tests every mutant took ~13 s on the shared
  // machine. Its score is therefore a lower bound (the socket tests may kill more).
  session: {
    mutate: ['src-main/voice-session/response-lifecycle.ts', 'src-main/voice-session/transcript.ts'],
    tests: ['test/voice-session/response-lifecycle.test.ts', 'test/voice-session/transcript.test.ts'],
  },
  // The session's socket side: every mutant runs socket tests, so this one takes the longest.
  'session-connection': {
    mutate: [
      'src-main/voice-session/voice-session.ts',
      'src-main/voice-session/live-connection.ts',
      'src-main/voice-session/open-socket.ts',
      'src-main/voice-session/response-track.ts',
      'src-main/voice-session/tool-calls.ts',
    ],
    tests: ['test/voice-session/*.test.ts'],
  },
  // What the user is told about a failed connection, and the URL that goes on the wire.
  protocol: {
    mutate: ['src-main/voicelive-protocol/session-errors.ts', 'src-main/voicelive-protocol/connection-url.ts'],
    tests: ['test/voicelive-protocol/*.test.ts'],
  },
  // The event schemas: mostly string literals, hundreds of mutants; run on its own.
  'protocol-events': {
    mutate: [
      'src-main/voicelive-protocol/*.ts',
      '!src-main/voicelive-protocol/index.ts',
      '!src-main/voicelive-protocol/session-errors.ts',
      '!src-main/voicelive-protocol/connection-url.ts',
    ],
    tests: ['test/voicelive-protocol/*.test.ts'],
  },
  // WAV, PCM16 and the linear resampler (the Speex resampler is a thin WASM wrapper).
  'audio-helpers': {
    mutate: [
      'src-main/pcm-audio/wav.ts',
      'src-main/pcm-audio/pcm16-samples.ts',
      'src-main/pcm-audio/linear-resampler.ts',
    ],
    tests: ['test/pcm-audio/*.test.ts'],
  },
  logging: {
    mutate: ['src-main/logging/*.ts'],
    tests: ['test/logging/*.test.ts'],
  },
  // The exit-code table and the command dispatch: what a script calling voicelive branches on.
  // The "entry points" tests spawn bin/voicelive.js, which runs the build in out/: never the
  // mutated source, and out/ is not copied into Stryker's sandbox (there they fail, not kill).
  cli: {
    mutate: ['src-main/cli/chat-command.ts:20-34', 'src-main/cli/voicelive.ts:31-53'],
    tests: ['test/cli/chat.test.ts'],
    skipTests: 'entry points',
  },
  // `voicelive chat` argument parsing: each mutant runs the CLI's scripted-server tests.
  'cli-args': {
    mutate: ['src-main/cli/chat-args.ts'],
    tests: ['test/cli/chat.test.ts'],
    skipTests: 'entry points',
  },
  engine: {
    mutate: ['src-main/engine/turn-detector.ts', 'src-main/engine/input-audio.ts'],
    tests: ['test/engine/turn-detector.test.ts', 'test/engine/turn.test.ts'],
  },
  'capture-playback': {
    mutate: [
      'src-renderer/src/audio/capture-core.ts',
      'src-renderer/src/audio/playback-core.ts',
      'src-renderer/src/audio/polyphase-resampler.ts',
      'src-renderer/src/audio/pcm16.ts',
    ],
    tests: [
      'test/audio/capture-core.test.ts',
      'test/audio/playback-core.test.ts',
      'test/audio/polyphase-resampler.test.ts',
    ],
  },
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in MODULES))
if (unknown.length > 0) {
  console.error(`mutation: unknown module ${unknown.join(', ')}; modules: ${Object.keys(MODULES).join(', ')}`)
  process.exit(2)
}

const rows = []
for (const name of wanted.length > 0 ? wanted : Object.keys(MODULES)) {
  const module = MODULES[name]
  // Read by vitest.mutation.config.ts in Stryker's test-runner processes, which inherit it.
  process.env.MUTATION_TESTS = module.tests.join(',')
  process.env.MUTATION_SKIP_TESTS = module.skipTests ?? ''
  const results = await new Stryker({
    mutate: module.mutate,
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutation.config.ts', related: false },
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.mutation.json',
    coverageAnalysis: 'perTest',
    // Two cores shared with other work: one test runner, one checker.
    concurrency: 1,
    timeoutMS: 20_000,
    reporters: ['html', 'json', 'clear-text', 'progress'],
    htmlReporter: { fileName: `test-results/mutation/${name}/index.html` },
    jsonReporter: { fileName: `test-results/mutation/${name}/mutation.json` },
    tempDirName: 'test-results/.stryker-tmp',
    ignorePatterns: ['out', 'dist', 'release', 'test-results', 'coverage'],
    cleanTempDir: true,
  }).runMutationTest()
  const count = (status) => results.filter((result) => result.status === status).length
  const detected = count('Killed') + count('Timeout')
  const undetected = count('Survived') + count('NoCoverage')
  rows.push({
    module: name,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    // Mutants that do not compile are no test's business: left out of the score, as Stryker does.
    compileErrors: count('CompileError'),
    score: detected + undetected === 0 ? 'n/a' : `${((100 * detected) / (detected + undetected)).toFixed(1)} %`,
  })
}
console.table(rows)
