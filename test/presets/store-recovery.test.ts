/**
 * A damaged presets.json: moved aside with a timestamp, reported, and every preset that can be
 * read is salvaged; the store keeps working.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { presetSchema } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { dataDir, minimalPreset, removeDataDirs, storeFile, storeJson } from './support/store-dir.js'

afterEach(removeDataDirs)

async function storeWithThree(): Promise<{ dir: string; text: string }> {
  const dir = dataDir()
  const store = await openPresetStore(dir)
  for (const name of ['Alpha', 'Beta', 'Gamma']) await store.create(presetSchema.parse(minimalPreset(name)))
  await store.select('Beta')
  return { dir, text: readFileSync(storeFile(dir), 'utf8') }
}

async function reopen(dir: string) {
  const problems: string[] = []
  const store = await openPresetStore(dir, { onProblem: (m) => problems.push(m) })
  return { store, problems }
}

const asideFiles = (dir: string) =>
  readdirSync(dir).filter((f) => /^presets\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/.test(f))

describe('a damaged presets.json', () => {
  it('cut short: moved aside, whole presets salvaged, the selection kept, reported', async () => {
    const { dir, text } = await storeWithThree()
    // Cut in the middle of the third preset.
    const cut = text.slice(0, text.indexOf('"Gamma"') + 3)
    writeFileSync(storeFile(dir), cut)
    const { store, problems } = await reopen(dir)

    expect(asideFiles(dir)).toHaveLength(1)
    const [aside] = asideFiles(dir)
    expect(readFileSync(join(dir, aside as string), 'utf8')).toBe(cut)
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(`^presets.json was damaged \\(.*\\); it was moved to .*${aside}\\. 2 preset\\(s\\) recovered\\.$`),
      ),
    ])
    expect(store.problems).toEqual(problems)
    expect(storeJson(dir).presets.map((p) => p.name)).toEqual(['Alpha', 'Beta'])
    expect(store.selection().preset.name).toBe('Beta')
    // And it works on.
    await store.create(presetSchema.parse(minimalPreset('Delta')))
    expect((await reopen(dir)).problems).toEqual([])
  })

  it('one invalid preset among valid ones: the others are kept, the bad one named', async () => {
    const { dir, text } = await storeWithThree()
    const document = JSON.parse(text) as { presets: { voice: { rate?: unknown } }[] }
    ;(document.presets[1] as { voice: { rate?: unknown } }).voice.rate = '9.5'
    writeFileSync(storeFile(dir), JSON.stringify(document))
    const { problems } = await reopen(dir)
    expect(problems).toEqual([
      expect.stringMatching(
        /2 preset\(s\) recovered; 1 could not be \(presets\[1\]\.voice\.rate: must be between 0\.5 and 1\.5\)\.$/,
      ),
    ])
    expect(storeJson(dir).presets.map((p) => p.name)).toEqual(['Alpha', 'Gamma'])
    expect(asideFiles(dir)).toHaveLength(1)
  })

  it('a damaged preset does not cost the settings kept in the same file', async () => {
    const { dir, text } = await storeWithThree()
    const settings = { connection: { profile: 'api-key', endpoint: 'https://mine.example' }, recordAudio: false }
    const document = JSON.parse(text) as { presets: { name: unknown }[] }
    ;(document.presets[0] as { name: unknown }).name = 42
    writeFileSync(storeFile(dir), JSON.stringify({ ...document, settings }))
    const { store, problems } = await reopen(dir)
    expect(problems).toEqual([expect.stringMatching(/2 preset\(s\) recovered; 1 could not be \(presets\[0\]\.name: /)])
    expect(store.settings()).toEqual(settings)
  })

  it('not JSON at all: an empty store, the original kept aside', async () => {
    const dir = dataDir()
    writeFileSync(storeFile(dir), '\u0000\u0000garbage')
    const { store, problems } = await reopen(dir)
    expect(problems[0]).toMatch(/0 preset\(s\) recovered/)
    expect(store.current().name).toBe('Casual chat')
    expect(readFileSync(join(dir, asideFiles(dir)[0] as string), 'utf8')).toBe('\u0000\u0000garbage')
  })
})
