import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const fromRoot = (path: string): string => resolve(import.meta.dirname, path)

export default defineConfig({
  main: {
    build: {
      // The `voicelive` CLI is built with the app (out/main/cli.js, run by bin/voicelive.js), so the
      // package runs plain JavaScript and ships no TypeScript loader. Flite's worker thread is a
      // module of its own, started by path beside index.js.
      lib: {
        entry: {
          index: fromRoot('src-main/index.ts'),
          cli: fromRoot('src-main/cli/voicelive.ts'),
          'flite-worker': fromRoot('src-main/engine/flite-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // The renderer is sandboxed, so the preload must be one self-contained CommonJS file:
      // sandboxed preloads cannot require() chunks or node_modules.
      externalizeDeps: false,
      lib: { entry: fromRoot('src-preload/index.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: '[name].cjs', inlineDynamicImports: true } },
    },
  },
  renderer: {
    root: fromRoot('src-renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: fromRoot('src-renderer/index.html') },
    },
  },
})
