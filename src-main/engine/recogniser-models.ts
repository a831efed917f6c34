/**
 * The files a PocketSphinx decoder is built from, beside the installed acoustic model: derived
 * from the installed dictionary and language model once, then cached in the user's own cache
 * folder (`$XDG_CACHE_HOME` or `~/.cache`, then `voicelive-desktop/`), named by a hash of
 * everything they are derived from (so a changed model or phrase list makes new ones). Not in the
 * shared /tmp: another local user could plant a folder there with files or links of their own.
 *
 * - A dictionary of the general language model's most likely words. The installed one has 134 k
 *   entries; every one is a branch of the search tree the decoder walks for each 10 ms frame.
 *   With the 10 000 most likely words (the word error rate benchmark's sentences use nothing
 *   rarer) decoding costs about a third less CPU and the word error rate is unchanged.
 * - The general language model cut down to that dictionary's words (trie-language-model.ts): it
 *   scores everything the decoder asks exactly as the installed one does, and a decoder starts in
 *   less than half the time.
 * - The domain language model (domain-language-model.ts) over the rule table's phrases.
 */
import { createHash } from 'node:crypto'
import { access, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { domainLanguageModelArpa } from './domain-language-model.js'
import { encodeTrieLanguageModel, parseTrieLanguageModel, restrictTrieLanguageModel, type Pause } from './trie-language-model.js'

export const VOCABULARY_SIZE = 10_000

/** `$XDG_CACHE_HOME/voicelive-desktop`, or `~/.cache/voicelive-desktop` (the recogniser is Linux-only). */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME']
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'voicelive-desktop')
}

export interface InstalledModel {
  readonly dict: string
  readonly lm: string
}

export interface DerivedModelFiles {
  readonly dict: string
  readonly generalLm: string
  readonly domainLm: string
}

const dictionaryLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '')

/** A dictionary line's word: `word(2)` is the second pronunciation of `word`. */
function entryWord(line: string): string {
  const space = line.search(/\s/)
  const head = space < 0 ? line : line.slice(0, space)
  return head.endsWith(')') ? head.replace(/\(\d+\)$/, '') : head
}

/** Every word the dictionary can pronounce, once each, in its order. */
export const dictionaryWords = (text: string): string[] => [...new Set(dictionaryLines(text).map(entryWord))]

/**
 * The dictionary's entries (every pronunciation) for its `size` words the language model scores
 * highest, and for every word in `keep`. Ties keep the dictionary's order.
 */
export function commonWordsDictionary(
  dictionaryText: string,
  scores: ReadonlyMap<string, number>,
  size: number,
  keep: ReadonlySet<string>,
): string {
  const lines = dictionaryLines(dictionaryText)
  const lineWords = lines.map(entryWord)
  const known = new Set(lineWords)
  const missing = [...keep].filter((word) => !known.has(word))
  if (missing.length > 0) throw new Error(`the pronunciation dictionary has no entry for ${missing.join(', ')}`)
  // Sorted as pairs: looking both scores up in the map on every comparison took ~0.7 s of main's time.
  const ranked = [...known].flatMap((word) => (scores.has(word) ? [{ word, score: scores.get(word)! }] : [])).sort((a, b) => b.score - a.score)
  const chosen = new Set([...ranked.slice(0, size).map(({ word }) => word), ...keep])
  return `${lines.filter((_, i) => chosen.has(lineWords[i]!)).join('\n')}\n`
}

// All file access here is asynchronous: the engine runs in the app's main process, and the first
// session of a machine makes these files while audio is flowing.

/** Written under another name first, so a reader never sees half a file. */
async function writeWhole(path: string, content: string | Uint8Array): Promise<void> {
  const partial = `${path}.${process.pid}.partial`
  await writeFile(partial, content)
  await rename(partial, path)
}

const fingerprint = async (path: string) => {
  const { size, mtimeMs } = await stat(path)
  return { path, size, mtimeMs }
}

/** Whether every one of `paths` exists. */
export const allExist = async (...paths: string[]): Promise<boolean> =>
  (await Promise.all(paths.map((path) => access(path).then(() => true, () => false)))).every(Boolean)

const pause: Pause = () => new Promise((resolve) => setImmediate(resolve))

/** The installed language model's sentence markers (`<s>`, `</s>`) stay with the dictionary's words. */
const isMarker = (word: string) => word.startsWith('<')

export async function derivedModelFiles(installed: InstalledModel, domainPhrases: readonly string[], cacheRoot = defaultCacheRoot()): Promise<DerivedModelFiles> {
  const arpa = domainLanguageModelArpa(domainPhrases)
  const key = createHash('sha256')
    .update(JSON.stringify({ dict: await fingerprint(installed.dict), lm: await fingerprint(installed.lm), size: VOCABULARY_SIZE, arpa }))
    .digest('hex')
    .slice(0, 16)
  const dir = join(cacheRoot, `pocketsphinx-${key}`)
  const files = { dict: join(dir, 'common-words.dict'), generalLm: join(dir, 'common-words.lm.bin'), domainLm: join(dir, 'rules.arpa') }
  if (await allExist(files.dict, files.generalLm, files.domainLm)) return files

  await mkdir(dir, { recursive: true, mode: 0o700 })
  const dictionaryText = await readFile(installed.dict, 'utf8')
  const general = await parseTrieLanguageModel(await readFile(installed.lm), pause)
  // Whole log units, as sphinxbase scores a word on its own (`ngram_ng_score` truncates).
  const scores = new Map(general.words.map((word, id) => [word, Math.trunc(general.unigrams.prob[id]!)]))
  const domainWords = new Set(domainPhrases.flatMap((phrase) => phrase.toLowerCase().split(/\s+/).filter(Boolean)))
  const dictionary = commonWordsDictionary(dictionaryText, scores, VOCABULARY_SIZE, domainWords)
  const kept = new Set(dictionaryWords(dictionary))
  const cut = await restrictTrieLanguageModel(general, (word) => kept.has(word) || isMarker(word), pause)
  await writeWhole(files.generalLm, await encodeTrieLanguageModel(cut, pause))
  await writeWhole(files.domainLm, arpa)
  await writeWhole(files.dict, dictionary)
  return files
}
