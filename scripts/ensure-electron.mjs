#!/usr/bin/env node
// Runs before `npm start`/`npm run preview`. Since Electron 42 the npm package no longer downloads
// its binary at install time, and electron-vite only looks for an already-downloaded one, so a
// fresh `npm install && npm start` would fail with "Electron uninstall". Fetch it here, once.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
const pathFile = join(electronDir, 'path.txt')
const installed = existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')))

if (!installed) {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
  console.log(`Downloading Electron ${version} for this machine (first start only)…`)
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(
      `\nCould not download Electron's binary (see the error above), so the desktop window cannot open.\n` +
        `Everything else works without it: \`npm run harness\` serves the app to your browser, and\n` +
        `\`npm run --silent voicelive -- chat|serve\` runs the command line.`,
    )
    process.exit(1)
  }
}
