#!/usr/bin/env node
// Electron security scan gate. electronegativity always exits 0, so this script runs it on the
// app's sources, parses its SARIF report, and fails on any finding that is not listed, with a
// reason, in security/electronegativity-exceptions.json (and on listed entries that went stale).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { judgeFindings } from './security-exceptions.mjs'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'test-results', 'security-scan')
const input = join(work, 'input')
const report = join(work, 'electronegativity.sarif')
const SOURCES = ['src-main', 'src-preload', 'src-renderer', 'src-shared']

rmSync(work, { recursive: true, force: true })
mkdirSync(input, { recursive: true })
// One scan over a copy of all process sources: the tool takes a single input folder.
for (const source of SOURCES) cpSync(join(root, source), join(input, source), { recursive: true })

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const cli = join(dirname(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js')
execFileSync(process.execPath, [cli, '-i', input, '-e', electronVersion, '-r', '-o', report], {
  stdio: ['ignore', 'ignore', 'ignore'], // it prints network-timeout noise on this offline machine
  timeout: 120_000,
})

const sarif = JSON.parse(readFileSync(report, 'utf8'))
const findings = sarif.runs.flatMap((run) =>
  run.results.map((result) => {
    const location = result.locations?.[0]?.physicalLocation
    const uri = location?.artifactLocation?.uri ?? '(unknown)'
    const file = relative(input, resolve(input, uri.replace(/^file:\/\//, ''))).replace(/\\/g, '/')
    return { rule: result.ruleId, file, line: location?.region?.startLine ?? 0, text: result.message?.text ?? '' }
  }),
)
const { exceptions } = JSON.parse(readFileSync(join(root, 'security/electronegativity-exceptions.json'), 'utf8'))
const { unexplained, stale, lines, ok } = judgeFindings(findings, exceptions)
for (const line of lines) console.log(line)
console.log(`[security] electronegativity ${electronVersion}: ${findings.length} findings, ${findings.length - unexplained.length} explained, ${unexplained.length} unexplained, ${stale.length} stale exceptions`)
process.exit(ok ? 0 : 1)
