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

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'coverage/'] },
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
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ group: ['**/src-main/**'], message: 'The renderer talks to main only through the bridge.' }],
        },
      ],
    },
  },
  {
    // Tests may use Electron's types to build fakes of its objects.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noRawIpc] }] },
  },
)
