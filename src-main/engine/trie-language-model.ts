/**
 * sphinxbase's binary language model ("Trie Language Model", the format of the installed
 * `en-us.lm.bin`), read, cut down to a vocabulary and written again, in JS.
 *
 * Why: a decoder's start-up reads the whole general model (73 k words, 2.1 M bigrams, 1.7 M
 * trigrams), then builds a hash of its vocabulary twice over (in the model set that interpolates it
 * with the rule table's model, and in the search). Every one of those costs grows with the model's
 * vocabulary, not the decoder's, and sphinxbase cannot share a model between decoders (its trie keeps
 * a scoring cache). The decoder's dictionary has 10 000 words (recogniser-models.ts); an n-gram with
 * any other word in it is never scored, so the model cut down to the dictionary's words scores every
 * query the decoder makes exactly as the whole one does, and a decoder starts in less than half the
 * time. sphinxbase has no way to write such a model: its ARPA writer aborts on this file and it has no
 * n-gram iterator, hence this module.
 *
 * The layout (sphinxbase 5prealpha: ngram_model_trie.c, lm_trie.c, lm_trie_quant.c), little-endian:
 *   "Trie Language Model", order (u8), one n-gram count per order (u32),
 *   the quantiser's type (i32; 1 = 16-bit bins) and its tables (float32: per middle order 65 536
 *     probability and 65 536 back-off bin centres, then 65 536 for the highest order),
 *   unigrams (count + 1 of {float32 log probability, float32 back-off, u32 first child}),
 *   per middle order a bit-packed array, then the highest order's, each with one entry more than
 *     its count and 8 bytes of slack: entries are {word id, back-off bin (16 bits), probability bin
 *     (16 bits), first child} or, at the highest order, {word id, probability bin (16 bits)};
 *     fields are packed from the lowest bit up, with as many bits as the largest value needs,
 *   the vocabulary: its byte length (u32), then the words, each ended by a NUL; a word's id is its
 *     place in this list.
 * The trie runs backwards: an n-gram "a b c" is found from c's unigram, then b among c's children,
 * then a among b's. Children are sorted by word id (sphinxbase searches them by interpolation), so
 * ids are renumbered in their old order.
 */
import { Buffer } from 'node:buffer'

const HEADER = 'Trie Language Model'
const QUANT_16 = 1
const BIN_BITS = 16
const BINS = 1 << BIN_BITS
const SLACK_BYTES = 8
/** sphinxbase packs word ids and child pointers in at most 25 bits (bitarr_read_int25). */
const MAX_FIELD_BITS = 25

export interface Unigrams {
  /** Log probability and back-off in sphinxbase's log units (base 1.0001), by word id. */
  readonly prob: Float32Array
  readonly backoff: Float32Array
  /** Where each word's children start in the next order; one more than the word count. */
  readonly next: Uint32Array
}
export interface MiddleOrder {
  readonly word: Uint32Array
  readonly prob: Uint16Array
  readonly backoff: Uint16Array
  /** One more than the entry count: the last is where the next order's entries end. */
  readonly next: Uint32Array
}
export interface HighestOrder {
  readonly word: Uint32Array
  readonly prob: Uint16Array
}
export interface TrieLanguageModel {
  /** As sphinxbase keeps them, bytes without an encoding: each byte is one character (latin1), so
   * a model read and written again keeps every byte. */
  readonly words: readonly string[]
  /** The quantiser's bin centres, carried over byte for byte. */
  readonly quantTables: Uint8Array
  readonly unigrams: Unigrams
  readonly middles: readonly MiddleOrder[]
  readonly highest: HighestOrder
}

/** Bits for values up to `max` (sphinxbase's bitarr_required_bits). */
const bitsFor = (max: number) => 32 - Math.clz32(max)
const packedBytes = (entries: number, bitsPerEntry: number) => Math.floor(((entries + 1) * bitsPerEntry + 7) / 8) + SLACK_BYTES
const quantTableBytes = (order: number) => ((order - 2) * 2 + 1) * BINS * 4

/** Lets a long loop give the event loop a turn (it runs in the app's main process). */
export type Pause = () => Promise<void>
const PAUSE_EVERY = 100_000
const noPause: Pause = async () => undefined

function corrupt(what: string): Error {
  return new Error(`not a sphinxbase trie language model this reader understands: ${what}`)
}

class BitReader {
  constructor(
    private readonly view: DataView,
    private readonly start: number,
  ) {}
  read(bitOffset: number, width: number): number {
    const byte = this.start + Math.floor(bitOffset / 8)
    return (this.view.getUint32(byte, true) >>> bitOffset % 8) & ((1 << width) - 1)
  }
}

class BitWriter {
  constructor(private readonly bytes: Uint8Array) {}
  write(bitOffset: number, width: number, value: number): void {
    for (let done = 0; done < width; ) {
      const at = bitOffset + done
      const shift = at % 8
      const take = Math.min(8 - shift, width - done)
      this.bytes[Math.floor(at / 8)]! |= ((value >>> done) & ((1 << take) - 1)) << shift
      done += take
    }
  }
}

export async function parseTrieLanguageModel(bytes: Uint8Array, pause: Pause = noPause): Promise<TrieLanguageModel> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const need = (at: number, length: number, what: string) => {
    if (at + length > bytes.byteLength) throw corrupt(`it ends inside its ${what}`)
  }
  if (Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(HEADER.length, bytes.byteLength)).toString('latin1') !== HEADER) throw corrupt(`it does not start with "${HEADER}"`)
  need(0, HEADER.length + 1, 'header')
  let at = HEADER.length
  const order = bytes[at++]!
  if (order < 2) throw corrupt(`order ${order}`)
  need(at, order * 4 + 4, 'n-gram counts')
  const counts = Array.from({ length: order }, (_, i) => view.getUint32(at + i * 4, true))
  at += order * 4
  const quantType = view.getInt32(at, true)
  at += 4
  if (quantType !== QUANT_16) throw corrupt(`quantiser type ${quantType} (only 16-bit bins, type ${QUANT_16}, are read)`)
  need(at, quantTableBytes(order), 'quantiser tables')
  const quantTables = bytes.slice(at, at + quantTableBytes(order))
  at += quantTables.byteLength

  const vocabulary = counts[0]!
  need(at, (vocabulary + 1) * 12, 'unigrams')
  const unigrams: Unigrams = { prob: new Float32Array(vocabulary + 1), backoff: new Float32Array(vocabulary + 1), next: new Uint32Array(vocabulary + 1) }
  for (let i = 0; i <= vocabulary; i++, at += 12) {
    unigrams.prob[i] = view.getFloat32(at, true)
    unigrams.backoff[i] = view.getFloat32(at + 4, true)
    unigrams.next[i] = view.getUint32(at + 8, true)
  }

  const wordBits = bitsFor(vocabulary)
  if (counts.some((count) => bitsFor(count) > MAX_FIELD_BITS)) throw corrupt(`more than ${2 ** MAX_FIELD_BITS} entries of one order`)
  const middles: MiddleOrder[] = []
  for (let level = 1; level < order - 1; level++) {
    const count = counts[level]!
    const nextBits = bitsFor(counts[level + 1]!)
    const total = wordBits + 2 * BIN_BITS + nextBits
    need(at, packedBytes(count, total), `${level + 1}-grams`)
    const bits = new BitReader(view, at)
    const middle: MiddleOrder = { word: new Uint32Array(count), prob: new Uint16Array(count), backoff: new Uint16Array(count), next: new Uint32Array(count + 1) }
    for (let i = 0; i <= count; i++) {
      if (i % PAUSE_EVERY === PAUSE_EVERY - 1) await pause()
      const entry = i * total
      middle.next[i] = bits.read(entry + wordBits + 2 * BIN_BITS, nextBits)
      if (i === count) break
      middle.word[i] = bits.read(entry, wordBits)
      middle.backoff[i] = bits.read(entry + wordBits, BIN_BITS)
      middle.prob[i] = bits.read(entry + wordBits + BIN_BITS, BIN_BITS)
    }
    middles.push(middle)
    at += packedBytes(count, total)
  }
  const highestCount = counts[order - 1]!
  const highestTotal = wordBits + BIN_BITS
  need(at, packedBytes(highestCount, highestTotal), `${order}-grams`)
  const bits = new BitReader(view, at)
  const highest: HighestOrder = { word: new Uint32Array(highestCount), prob: new Uint16Array(highestCount) }
  for (let i = 0; i < highestCount; i++) {
    if (i % PAUSE_EVERY === PAUSE_EVERY - 1) await pause()
    highest.word[i] = bits.read(i * highestTotal, wordBits)
    highest.prob[i] = bits.read(i * highestTotal + wordBits, BIN_BITS)
  }
  at += packedBytes(highestCount, highestTotal)

  need(at, 4, 'vocabulary')
  const wordBytes = view.getUint32(at, true)
  at += 4
  need(at, wordBytes, 'vocabulary')
  const words = Buffer.from(bytes.buffer, bytes.byteOffset + at, wordBytes).toString('latin1').split('\0').slice(0, -1)
  if (words.length !== vocabulary) throw corrupt(`${words.length} words for ${vocabulary} unigrams`)
  if (at + wordBytes !== bytes.byteLength) throw corrupt(`${bytes.byteLength - at - wordBytes} bytes after the vocabulary`)
  return { words, quantTables, unigrams, middles, highest }
}

export async function encodeTrieLanguageModel(model: TrieLanguageModel, pause: Pause = noPause): Promise<Uint8Array> {
  const { words, middles, highest, unigrams } = model
  const order = middles.length + 2
  const counts = [words.length, ...middles.map((middle) => middle.word.length), highest.word.length]
  const wordBits = bitsFor(words.length)
  const middleTotals = middles.map((_, i) => wordBits + 2 * BIN_BITS + bitsFor(counts[i + 2]!))
  const highestTotal = wordBits + BIN_BITS
  const vocabulary = Buffer.from(words.map((word) => `${word}\0`).join(''), 'latin1')
  const size =
    HEADER.length + 1 + order * 4 + 4 + model.quantTables.byteLength + (words.length + 1) * 12 +
    middleTotals.reduce((sum, total, i) => sum + packedBytes(counts[i + 1]!, total), 0) +
    packedBytes(highest.word.length, highestTotal) + 4 + vocabulary.byteLength
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  bytes.set(Buffer.from(HEADER, 'latin1'))
  let at = HEADER.length
  bytes[at++] = order
  for (const count of counts) {
    view.setUint32(at, count, true)
    at += 4
  }
  view.setInt32(at, QUANT_16, true)
  at += 4
  bytes.set(model.quantTables, at)
  at += model.quantTables.byteLength
  for (let i = 0; i <= words.length; i++, at += 12) {
    view.setFloat32(at, unigrams.prob[i]!, true)
    view.setFloat32(at + 4, unigrams.backoff[i]!, true)
    view.setUint32(at + 8, unigrams.next[i]!, true)
  }
  for (const [i, middle] of middles.entries()) {
    const total = middleTotals[i]!
    const nextBits = bitsFor(counts[i + 2]!)
    const bits = new BitWriter(bytes.subarray(at))
    for (let entry = 0; entry <= middle.word.length; entry++) {
      if (entry % PAUSE_EVERY === PAUSE_EVERY - 1) await pause()
      const offset = entry * total
      bits.write(offset + wordBits + 2 * BIN_BITS, nextBits, middle.next[entry]!)
      if (entry === middle.word.length) break
      bits.write(offset, wordBits, middle.word[entry]!)
      bits.write(offset + wordBits, BIN_BITS, middle.backoff[entry]!)
      bits.write(offset + wordBits + BIN_BITS, BIN_BITS, middle.prob[entry]!)
    }
    at += packedBytes(middle.word.length, total)
  }
  const bits = new BitWriter(bytes.subarray(at))
  for (let entry = 0; entry < highest.word.length; entry++) {
    if (entry % PAUSE_EVERY === PAUSE_EVERY - 1) await pause()
    bits.write(entry * highestTotal, wordBits, highest.word[entry]!)
    bits.write(entry * highestTotal + wordBits, BIN_BITS, highest.prob[entry]!)
  }
  at += packedBytes(highest.word.length, highestTotal)
  view.setUint32(at, vocabulary.byteLength, true)
  bytes.set(vocabulary, at + 4)
  return bytes
}

/** Which entries of one order stay, and for each entry how many staying ones come before it. */
interface Selection {
  readonly stays: Uint8Array
  /** One more than the entry count: the last is how many stay. */
  readonly before: Uint32Array
}
function selection(stays: Uint8Array): Selection {
  const before = new Uint32Array(stays.length + 1)
  for (let i = 0; i < stays.length; i++) before[i + 1] = before[i]! + stays[i]!
  return { stays, before }
}
const countOf = ({ before }: Selection) => before[before.length - 1]!

/** The values of the entries that stay, in order, then `end` if given (the unigrams' end marker). */
function select<T extends Uint32Array | Uint16Array | Float32Array>(values: T, { stays, before }: Selection, end?: number): T {
  const out = new (values.constructor as new (length: number) => T)(before[stays.length]! + (end === undefined ? 0 : 1))
  let j = 0
  for (let i = 0; i < stays.length; i++) if (stays[i]) out[j++] = values[i]!
  if (end !== undefined) out[j] = end
  return out
}

/** A parent's first child moves to the number of staying children before it; so does the end marker. */
function children(next: Uint32Array, parents: Selection, children: Selection): Uint32Array {
  return select(next, parents, countOf(children)).map((child, i, all) => (i === all.length - 1 ? child : children.before[child]!))
}

/**
 * The model over the words `keep` accepts: every n-gram made only of them, with its probability and
 * back-off exactly as they were (the same bins, the same tables), and nothing else.
 */
export async function restrictTrieLanguageModel(
  model: TrieLanguageModel,
  keep: (word: string) => boolean,
  pause: Pause = noPause,
): Promise<TrieLanguageModel> {
  const words = selection(Uint8Array.from(model.words, (word) => (keep(word) ? 1 : 0)))
  // Which entries stay, order by order: those whose word is kept and whose parent stayed.
  const orders: Selection[] = []
  let parents = words
  let parentNext = model.unigrams.next
  for (const [level, entries] of [...model.middles, model.highest].map(({ word }) => word).entries()) {
    const stays = new Uint8Array(entries.length)
    for (let parent = 0; parent < parents.stays.length; parent++) {
      if (parent % PAUSE_EVERY === PAUSE_EVERY - 1) await pause()
      if (!parents.stays[parent]) continue
      for (let entry = parentNext[parent]!; entry < parentNext[parent + 1]!; entry++) stays[entry] = words.stays[entries[entry]!]!
    }
    await pause()
    parents = selection(stays)
    orders.push(parents)
    parentNext = model.middles[level]?.next ?? new Uint32Array(0)
  }

  // Each array is built in one go (a few milliseconds), with a pause between them.
  const built = async <T>(build: () => T): Promise<T> => {
    await pause()
    return build()
  }
  const wordIds = (old: Uint32Array, entries: Selection) => select(old, entries).map((word) => words.before[word]!)
  const vocabulary = model.words.length
  const unigrams: Unigrams = {
    prob: await built(() => select(model.unigrams.prob, words, model.unigrams.prob[vocabulary])),
    backoff: await built(() => select(model.unigrams.backoff, words, model.unigrams.backoff[vocabulary])),
    next: await built(() => children(model.unigrams.next, words, orders[0]!)),
  }
  const middles: MiddleOrder[] = []
  for (const [level, middle] of model.middles.entries()) {
    const entries = orders[level]!
    middles.push({
      word: await built(() => wordIds(middle.word, entries)),
      prob: await built(() => select(middle.prob, entries)),
      backoff: await built(() => select(middle.backoff, entries)),
      next: await built(() => children(middle.next, entries, orders[level + 1]!)),
    })
  }
  const last = orders[orders.length - 1]!
  const highest = { word: await built(() => wordIds(model.highest.word, last)), prob: await built(() => select(model.highest.prob, last)) }
  return { words: model.words.filter((_, id) => words.stays[id]), quantTables: model.quantTables, unigrams, middles, highest }
}
