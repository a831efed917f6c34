#!/usr/bin/env node
// `npm run package:check`: what a user would install, checked offline (no Electron download).
//  1. Builds the app (electron-vite) into out/.
//  2. Lets electron-builder assemble a `--linux dir` package from electron-builder.yml with a
//     stub Electron distribution: a shell script that carries Electron's fuse sentinel and a
//     fuse wire with Electron's defaults, so electron-builder's real fuse step runs on it too.
//  3. Lists app.asar (@electron/asar) and asserts: main, preload, renderer, the audio worklet, the
//     built CLI, every production dependency, the platform's prebuilt native modules (koffi,
//     uiohook-napi, the keyring) unpacked next to the asar, every .node/.wasm unpacked; and no
//     sources, tests, source maps, TypeScript, tsx, esbuild or .env.
//  4. Reads the fuses back from the packaged binary.
//  5. Prints the size and fails above the budget.
// Ends with `package check: ok` or the list of failures (exit 1).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const asar = require('@electron/asar')
const { FuseV1Options, getCurrentFuseWire } = require('@electron/fuses')

const root = resolve(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
/** What the installed app may weigh (app.asar plus its unpacked files), in MB. Measured 2026-11-27 on linux-x64: 47.3 MB. */
const BUDGET_MB = 60
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/** A package's bin script, found through its package.json (their `exports` hide the file itself). */
const binOf = (name, bin) => join(require.resolve(`${name}/package.json`), '..', bin)

const failures = []
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures.push(what)
}

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`package check: "${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal})`)
    process.exit(1)
  }
}

/** An `electron` that is a tiny script, with Electron 45's fuse wire: version 1, 8 fuses, defaults. */
function stubElectronDist(dir) {
  mkdirSync(dir, { recursive: true })
  const defaults = [1, 0, 1, 1, 0, 0, 0, 1].map((on) => (on ? 0x31 : 0x30))
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stub Electron for npm run package:check"\nexit 0\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, defaults.length, ...defaults]),
  ])
  writeFileSync(join(dir, 'electron'), binary, { mode: 0o755 })
}

run(process.execPath, [binOf('electron-vite', 'bin/electron-vite.js'), 'build'])

const work = mkdtempSync(join(tmpdir(), 'package-check-'))
const stub = join(work, 'electron-stub')
const output = join(work, 'release')
stubElectronDist(stub)
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
run(process.execPath, [
  binOf('electron-builder', 'cli.js'),
  '--linux',
  'dir',
  '--publish',
  'never',
  `-c.electronDist=${stub}`,
  `-c.electronVersion=${electronVersion}`,
  `-c.directories.output=${output}`,
])

const resources = join(output, 'linux-unpacked', 'resources')
const archive = join(resources, 'app.asar')
const unpackedDir = `${archive}.unpacked`
const files = asar.listPackage(archive, { isPack: false }).map((path) => path.replaceAll('\\', '/'))
const has = (path) => files.includes(path)
const unpacked = (path) => existsSync(join(unpackedDir, path))
console.log(`\napp.asar lists ${files.length} entries`)

// What the app is made of.
for (const path of ['/package.json', '/out/main/index.js', '/out/main/cli.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
  check(has(path), `contains ${path}`)
}
check(files.some((path) => /^\/out\/renderer\/assets\/[^/]*worklet[^/]*\.js$/.test(path)), 'contains the audio worklet (out/renderer/assets/*worklet*.js)')
const packaged = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'))
check(packaged.main === 'out/main/index.js', `package.json main is out/main/index.js (${packaged.main})`)

// Production dependencies, and the native modules this platform needs, unpacked.
for (const name of Object.keys(pkg.dependencies)) check(has(`/node_modules/${name}/package.json`), `production dependency ${name}`)
const platform = `${process.platform}-${process.arch}`
const natives = {
  koffi: `node_modules/@koromix/koffi-${platform}/${process.platform}_${process.arch}/koffi.node`,
  'uiohook-napi': `node_modules/uiohook-napi/prebuilds/${platform}/uiohook-napi.node`,
}
for (const [name, path] of Object.entries(natives)) check(has(`/${path}`) && unpacked(path), `${name}'s prebuilt native module for ${platform}, unpacked (${path})`)
const binaries = files.filter((path) => /\.(node|wasm)$/.test(path))
const trayIcons = files.filter((path) => path.startsWith('/assets/tray/'))
const trayIconCount = readdirSync(join(root, 'assets', 'tray')).length
check(trayIcons.length === trayIconCount && trayIcons.every((path) => unpacked(path.slice(1))), `all ${trayIconCount} tray icons (PNG, and ICO for Windows) ship unpacked (${trayIcons.length} found)`)
const packedBinaries = binaries.filter((path) => !unpacked(path.slice(1)))
check(packedBinaries.length === 0, `all ${binaries.length} .node/.wasm files are unpacked${packedBinaries.length ? `: not ${packedBinaries.join(', ')}` : ''}`)
const foreignPrebuilds = files.filter((path) => /\/prebuilds\/[^/]+$/.test(path) && !path.endsWith(`/prebuilds/${platform}`))
check(foreignPrebuilds.length === 0, `no other platform's prebuilds${foreignPrebuilds.length ? `: ${foreignPrebuilds.join(', ')}` : ''}`)

// What must not ship.
const forbidden = [
  [/^\/(src-main|src-preload|src-renderer|src-shared|test|bench|scripts|security|\.ci|\.github)(\/|$)/, 'sources, tests, scripts'],
  // Of assets/, only the tray's icons ship (loaded by path at run time); the app icons go to the installers.
  [/^\/assets\/(?!tray(\/|$))/, 'icon sources'],
  [/\.map$/, 'source maps'],
  [/\.[mc]?ts$/, 'TypeScript (sources and .d.ts)'],
  [/\/node_modules\/(tsx|esbuild|@esbuild|electron|electron-builder|vite|vitest|typescript)(\/|$)/, 'dev tools (tsx, esbuild, electron, vite, …)'],
  [/(^|\/)\.env(\.|$)/, '.env files'],
]
for (const [pattern, what] of forbidden) {
  const found = files.filter((path) => pattern.test(path))
  check(found.length === 0, `no ${what}${found.length ? `: ${found.slice(0, 5).join(', ')}${found.length > 5 ? ` and ${found.length - 5} more` : ''}` : ''}`)
}

// The fuses electron-builder flipped on the (stub) binary.
const wire = await getCurrentFuseWire(join(output, 'linux-unpacked', pkg.name))
const expectFuse = (option, on, what) => check(wire[option] === (on ? 0x31 : 0x30), `fuse ${what} is ${on ? 'on' : 'off'}`)
expectFuse(FuseV1Options.RunAsNode, false, 'RunAsNode')
expectFuse(FuseV1Options.EnableNodeOptionsEnvironmentVariable, false, 'NODE_OPTIONS')
expectFuse(FuseV1Options.EnableNodeCliInspectArguments, false, '--inspect')
expectFuse(FuseV1Options.OnlyLoadAppFromAsar, true, 'only load the app from the asar')
expectFuse(FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true, 'asar integrity validation')

// Size.
const sizeOf = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout.split('\t').map(Number)[0]
}
const mb = (bytes) => (bytes / 1e6).toFixed(1)
const asarBytes = sizeOf(archive)
const unpackedBytes = existsSync(unpackedDir) ? sizeOf(unpackedDir) : 0
console.log(`\nsize: app.asar ${mb(asarBytes)} MB + unpacked ${mb(unpackedBytes)} MB = ${mb(asarBytes + unpackedBytes)} MB (budget ${BUDGET_MB} MB, Electron itself not counted)`)
check(asarBytes + unpackedBytes <= BUDGET_MB * 1e6, `app size within ${BUDGET_MB} MB`)

rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.error(`\npackage check: ${failures.length} failed:\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
console.log('\npackage check: ok')
