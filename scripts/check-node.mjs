#!/usr/bin/env node
// `node scripts/check-node.mjs <what> [--warn-only]`: compares this Node with package.json's
// `engines.node` (the one place the minimum is written) before a step that needs it.
// Electron 45's downloader and packaging tools (@electron/get, extract-zip, node-abi) declare
// Node >= 22.12: `npm start` and `npm run dist` refuse an older Node with a clear message instead
// of failing deep inside a download. Steps that work on older Node (tests, the offline package
// check, which CI runs on Node 20) only warn. The rest of the scripts do not call this at all.
import { readFileSync } from 'node:fs'

const [what = 'this step', mode] = process.argv.slice(2)
const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const minimum = /^>=\s*(\d+)\.(\d+)/.exec(engines.node)
if (!minimum) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR", not "${engines.node}"`)
const [major, minor] = process.versions.node.split('.').map(Number)
const [needMajor, needMinor] = [Number(minimum[1]), Number(minimum[2])]

if (major < needMajor || (major === needMajor && minor < needMinor)) {
  const message =
    `Voice Live Desktop needs Node.js ${needMajor}.${needMinor} or newer for ${what} ` +
    `(Electron and its download and packaging tools require it); this is Node ${process.versions.node}.\n` +
    `Install the current Node.js LTS (https://nodejs.org, or \`nvm install --lts\`) and run it again.`
  if (mode === '--warn-only') {
    console.warn(`warning: ${message}\nContinuing: ${what} does not download or run Electron.`)
  } else {
    console.error(message)
    process.exit(1)
  }
}
