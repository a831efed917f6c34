/**
 * The Node.js minimum is written once (package.json `engines`) and agreed on by the README, the
 * release workflow and scripts/check-node.mjs, which refuses `npm start`/`npm run dist` on an older
 * Node with a clear message and only warns for steps that work there (the tests, package:check).
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node
const [, major, minor] = /^>=(\d+)\.(\d+)$/.exec(engines) ?? []
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number)
const tooOld = nodeMajor < Number(major) || (nodeMajor === Number(major) && nodeMinor < Number(minor))

async function checkNode(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/check-node.mjs', ...args], { cwd: root })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('the Node.js version', () => {
  it('is >= 22.12 in package.json, the README and the release workflow', () => {
    expect(engines).toBe('>=22.12')
    expect(read('README.md')).toContain(`Node.js ${major}.${minor} or newer`)
    expect(read('.github/workflows/release.yml')).toMatch(new RegExp(`node-version: ${major}\\b`))
    expect(read('.github/workflows/release.yml')).toContain(`setup_${major}.x`)
  })

  it(`npm start refuses ${tooOld ? 'this' : 'an older'} Node with a message saying what to install`, async () => {
    const result = await checkNode('npm start')
    if (tooOld) {
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`Voice Live Desktop needs Node.js ${major}.${minor} or newer for npm start`)
      expect(result.stderr).toContain(`this is Node ${process.versions.node}`)
      expect(result.stderr).toMatch(/Install the current Node\.js LTS/)
    } else {
      expect(result).toMatchObject({ code: 0, stderr: '' })
    }
  })

  it('the package check only warns, so CI on Node 20 keeps running it', async () => {
    const result = await checkNode('the package check', '--warn-only')
    expect(result.code).toBe(0)
    if (tooOld) expect(result.stderr).toMatch(/^warning: .*\nInstall .*\nContinuing: the package check does not download or run Electron\.\n$/)
    else expect(result.stderr).toBe('')
  })
})
