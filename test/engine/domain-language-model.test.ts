import { describe, expect, it } from 'vitest'
import { domainLanguageModelArpa } from '../../src-main/engine/domain-language-model.js'
import { INTENT_PHRASES, NOT_CAUGHT, replyFor } from '../../src-main/engine/responder.js'

/** The ARPA text read back: log10 probabilities and backoff weights, by n-gram. */
function parseArpa(text: string) {
  const unigrams = new Map<string, { logProbability: number; logBackoff: number }>()
  const bigrams = new Map<string, number>()
  const declared: Record<string, number> = {}
  let section = ''
  for (const line of text.split('\n')) {
    if (line.startsWith('\\')) section = line
    else if (section === '\\data\\' && line.startsWith('ngram ')) {
      const [order, count] = line.slice(6).split('=')
      declared[order!] = Number(count)
    } else if (section === '\\1-grams:' && line) {
      const [logProbability, word, logBackoff] = line.split(' ')
      unigrams.set(word!, { logProbability: Number(logProbability), logBackoff: Number(logBackoff ?? 0) })
    } else if (section === '\\2-grams:' && line) {
      const [logProbability, history, word] = line.split(' ')
      bigrams.set(`${history} ${word}`, Number(logProbability))
    }
  }
  return { unigrams, bigrams, declared, ended: text.trimEnd().endsWith('\\end\\') }
}

/** P(word | history) as a backoff bigram model reads it. */
function probability(model: ReturnType<typeof parseArpa>, history: string, word: string): number {
  const bigram = model.bigrams.get(`${history} ${word}`)
  if (bigram !== undefined) return 10 ** bigram
  return 10 ** (model.unigrams.get(history)!.logBackoff + model.unigrams.get(word)!.logProbability)
}

describe('the domain language model', () => {
  const arpa = domainLanguageModelArpa(['what time is it', 'hello there', 'hello'])
  const model = parseArpa(arpa)

  it('is a well-formed ARPA file: the counts it declares are the n-grams it holds', () => {
    expect(model.ended).toBe(true)
    expect(model.declared).toEqual({ '1': model.unigrams.size, '2': model.bigrams.size })
    expect([...model.unigrams.keys()].sort()).toEqual(['</s>', '<s>', 'hello', 'is', 'it', 'there', 'time', 'what'])
    expect([...model.bigrams.keys()]).toContain('<s> hello')
    expect([...model.bigrams.keys()]).toContain('hello there')
    // sphinxbase reads "-Infinity" or "NaN" as garbage, not as an impossible event.
    const numbers = [...model.unigrams.values()].flatMap((u) => [u.logProbability, u.logBackoff]).concat([...model.bigrams.values()])
    expect(numbers.filter((n) => !Number.isFinite(n))).toEqual([])
  })

  it('gives every history a distribution over the next word that sums to one', () => {
    const next = [...model.unigrams.keys()].filter((word) => word !== '<s>')
    for (const history of model.unigrams.keys()) {
      if (history === '</s>') continue
      const total = next.reduce((sum, word) => sum + probability(model, history, word), 0)
      expect(total, history).toBeCloseTo(1, 3)
    }
  })

  it('prefers how phrases start: "what" and "hello" begin a phrase more likely than "it" or "there" do', () => {
    for (const start of ['what', 'hello']) {
      for (const never of ['it', 'there']) expect(probability(model, '<s>', start)).toBeGreaterThan(probability(model, '<s>', never) * 2)
    }
  })

  it('refuses an empty phrase list, or a phrase with no words', () => {
    expect(() => domainLanguageModelArpa([])).toThrow('at least one sentence')
    expect(() => domainLanguageModelArpa(['hello', '  '])).toThrow('has no words')
  })
})

describe('the rule table\'s phrases', () => {
  it('each gets a rule\'s reply, not an echo (the language model is built from them)', () => {
    for (const phrase of INTENT_PHRASES) {
      const reply = replyFor({ heard: phrase, confidence: 1 })
      expect(reply, phrase).not.toMatch(/^You said:/)
      expect(reply, phrase).not.toBe(NOT_CAUGHT)
    }
  })
})
