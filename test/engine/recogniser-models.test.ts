import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { commonWordsDictionary, defaultCacheRoot, derivedModelFiles } from '../../src-main/engine/recogniser-models.js'
import { encodeTrieLanguageModel, parseTrieLanguageModel } from '../../src-main/engine/trie-language-model.js'

const DICTIONARY = ['the DH AH', 'the(2) DH IY', 'zebra Z IY B R AH', 'hello HH AH L OW', 'hello(2) HH EH L OW', 'aardvark AA R D V AA R K', ''].join('\n')
const SCORES = new Map([
  ['the', -10],
  ['hello', -20],
  ['zebra', -90],
  ['aardvark', -95],
])

describe('the common-words dictionary', () => {
  it('keeps every pronunciation of the words the language model scores highest, in the dictionary\'s order', () => {
    expect(commonWordsDictionary(DICTIONARY, SCORES, 2, new Set())).toBe('the DH AH\nthe(2) DH IY\nhello HH AH L OW\nhello(2) HH EH L OW\n')
  })

  it('also keeps the words it is told to, however rare, and never words the model does not know', () => {
    const scores = new Map([...SCORES].filter(([word]) => word !== 'zebra'))
    expect(commonWordsDictionary(DICTIONARY, scores, 1, new Set(['aardvark']))).toBe('the DH AH\nthe(2) DH IY\naardvark AA R D V AA R K\n')
    expect(commonWordsDictionary(DICTIONARY, scores, 10, new Set())).not.toContain('zebra')
  })

  it('says which word it cannot pronounce when a kept word is not in the dictionary', () => {
    expect(() => commonWordsDictionary(DICTIONARY, SCORES, 2, new Set(['hello', 'qwxz']))).toThrow(
      'the pronunciation dictionary has no entry for qwxz',
    )
  })
})

/** A general language model of unigrams only, in sphinxbase's trie format, scoring each word as given. */
async function unigramModel(scores: ReadonlyMap<string, number>): Promise<Uint8Array> {
  const words = [...scores.keys(), '</s>', '<s>']
  const count = words.length
  return encodeTrieLanguageModel({
    words,
    quantTables: new Uint8Array(65_536 * 4), // a bigram model's one table of probability bins
    unigrams: {
      prob: Float32Array.from([...words.map((word) => scores.get(word) ?? -99), 0]),
      backoff: new Float32Array(count + 1),
      next: new Uint32Array(count + 1),
    },
    middles: [],
    highest: { word: new Uint32Array(0), prob: new Uint16Array(0) },
  })
}

describe('the derived model files', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))
  // "there" is a likely word the test dictionary only gains later.
  const LANGUAGE_MODEL = unigramModel(new Map([...SCORES, ['there', -5]]))
  async function installed() {
    const dir = mkdtempSync(join(tmpdir(), 'derived-model-'))
    dirs.push(dir)
    const model = { dict: join(dir, 'cmudict.dict'), lm: join(dir, 'general.lm.bin') }
    writeFileSync(model.dict, DICTIONARY)
    writeFileSync(model.lm, await LANGUAGE_MODEL)
    return { dir, model }
  }

  it('are made once: a second session (or process) reuses them without reading the installed model again', async () => {
    const { dir, model } = await installed()
    const when = new Date('2026-01-01T00:00:00Z')
    utimesSync(model.lm, when, when)
    const first = await derivedModelFiles(model, ['hello the zebra'], dir)
    expect(readFileSync(first.dict, 'utf8')).toContain('hello(2) HH EH L OW')
    expect(readFileSync(first.dict, 'utf8')).toContain('zebra Z IY B R AH')
    expect(readFileSync(first.domainLm, 'utf8')).toMatch(/^-?[\d.]+ <s> hello$/m)
    // The general model keeps the dictionary's words and the sentence markers, not "there".
    const general = await parseTrieLanguageModel(readFileSync(first.generalLm))
    expect(general.words).toEqual(['the', 'hello', 'zebra', 'aardvark', '</s>', '<s>'])
    expect([...general.unigrams.prob]).toEqual([-10, -20, -90, -95, -99, -99, 0])
    // Junk of the same size and time in the installed model's place: a second derivation would fail.
    writeFileSync(model.lm, Buffer.alloc(statSync(model.lm).size))
    utimesSync(model.lm, when, when)
    const again = await derivedModelFiles(model, ['hello the zebra'], dir)
    expect(again).toEqual(first)
    // Written whole or not at all: nothing half-written is left beside them.
    expect(readdirSync(join(first.dict, '..')).sort()).toEqual(['common-words.dict', 'common-words.lm.bin', 'rules.arpa'])
  })

  it('are made again when the installed dictionary or the phrases change', async () => {
    const { dir, model } = await installed()
    const first = await derivedModelFiles(model, ['hello the'], dir)
    const otherPhrases = await derivedModelFiles(model, ['hello'], dir)
    expect(otherPhrases.domainLm).not.toBe(first.domainLm)
    writeFileSync(model.dict, `${DICTIONARY}there DH EH R\n`)
    utimesSync(model.dict, new Date(), new Date(Date.now() + 5_000))
    const newDictionary = await derivedModelFiles(model, ['hello the'], dir)
    expect(newDictionary.dict).not.toBe(first.dict)
    expect(readFileSync(newDictionary.dict, 'utf8')).toContain('there DH EH R')
    expect((await parseTrieLanguageModel(readFileSync(newDictionary.generalLm))).words).toContain('there')
  })

  it('fail with the word a phrase needs and the dictionary lacks, and leave no files behind', async () => {
    const { dir, model } = await installed()
    await expect(derivedModelFiles(model, ['hello there'], dir)).rejects.toThrow('the pronunciation dictionary has no entry for there')
    const made = readdirSync(dir).filter((name) => name.startsWith('pocketsphinx-'))
    expect(made.flatMap((name) => readdirSync(join(dir, name)))).toEqual([])
  })

  it('fail naming what is wrong when the installed language model is not one they can read, and leave no files behind', async () => {
    const { dir, model } = await installed()
    writeFileSync(model.lm, '\\data\\\nngram 1=5\n')
    await expect(derivedModelFiles(model, ['hello'], dir)).rejects.toThrow(
      'not a sphinxbase trie language model this reader understands: it does not start with "Trie Language Model"',
    )
    const made = readdirSync(dir).filter((name) => name.startsWith('pocketsphinx-'))
    expect(made.flatMap((name) => readdirSync(join(dir, name)))).toEqual([])
  })
})

describe('where the derived files are kept', () => {
  it('in the user\'s own cache folder, never the shared temp folder: $XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/home/ada/.cache-elsewhere' })).toBe('/home/ada/.cache-elsewhere/voicelive-desktop')
    // A relative XDG_CACHE_HOME is invalid by the XDG spec, and would land wherever the app was started.
    expect(defaultCacheRoot({ XDG_CACHE_HOME: 'cache' })).toBe(join(homedir(), '.cache', 'voicelive-desktop'))
    expect(defaultCacheRoot({})).toBe(join(homedir(), '.cache', 'voicelive-desktop'))
  })

  it('in a folder only its owner can enter', async () => {
    const root = mkdtempSync(join(tmpdir(), 'derived-model-root-'))
    try {
      const dictionary = join(root, 'cmudict.dict')
      const lm = join(root, 'general.lm.bin')
      writeFileSync(dictionary, DICTIONARY)
      writeFileSync(lm, await unigramModel(SCORES))
      const made = await derivedModelFiles({ dict: dictionary, lm }, ['hello'], join(root, 'cache'))
      expect(statSync(join(made.dict, '..')).mode & 0o777).toBe(0o700)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
