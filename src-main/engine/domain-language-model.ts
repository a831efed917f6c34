/**
 * A small bigram language model, in ARPA text, over the sentences the engine's rule table answers.
 * The recogniser interpolates it with PocketSphinx's general English model (see pocketsphinx.ts),
 * so "what time is it" beats acoustically close guesses like "what i eat", while any other
 * sentence is still heard through the general model.
 *
 * Estimation: bigrams by absolute discounting, backing off to add-one unigrams over the domain's
 * own words; each history's backoff weight gives its unseen words exactly the mass left over, so
 * every history's distribution sums to one.
 */

const SENTENCE_START = '<s>'
const SENTENCE_END = '</s>'
/** Subtracted from every seen bigram count: the mass handed to the unigrams. */
const DISCOUNT = 0.5
/** The log10 probability ARPA files give `<s>`, which is never predicted. */
const NEVER = -99

export function domainLanguageModelArpa(sentences: readonly string[]): string {
  const unigramCounts = new Map<string, number>()
  const bigramCounts = new Map<string, Map<string, number>>()
  for (const sentence of sentences) {
    const tokens = [SENTENCE_START, ...sentence.toLowerCase().split(/\s+/).filter(Boolean), SENTENCE_END]
    if (tokens.length === 2) throw new Error('a domain sentence has no words')
    tokens.forEach((word, i) => {
      unigramCounts.set(word, (unigramCounts.get(word) ?? 0) + 1)
      if (i === 0) return
      const followers = bigramCounts.get(tokens[i - 1]!) ?? new Map<string, number>()
      followers.set(word, (followers.get(word) ?? 0) + 1)
      bigramCounts.set(tokens[i - 1]!, followers)
    })
  }
  if (unigramCounts.size === 0) throw new Error('the domain language model needs at least one sentence')

  // Add-one unigrams over every word but <s> (which is only ever a history).
  const predicted = [...unigramCounts.keys()].filter((word) => word !== SENTENCE_START)
  const predictedTotal = predicted.reduce((sum, word) => sum + unigramCounts.get(word)!, 0)
  const unigram = (word: string) => (unigramCounts.get(word)! + 1) / (predictedTotal + predicted.length)

  const bigramLines: string[] = []
  const backoff = new Map<string, number>()
  for (const [history, followers] of bigramCounts) {
    const total = [...followers.values()].reduce((sum, count) => sum + count, 0)
    let seenMass = 0
    let seenUnigramMass = 0
    for (const [word, count] of followers) {
      const probability = (count - DISCOUNT) / total
      seenMass += probability
      seenUnigramMass += unigram(word)
      bigramLines.push(`${log10(probability)} ${history} ${word}`)
    }
    // Every word followed this history: nothing is left to back off to.
    if (seenUnigramMass < 1) backoff.set(history, (1 - seenMass) / (1 - seenUnigramMass))
  }

  const unigramLines = [...unigramCounts.keys()].map((word) => {
    const probability = word === SENTENCE_START ? NEVER.toFixed(4) : log10(unigram(word))
    const weight = backoff.get(word)
    return weight === undefined ? `${probability} ${word}` : `${probability} ${word} ${log10(weight)}`
  })
  return [
    '\\data\\',
    `ngram 1=${unigramLines.length}`,
    `ngram 2=${bigramLines.length}`,
    '',
    '\\1-grams:',
    ...unigramLines,
    '',
    '\\2-grams:',
    ...bigramLines,
    '',
    '\\end\\',
    '',
  ].join('\n')
}

const log10 = (probability: number) => Math.log10(probability).toFixed(4)
