/**
 * Offline transcription with PocketSphinx (Debian's libpocketsphinx3 + pocketsphinx-en-us), called
 * in-process through koffi. Each session gets its own decoder: a decoder shared by two sessions
 * hits an assertion and aborts the whole process. Every decoder call that takes more than a few
 * microseconds runs on koffi's worker pool (`.async`), set-up, the lattice and freeing included
 * (on the event loop they held it ~40 ms per new session, the engine's and in the app the main
 * process's), and calls to one decoder are serialised.
 * Logging is switched off process-wide: with a per-decoder `-logfn`, each new decoder swapped
 * sphinxbase's global log FILE* under the others, and four sessions speaking at once crashed the
 * process (`free(): invalid pointer`). Set-up was then made serial too; without `-logfn` it runs
 * two decoders at a time (`creationSlots`), which 96 decoders created twelve at a time and 40
 * staggered sessions, each decoding speech, ran through without a fault. Freeing stays serial.
 *
 * koffi is required here, lazily, on Linux only, the first time a recogniser is asked for: a
 * module-top import ended up at the top of the Electron main bundle, and koffi throws ("Cannot
 * find the native Koffi module") wherever its platform package is missing (another architecture,
 * a universal macOS build, `npm ci --omit=optional`), so no window ever opened. Now that only means
 * "no recogniser", which the engine reports in its transcripts.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { LibraryHandle } from 'koffi'
import { concatPcm16 } from '../pcm-audio/pcm16-samples.js'
import { INTENT_PHRASES } from './responder.js'
import { allExist, defaultCacheRoot, derivedModelFiles, type DerivedModelFiles } from './recogniser-models.js'

/** Environment variable that points at another PocketSphinx model directory. */
export const MODEL_DIR_ENV = 'VOICELIVE_POCKETSPHINX_MODEL'
export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us'

/** What the recogniser heard, and how sure it is: the share (0–1) of its words whose posterior
 * probability in the decoder's word lattice is at least `SURE_WORD_POSTERIOR`. The whole
 * sentence's posterior is no use for this: it is split among paths that differ only in where a
 * silence goes, so clear speech scored 0.002–0.4, as low as noise. The mean word posterior
 * separated guesses from clear speech with the full dictionary, but not with the 10 000-word one
 * (recogniser-models.ts): babble got 0.39 and a right transcript 0.39. A guess is a sentence of
 * which many words are doubtful; over the 96 utterances of the word error rate benchmark, no right
 * transcript had more than 40 % of its words below 0.25, babble had 50 %, and 14 of 35 wrong
 * transcripts had 50 % or more. */
export interface Hypothesis {
  readonly text: string
  readonly confidence: number
}

export interface Transcriber {
  /** Begin an utterance; `feed` 16 kHz PCM16 into it; `finish` returns the hypothesis. */
  start(): void
  feed(samples16k: Int16Array): void
  finish(): Promise<Hypothesis>
  /** Abandon the current utterance, if any. */
  abort(): void
  close(): Promise<void>
}

export type RecognizerAvailability =
  | { readonly available: true; createTranscriber(): Promise<Transcriber> }
  | { readonly available: false; readonly reason: string }

type AsyncCallback = (error: unknown, result: unknown) => void
interface NativeFunction {
  (...args: unknown[]): unknown
  async(...args: [...unknown[], AsyncCallback]): void
}

interface PocketSphinxLibrary {
  readonly psArgs: NativeFunction
  readonly cmdLnParse: NativeFunction
  readonly cmdLnFree: NativeFunction
  readonly psInit: NativeFunction
  readonly psFree: NativeFunction
  readonly startUtt: NativeFunction
  readonly processRaw: NativeFunction
  readonly endUtt: NativeFunction
  readonly getHyp: NativeFunction
  readonly getLogmath: NativeFunction
  readonly logmathExp: NativeFunction
  readonly segIter: NativeFunction
  readonly segNext: NativeFunction
  readonly segWord: NativeFunction
  readonly segProb: NativeFunction
  readonly ngramRead: NativeFunction
  readonly ngramFree: NativeFunction
  readonly ngramSetInit: NativeFunction
  readonly setLm: NativeFunction
  readonly setSearch: NativeFunction
}

/** A FIFO of async work: each item starts when the previous one has settled. */
function serialQueue() {
  let chain: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T> | T): Promise<T> => {
    const next = chain.then(work)
    chain = next.catch(() => undefined)
    return next
  }
}

/** Decoder destruction, one at a time process-wide (see the header comment). */
const freeQueue = serialQueue()

/** Runs at most `limit` pieces of async work at once; the rest wait in order. */
function slots(limit: number) {
  let running = 0
  const waiting: (() => void)[] = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await work()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}
/**
 * Decoder creation (~0.1 s of CPU each with the cut-down general model, ~0.25 s with the whole one),
 * two at a time: sessions that connect together are ready sooner, while two of libuv's four pool
 * threads stay free for decoding and file I/O.
 */
const creationSlots = slots(2)
/**
 * End-of-utterance passes (~45 ms of CPU each), two at a time. Eight sessions that stop speaking
 * in the same instant otherwise held all four pool threads for 150–300 ms each, and every other
 * session's short calls (the transcript, the word posteriors, audio) waited behind them.
 */
const endPassSlots = slots(2)

/** How the native side is reached; tests swap in a platform or a koffi that is missing. */
export interface NativeAccess {
  readonly platform: NodeJS.Platform
  readonly loadLibrary: (path: string) => LibraryHandle
}

const requireKoffi = (path: string): LibraryHandle =>
  (createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle }).load(path)

const nativeAccess: NativeAccess = { platform: process.platform, loadLibrary: requireKoffi }

/** One load attempt per way of loading (in the app: one, ever). */
const libraries = new Map<NativeAccess['loadLibrary'], PocketSphinxLibrary | Error>()

function loadLibrary(native: NativeAccess): PocketSphinxLibrary | Error {
  const loaded = libraries.get(native.loadLibrary)
  if (loaded) return loaded
  let library: PocketSphinxLibrary | Error
  try {
    const sphinxbase = native.loadLibrary('libsphinxbase.so.3')
    const pocketsphinx = native.loadLibrary('libpocketsphinx.so.3')
    const fn = (lib: LibraryHandle, signature: string) => lib.func(signature) as unknown as NativeFunction
    library = {
      psArgs: fn(pocketsphinx, 'void *ps_args()'),
      cmdLnParse: fn(sphinxbase, 'void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)'),
      cmdLnFree: fn(sphinxbase, 'int cmd_ln_free_r(void *cmdln)'),
      psInit: fn(pocketsphinx, 'void *ps_init(void *config)'),
      psFree: fn(pocketsphinx, 'int ps_free(void *ps)'),
      startUtt: fn(pocketsphinx, 'int ps_start_utt(void *ps)'),
      processRaw: fn(pocketsphinx, 'int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)'),
      endUtt: fn(pocketsphinx, 'int ps_end_utt(void *ps)'),
      getHyp: fn(pocketsphinx, 'const char *ps_get_hyp(void *ps, _Out_ int32_t *score)'),
      getLogmath: fn(pocketsphinx, 'void *ps_get_logmath(void *ps)'),
      logmathExp: fn(sphinxbase, 'double logmath_exp(void *lmath, int32_t logb_p)'),
      segIter: fn(pocketsphinx, 'void *ps_seg_iter(void *ps)'),
      segNext: fn(pocketsphinx, 'void *ps_seg_next(void *seg)'),
      segWord: fn(pocketsphinx, 'const char *ps_seg_word(void *seg)'),
      segProb: fn(pocketsphinx, 'int32_t ps_seg_prob(void *seg, _Out_ int32_t *ascr, _Out_ int32_t *lscr, _Out_ int32_t *lback)'),
      ngramRead: fn(sphinxbase, 'void *ngram_model_read(void *config, const char *file, int type, void *lmath)'),
      ngramFree: fn(sphinxbase, 'int ngram_model_free(void *model)'),
      ngramSetInit: fn(
        sphinxbase,
        'void *ngram_model_set_init(void *config, void **models, const char **names, const float *weights, int32_t n_models)',
      ),
      setLm: fn(pocketsphinx, 'int ps_set_lm(void *ps, const char *name, void *lm)'),
      setSearch: fn(pocketsphinx, 'int ps_set_search(void *ps, const char *name)'),
    }
    // Silence sphinxbase's logging once, process-wide, instead of a per-decoder -logfn (which
    // swaps a global FILE* under any decoder that is logging at that moment).
    fn(sphinxbase, 'void *err_set_logfp(void *stream)')(null)
  } catch (error) {
    library = new Error(`libpocketsphinx could not be loaded (${(error as Error).message})`)
  }
  libraries.set(native.loadLibrary, library)
  return library
}

function callAsync(fn: NativeFunction, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (error: unknown, result: unknown) => (error ? reject(error as Error) : resolve(result)))
  })
}

/** sphinxbase's `ngram_file_type_t`: the general model is the binary trie cut down to the
 * dictionary's words (recogniser-models.ts), the domain model ARPA text. */
const NGRAM_BIN = 2
const NGRAM_ARPA = 1

/**
 * How much of the language model is the rule table's (domain-language-model.ts): over the word
 * error rate benchmark's four voices, 0.1 gave 27.2 %, 0.2 28.3 %, 0.3 28.8 %, 0.5 28.0 %, against
 * 34.1 % with the general model alone (transcriber alone, 16 kHz). Low, so it tips close calls
 * towards the rule table's phrases without pulling other sentences into them.
 */
const DOMAIN_WEIGHT = 0.1
const SEARCH_NAME = 'rules+general'

/** Whether a recogniser can run here, and if so a factory for per-session decoders. */
export function pocketSphinx(
  modelDir = process.env[MODEL_DIR_ENV] ?? DEFAULT_MODEL_DIR,
  native: NativeAccess = nativeAccess,
  /** Where the derived files are kept (recogniser-models.ts); tests give their own. */
  cacheRoot = defaultCacheRoot(),
): RecognizerAvailability {
  if (native.platform !== 'linux') return { available: false, reason: `PocketSphinx is only wired up on Linux, not ${native.platform}` }
  const files = { hmm: join(modelDir, 'en-us'), dict: join(modelDir, 'cmudict-en-us.dict'), lm: join(modelDir, 'en-us.lm.bin') }
  const missing = Object.values(files).find((path) => !existsSync(path))
  if (missing) return { available: false, reason: `PocketSphinx model file ${missing} is missing` }
  const lib = loadLibrary(native)
  if (lib instanceof Error) return { available: false, reason: lib.message }
  // Made on the first session, then shared by every decoder of this recogniser; made again if
  // they fail, or if the cache folder was cleaned under a long-running engine.
  let derived: Promise<DerivedModelFiles> | undefined
  const derive = async () => {
    derived ??= derivedModelFiles(files, INTENT_PHRASES, cacheRoot)
    const made = await derived.catch((error: unknown) => {
      derived = undefined
      throw error
    })
    if (await allExist(made.dict, made.generalLm, made.domainLm)) return made
    derived = undefined
    return derive()
  }
  const createTranscriber = async () => {
    const { dict, generalLm, domainLm } = await derive()
    // Default search limits: tighter ones (-maxhmmpf 3000 -maxwpf 5) saved ~20 % CPU but turned
    // "hello, what time is it" into "hello but time is it" in the whole-turn test. No -lm: the
    // search is set after start-up, with the general model interpolated with the domain's.
    return createDecoder(lib, ['-hmm', files.hmm, '-dict', dict], { general: generalLm, domain: domainLm })
  }
  return { available: true, createTranscriber }
}

/** `<s>`, `</s>`, `<sil>` and `[NOISE]`-style fillers are not words the user said. */
const isFiller = (word: string) => /^(<.*>|\[.*\])$/.test(word)

/** A word whose lattice posterior is below this is one the recogniser doubts (see `Hypothesis`). */
export const SURE_WORD_POSTERIOR = 0.25

/** The share of the hypothesis' words it is sure of (see `Hypothesis`); 0 when it has none. */
async function wordConfidence(lib: PocketSphinxLibrary, decoder: unknown): Promise<number> {
  const logmath = lib.getLogmath(decoder)
  let sure = 0
  let count = 0
  // ps_seg_next frees the iterator when it returns NULL, so only an early exit would need ps_seg_free.
  for (let segment = await callAsync(lib.segIter, decoder); segment; segment = lib.segNext(segment)) {
    if (isFiller(String(lib.segWord(segment)))) continue
    const posterior = Number(lib.logmathExp(logmath, lib.segProb(segment, [0], [0], [0])))
    if (posterior >= SURE_WORD_POSTERIOR) sure++
    count++
  }
  return count === 0 ? 0 : sure / count
}

/** The general language model interpolated with the domain's, as the decoder's search. Returns
 * the model set: the search holds a reference of its own (ngram_search_init wraps it in a set of
 * one, which retains it), and ours is released after the decoder is freed. */
async function useLanguageModels(lib: PocketSphinxLibrary, config: unknown, decoder: unknown, paths: { general: string; domain: string }) {
  const logmath = lib.getLogmath(decoder)
  const general = await callAsync(lib.ngramRead, config, paths.general, NGRAM_BIN, logmath)
  const domain = general ? await callAsync(lib.ngramRead, config, paths.domain, NGRAM_ARPA, logmath) : null
  if (!general || !domain) {
    if (general) lib.ngramFree(general)
    throw new Error('PocketSphinx could not read its language models')
  }
  const set = await callAsync(lib.ngramSetInit, config, [general, domain], ['general', 'rules'], [1 - DOMAIN_WEIGHT, DOMAIN_WEIGHT], 2)
  // The set holds its own references to both (ngram_model_set_init retains each model).
  lib.ngramFree(general)
  lib.ngramFree(domain)
  if (!set) throw new Error('PocketSphinx could not combine its language models')
  if ((await callAsync(lib.setLm, decoder, SEARCH_NAME, set)) !== 0 || lib.setSearch(decoder, SEARCH_NAME) !== 0) {
    lib.ngramFree(set)
    throw new Error('PocketSphinx could not use its language models')
  }
  return set
}

async function createDecoder(lib: PocketSphinxLibrary, argv: string[], languageModels: { general: string; domain: string }): Promise<Transcriber> {
  const { config, decoder, models } = await creationSlots(async () => {
    const parsed = lib.cmdLnParse(null, lib.psArgs(), argv.length, argv, 1)
    if (!parsed) throw new Error('PocketSphinx rejected its configuration')
    const created = await callAsync(lib.psInit, parsed)
    if (!created) {
      lib.cmdLnFree(parsed)
      throw new Error('PocketSphinx decoder failed to initialise')
    }
    try {
      return { config: parsed, decoder: created, models: await useLanguageModels(lib, parsed, created, languageModels) }
    } catch (error) {
      lib.psFree(created)
      lib.cmdLnFree(parsed)
      throw error
    }
  })
  const queue = serialQueue()
  let inUtterance = false
  let closed = false
  /** Set when the decoder is freed. Work queued after close() (a finish() racing a dropped
   * socket) must never reach it: that would be a use-after-free that kills the process. */
  let freed = false
  /** Audio in the queue's last job while that job has not started: more audio joins it, so a
   * decoder that fell behind catches up in one native call instead of one per 20 ms frame. */
  let openBatch: Int16Array[] | null = null
  const enqueue = <T>(work: () => Promise<T> | T): Promise<T> => {
    openBatch = null
    return queue(() => {
      if (freed) throw new Error('transcriber is closed')
      return work()
    })
  }
  // Fire-and-forget calls (start, feed) keep their first failure for `finish` to report.
  let failure: Error | null = null
  const background = (work: () => Promise<unknown> | unknown) => {
    enqueue(work).catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error))
    })
  }
  const endUtterance = async () => {
    if (!inUtterance) return
    inUtterance = false
    await endPassSlots(() => callAsync(lib.endUtt, decoder))
  }

  return {
    start() {
      if (closed) throw new Error('transcriber is closed')
      failure = null
      background(async () => {
        await endUtterance()
        await callAsync(lib.startUtt, decoder)
        inUtterance = true
      })
    },
    feed(samples) {
      if (closed || samples.length === 0) return
      if (openBatch) {
        openBatch.push(samples.slice())
        return
      }
      const batch = [samples.slice()]
      background(() => {
        if (openBatch === batch) openBatch = null
        if (!inUtterance) return
        const audio = batch.length === 1 ? batch[0]! : concatPcm16(batch)
        return callAsync(lib.processRaw, decoder, audio, audio.length, 0, 0)
      })
      openBatch = batch
    },
    async finish() {
      if (closed) throw new Error('transcriber is closed')
      // One job, so the next utterance's start and audio (queued meanwhile when speech comes in a
      // burst) cannot slip in between the end of this utterance and the reading of its result.
      return enqueue(async () => {
        await endUtterance()
        if (failure) throw failure
        const text = await callAsync(lib.getHyp, decoder, [0])
        return typeof text === 'string' && text.trim() ? { text: text.trim(), confidence: await wordConfidence(lib, decoder) } : { text: '', confidence: 0 }
      })
    },
    abort() {
      background(endUtterance)
    },
    async close() {
      if (closed) return
      closed = true
      await enqueue(endUtterance)
      await enqueue(() =>
        freeQueue(async () => {
          freed = true
          await callAsync(lib.psFree, decoder)
          lib.ngramFree(models)
          lib.cmdLnFree(config)
        }),
      )
    },
  }
}
