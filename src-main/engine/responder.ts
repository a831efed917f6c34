/**
 * What the local engine says back. There is no language model offline, so replies come from a
 * small ordered rule table over the heard text, or from a fixed per-turn script (for tests/demos).
 */

export interface ReplyContext {
  /** What the user said or typed; null when nothing was heard. */
  readonly heard: string | null
  /** For speech: how sure the recogniser is of `heard` (0–1); absent for typed text. */
  readonly confidence?: number
  /** Output of a function call the client just supplied, if the turn follows one. */
  readonly functionOutput?: string
  /** Set when no speech recogniser is available, so the reply can say so. */
  readonly recognizerMissing?: string
  readonly now?: Date
}

interface Rule {
  readonly pattern: RegExp
  readonly reply: (context: ReplyContext, match: RegExpMatchArray) => string
}

export const NOT_CAUGHT = 'Sorry, I did not catch that.'

/**
 * Below this the recogniser is guessing (see `Hypothesis` in pocketsphinx.ts: the share of the
 * words it is sure of): on babble and mumbled speech it still returns words ("the ah what ah
 * it"), and echoing or acting on them answers nonsense. A sentence half of whose words are
 * doubtful is a guess; over the benchmark's voices, no right transcript had fewer than 60 % sure words.
 */
export const MIN_CONFIDENCE = 0.55

const clock = (now: Date) =>
  `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`

const RULES: readonly Rule[] = [
  { pattern: /\b(hello|hi|hey|good (morning|afternoon|evening))\b/, reply: () => 'Hello! This is the local Voice Live engine. How can I help you?' },
  { pattern: /\b(what time|the time|what's the time)\b/, reply: (c) => `It is ${clock(c.now ?? new Date())} UTC.` },
  {
    pattern: /\b(help|what can you do)\b/,
    reply: () => 'I am a local test engine. Say hello, ask me the time, or say anything and I will repeat it.',
  },
  { pattern: /\b(bye|goodbye)\b/, reply: () => 'Goodbye!' },
]

/**
 * Ways of saying what the rule table answers. The recogniser's domain language model is built
 * from them (domain-language-model.ts), so these are heard more readily than their sound-alikes.
 * Each must match a rule (a test holds that).
 */
export const INTENT_PHRASES: readonly string[] = [
  'hello',
  'hi',
  'hey',
  'hello there',
  'hi there',
  'hey there',
  'good morning',
  'good afternoon',
  'good evening',
  'what time is it',
  "what's the time",
  'what is the time',
  'tell me the time',
  'the time please',
  'do you know the time',
  'help',
  'help me',
  'can you help me',
  'i need help',
  'what can you do',
  'goodbye',
  'bye',
  'bye bye',
  'bye for now',
]

/** The reply for one turn: script entry if given, else the first matching rule, else an echo. */
export function replyFor(context: ReplyContext, scripted?: string): string {
  if (scripted !== undefined) return scripted
  if (context.functionOutput !== undefined) return `The function returned: ${context.functionOutput}`
  if (context.recognizerMissing) return `I heard you, but no speech recogniser is available here.`
  const heard = context.heard?.trim().toLowerCase() ?? ''
  if (!heard || (context.confidence ?? 1) < MIN_CONFIDENCE) return NOT_CAUGHT
  for (const rule of RULES) {
    const match = heard.match(rule.pattern)
    if (match) return rule.reply(context, match)
  }
  return `You said: ${context.heard?.trim()}.`
}
