/**
 * Import and export: all-or-nothing, every problem with its path, hostile files refused with a
 * clear message and the store file left byte for byte as it was.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { IMPORT_SIZE_LIMIT } from '../../src-main/presets/preset-transfer.js'
import { dataDir, minimalPreset, removeDataDirs, storeFile } from './support/store-dir.js'

afterEach(removeDataDirs)

async function refused(text: string): Promise<string[]> {
  const dir = dataDir()
  const store = await openPresetStore(dir)
  await store.importText(JSON.stringify(minimalPreset('Existing')))
  const before = readFileSync(storeFile(dir), 'utf8')
  const outcome = await store.importText(text)
  expect(readFileSync(storeFile(dir), 'utf8')).toBe(before)
  if (outcome.ok) throw new Error('the import was accepted')
  return outcome.problems
}

describe('importing presets', () => {
  it('a minimal hand-written file imports; defaults fill the rest; the name stays exactly as written', async () => {
    const store = await openPresetStore(dataDir())
    const outcome = await store.importText(JSON.stringify(minimalPreset('Tutor — Ελληνικά 日本語')))
    expect(outcome).toEqual({
      ok: true,
      imported: [expect.objectContaining({ name: 'Tutor — Ελληνικά 日本語', builtIn: false })],
    })
    expect(store.find('tutor — ελληνικά 日本語')).toMatchObject({
      version: 1,
      talkMode: 'hands-free',
      captureProcessing: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      inputSampleRate: 24_000,
      tools: [],
    })
  })

  it('name clashes become "Tutor (2)", also with a built-in; an export imports back', async () => {
    const store = await openPresetStore(dataDir())
    await store.importText(JSON.stringify(minimalPreset('Tutor')))
    const outcome = await store.importText(
      JSON.stringify({ presets: [minimalPreset('tutor'), minimalPreset('Tutor'), minimalPreset('Casual chat')] }),
    )
    expect(outcome.ok && outcome.imported.map((p) => p.name)).toEqual(['tutor (2)', 'Tutor (3)', 'Casual chat (2)'])
    const again = await store.importText(store.exportText())
    expect(again.ok && again.imported.map((p) => p.name)).toEqual([
      'Tutor (4)',
      'tutor (5)',
      'Tutor (6)',
      'Casual chat (3)',
    ])
  })

  it('lists every problem with its path, and imports none of the file', async () => {
    const good = minimalPreset('Fine')
    const bad = {
      ...minimalPreset('Broken'),
      voice: { type: 'azure-standard', name: 'en-US-AvaNeural', rate: '9.5' },
      turnDetection: { type: 'server_vad', interruptResponse: 'yes' },
      inputSampleRate: 44_100,
      colour: 'blue',
    }
    expect(await refused(JSON.stringify({ presets: [good, bad] }))).toEqual([
      'presets[1].voice.rate: must be between 0.5 and 1.5',
      'presets[1].turnDetection.interruptResponse: Invalid input: expected boolean, received string',
      'presets[1].inputSampleRate: Invalid input',
      'presets[1]: Unrecognized key: "colour"',
    ])
    expect(
      await refused(
        JSON.stringify({ ...minimalPreset('x'), voice: { type: 'azure-standard', name: 'v', rate: 'fast' } }),
      ),
    ).toEqual(['voice.rate: must be between 0.5 and 1.5'])
  })

  it('refuses malformed, wrong-shaped, huge and prototype-polluting files with a clear message', async () => {
    expect(await refused('{"name": "Tutor", ')).toEqual([expect.stringMatching(/^\(file\): not valid JSON \(/)])
    expect(await refused('"just a string"')).toEqual(['(file): must be a preset object or a list of presets'])
    expect(await refused('[]')).toEqual(['(file): holds no presets'])
    expect(await refused(JSON.stringify({ presets: 'all of them' }))).toEqual(['presets: must be a list of presets'])
    expect(await refused(JSON.stringify({ ...minimalPreset('x'), name: 12, instructions: null }))).toEqual([
      'name: Invalid input: expected string, received number',
      'instructions: Invalid input: expected string, received null',
    ])
    const huge = JSON.stringify({ ...minimalPreset('Big'), instructions: 'a'.repeat(IMPORT_SIZE_LIMIT) })
    expect(await refused(huge)).toEqual([expect.stringMatching(/^\(file\): \d+ bytes is over the 1048576-byte limit/)])
    expect(
      await refused(`{"__proto__": {"polluted": true}, "name": "P", "instructions": "i",
        "voice": {"type": "azure-standard", "name": "v"}, "turnDetection": {"type": "none"}}`),
    ).toEqual(['__proto__: the key "__proto__" is not allowed'])
    const nested = {
      ...minimalPreset('Tools'),
      tools: [{ type: 'function', name: 't', description: 'd', parameters: { constructor: { prototype: {} } } }],
    }
    expect(await refused(JSON.stringify(nested))).toEqual([
      'tools[0].parameters.constructor: the key "constructor" is not allowed',
    ])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    expect((await refused(deep))[0]).toMatch(/nested more than 32 levels deep/)
  })
})
