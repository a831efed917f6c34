// @ts-check
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Electron may be imported only by its thin adapters; everything else must run under plain Node. */
const ELECTRON_ADAPTERS = ['src-main/electron/**', 'src-preload/**']
/** The only modules allowed to touch raw IPC: the bridge transports. */
const IPC_TRANSPORTS = ['src-main/electron/ipc-transport.ts', 'src-preload/index.ts']

const noElectron = {
  name: 'electron',
  message: 'Electron belongs in src-main/electron/ or src-preload/ adapters; keep this module testable under Node.',
}
const noRawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the bridge contract (src-shared/bridge/contract.ts); only the IPC transports touch ipcMain/ipcRenderer.',
}

/**
 * The floors of the house. Imports point down only:
 *   protocol ← session core ← app services ← hosts (Electron, harness, CLI);
 * the engine stands apart and shares only the protocol and the PCM audio helpers; the renderer and
 * the preload import only src-shared, and src-shared imports nothing of the processes.
 * Each floor is a named rule; its name leads the lint message so a refusal says which floor it hit.
 * A pattern matches a relative import that climbs into a forbidden sibling room of src-main
 * (or, for src-shared and the renderer, into another top-level folder).
 */
const HOSTS = ['electron', 'harness', 'cli']
const intoRooms = (...rooms) => `^(\\.\\./)+(src-main/)?(${rooms.join('|')})/`
const FLOORS = [
  {
    rule: 'floor/protocol',
    files: ['src-main/voicelive-protocol/**'],
    regex: intoRooms('voice-session', 'app-services', 'bridge', 'engine', 'renderer-hosting', ...HOSTS),
    message: 'the protocol is the ground floor: it imports only src-shared (and the PCM audio helpers), never the session core, app services, the engine or a host.',
  },
  {
    rule: 'floor/session-core',
    files: ['src-main/voice-session/**'],
    regex: intoRooms('app-services', 'bridge', 'engine', 'renderer-hosting', ...HOSTS),
    message: 'the session core stands on the protocol: it may import the protocol, logging, PCM audio and src-shared, never app services, the engine or a host.',
  },
  {
    rule: 'floor/app-services',
    files: ['src-main/app-services/**', 'src-main/bridge/**', 'src-main/auth/**', 'src-main/presets/**', 'src-main/push-to-talk/**'],
    regex: intoRooms(...HOSTS),
    message: 'app services (with the bridge router, sign-in, presets and push-to-talk) sit below the hosts: they never import Electron adapters, the harness or the CLI.',
  },
  {
    rule: 'floor/engine-apart',
    files: ['src-main/engine/**'],
    regex: '^\\.\\./(?!voicelive-protocol/|pcm-audio/)',
    message: 'the local engine stands apart: it shares only the protocol (src-main/voicelive-protocol/) and the PCM audio helpers (src-main/pcm-audio/).',
  },
  {
    rule: 'floor/pcm-audio',
    files: ['src-main/pcm-audio/**'],
    regex: '^\\.\\./',
    message: 'the PCM audio helpers are a leaf: the engine, the CLI and the recorder import them, they import no other room.',
  },
  {
    rule: 'floor/leaf-services',
    files: ['src-main/logging/**', 'src-main/renderer-hosting/**', 'src-main/app-data/**'],
    regex: intoRooms('voice-session', 'app-services', 'bridge', 'engine', 'auth', 'presets', ...HOSTS),
    message: 'logging, renderer hosting and the app data folder are leaves that every floor may use, so they import no floor above them.',
  },
  {
    rule: 'floor/shared',
    files: ['src-shared/**'],
    regex: '^(\\.\\./)+(src-main|src-renderer|src-preload|test|bench)/',
    message: 'src-shared is imported by every process and imports none of them.',
  },
  {
    rule: 'floor/renderer',
    files: ['src-renderer/**/*.{ts,tsx}', 'src-preload/**'],
    regex: '^(\\.\\./)+(src-main|src-preload|src-renderer|test|bench)/',
    message: 'the renderer and the preload import only src-shared; the renderer talks to main only through the bridge.',
  },
]
const floorPattern = (floor) => ({ regex: floor.regex, message: `${floor.rule}: ${floor.message}` })
/** One `no-restricted-imports` setting for a group of files: its Electron paths plus its floor, if any. */
const restrictImports = (paths, floor) => ['error', { paths, patterns: floor ? [floorPattern(floor)] : [] }]
const floorOf = (name) => FLOORS.find((floor) => floor.rule === name)

export default tseslint.config(
  { ignores: ['node_modules/', 'tmp/', 'out/', 'dist/', 'release/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ELECTRON_ADAPTERS,
    rules: { 'no-restricted-imports': ['error', { paths: [noRawIpc] }] },
  },
  {
    files: IPC_TRANSPORTS,
    rules: { 'no-restricted-imports': 'off' },
  },
  // The floors (the renderer's comes with its own block below). Each replaces the setting above
  // for its files, so it restates the Electron rule that applies there.
  ...FLOORS.filter((floor) => floor.rule !== 'floor/renderer').map((floor) => ({
    files: floor.files,
    rules: { 'no-restricted-imports': restrictImports([noElectron], floor) },
  })),
  {
    files: ['src-preload/**'],
    rules: { 'no-restricted-imports': restrictImports([noRawIpc], floorOf('floor/renderer')) },
  },
  {
    files: ['src-preload/index.ts'],
    rules: { 'no-restricted-imports': restrictImports([], floorOf('floor/renderer')) },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrictImports([noElectron], floorOf('floor/renderer')),
    },
  },
  {
    // Tests may use Electron's types to build fakes of its objects.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noRawIpc] }] },
  },
)
