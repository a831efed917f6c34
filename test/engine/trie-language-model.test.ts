/**
 * The trie language model reader and writer, judged by sphinxbase itself: the installed general
 * model read and written again must be the same file, byte for byte, and the model cut down to a
 * vocabulary must score every n-gram of the kept words exactly as the whole model does, as
 * libsphinxbase computes it. Needs Debian's libpocketsphinx3 and pocketsphinx-en-us (the test
 * preflight checks for them).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_MODEL_DIR } from '../../src-main/engine/pocketsphinx.js'
import {
  encodeTrieLanguageModel,
  parseTrieLanguageModel,
  restrictTrieLanguageModel,
  type TrieLanguageModel,
} from '../../src-main/engine/trie-language-model.js'

const INSTALLED = join(DEFAULT_MODEL_DIR, 'en-us.lm.bin')

interface Sphinxbase {
  read(path: string): unknown
  score(model: unknown, words: readonly string[]): number
  knows(model: unknown, word: string): boolean
}

/** sphinxbase's own reader and scorer, through koffi. */
function sphinxbase(): Sphinxbase {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): { func(signature: string): (...args: unknown[]) => unknown } }
  const lib = koffi.load('libsphinxbase.so.3')
  lib.func('void *err_set_logfp(void *stream)')(null)
  const logmath = lib.func('void *logmath_init(double base, int shift, int use_table)')(1.0001, 0, 0)
  const read = lib.func('void *ngram_model_read(void *config, const char *file, int type, void *lmath)')
  const wid = lib.func('int32_t ngram_wid(void *model, const char *word)')
  const unknown = lib.func('int32_t ngram_unknown_wid(void *model)')
  const score = lib.func('int32_t ngram_ng_score(void *model, int32_t wid, int32_t *history, int32_t n_hist, _Out_ int32_t *n_used)')
  return {
    read: (path) => read(null, path, 0, logmath),
    knows: (model, word) => wid(model, word) !== unknown(model),
    // ngram_ng_score takes the history most recent first.
    score: (model, words) => {
      const ids = words.map((word) => wid(model, word) as number)
      const history = ids.slice(0, -1).reverse()
      return score(model, ids.at(-1), history, history.length, [0]) as number
    },
  }
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let state = seed
  return () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32)
}

describe('the trie language model format', () => {
  let whole: TrieLanguageModel
  let bytes: Buffer
  beforeAll(async () => {
    bytes = readFileSync(INSTALLED)
    whole = await parseTrieLanguageModel(bytes)
  })

  it('reads the installed general model and writes it back byte for byte', async () => {
    expect(whole.words).toHaveLength(72_547)
    expect(whole.middles[0]!.word).toHaveLength(2_051_547)
    expect(whole.highest.word).toHaveLength(1_669_625)
    expect(Buffer.compare(Buffer.from(await encodeTrieLanguageModel(whole)), bytes)).toBe(0)
  })

  describe('cut down to a vocabulary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trie-lm-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    // The 3 000 most likely words, the sentence markers, and a rare word.
    let kept: Set<string>
    let cut: TrieLanguageModel
    const lib = sphinxbase()
    let wholeModel: unknown
    let cutModel: unknown
    beforeAll(async () => {
      const byLikelihood = whole.words.map((word, id) => ({ word, prob: whole.unigrams.prob[id]! })).sort((a, b) => b.prob - a.prob)
      kept = new Set([...byLikelihood.slice(0, 3_000).map(({ word }) => word), '<s>', '</s>', 'aardvark'])
      cut = await restrictTrieLanguageModel(whole, (word) => kept.has(word))
      writeFileSync(join(dir, 'cut.lm.bin'), await encodeTrieLanguageModel(cut))
      wholeModel = lib.read(INSTALLED)
      cutModel = lib.read(join(dir, 'cut.lm.bin'))
    })

    it('keeps exactly the kept words, and every n-gram of them', () => {
      expect(cutModel).toBeTruthy()
      expect(cut.words).toEqual(whole.words.filter((word) => kept.has(word)))
      expect(lib.knows(cutModel, 'aardvark')).toBe(true)
      expect(lib.knows(cutModel, 'zwick')).toBe(false)
      expect(lib.knows(wholeModel, 'zwick')).toBe(true)
      // The n-grams among kept words in the whole model, counted from its trie.
      const isKept = whole.words.map((word) => kept.has(word))
      let bigrams = 0
      for (let word = 0; word < whole.words.length; word++) {
        if (!isKept[word]) continue
        for (let at = whole.unigrams.next[word]!; at < whole.unigrams.next[word + 1]!; at++) if (isKept[whole.middles[0]!.word[at]!]) bigrams++
      }
      expect(cut.middles[0]!.word.length).toBe(bigrams)
      expect(bigrams).toBeGreaterThan(100_000)
    })

    it('scores every n-gram of the kept words as the whole model does, found or backed off (sphinxbase scoring both)', () => {
      const words = [...kept]
      const next = random(7)
      const pick = () => words[Math.floor(next() * words.length)]!
      const queries: string[][] = []
      // Random triples (almost all back off to bigrams or unigrams)...
      for (let i = 0; i < 3_000; i++) queries.push([pick(), pick(), pick()], [pick(), pick()], [pick()])
      // ...and trigrams the model has, found by walking its trie backwards from random words.
      const trie = whole
      for (let found = 0, tries = 0; found < 3_000 && tries < 200_000; tries++) {
        const last = Math.floor(next() * trie.words.length)
        const { next: first } = trie.unigrams
        if (!kept.has(trie.words[last]!) || first[last] === first[last + 1]) continue
        const b = first[last]! + Math.floor(next() * (first[last + 1]! - first[last]!))
        const middle = trie.middles[0]!
        if (!kept.has(trie.words[middle.word[b]!]!) || middle.next[b] === middle.next[b + 1]) continue
        const c = middle.next[b]! + Math.floor(next() * (middle.next[b + 1]! - middle.next[b]!))
        if (!kept.has(trie.words[trie.highest.word[c]!]!)) continue
        queries.push([trie.words[trie.highest.word[c]!]!, trie.words[middle.word[b]!]!, trie.words[last]!])
        found++
      }
      expect(queries.length).toBeGreaterThan(11_000)
      const differing = queries.filter((query) => lib.score(cutModel, query) !== lib.score(wholeModel, query))
      expect(differing).toEqual([])
    })
  })

  it('keeps a word\'s bytes as they are, whatever their encoding', async () => {
    const words = ['caf\u00e9', 'na\u00efve', '</s>', '<s>'] // one byte each for é and ï, as in a Latin-1 model
    const model: TrieLanguageModel = {
      words,
      quantTables: new Uint8Array(65_536 * 4),
      unigrams: { prob: new Float32Array(5), backoff: new Float32Array(5), next: new Uint32Array(5) },
      middles: [],
      highest: { word: new Uint32Array(0), prob: new Uint16Array(0) },
    }
    const encoded = Buffer.from(await encodeTrieLanguageModel(model))
    expect(encoded.subarray(-20)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0, 0x6e, 0x61, 0xef, 0x76, 0x65, 0, ...Buffer.from('</s>\0<s>\0')]))
    expect((await parseTrieLanguageModel(encoded)).words).toEqual(words)
  })

  it('refuses what it cannot read, saying what is wrong', async () => {
    await expect(parseTrieLanguageModel(new TextEncoder().encode('\\data\\\nngram 1=2\n'))).rejects.toThrow(
      'not a sphinxbase trie language model this reader understands: it does not start with "Trie Language Model"',
    )
    await expect(parseTrieLanguageModel(bytes.subarray(0, 5_000_000))).rejects.toThrow('it ends inside its 2-grams')
    const otherQuantiser = Buffer.from(bytes.subarray(0, 100))
    otherQuantiser.writeInt32LE(0, 32)
    await expect(parseTrieLanguageModel(otherQuantiser)).rejects.toThrow('quantiser type 0 (only 16-bit bins, type 1, are read)')
    await expect(parseTrieLanguageModel(Buffer.concat([bytes, Buffer.from([0])]))).rejects.toThrow('1 bytes after the vocabulary')
  })
})
