/**
 * Redaction for everything written to a log: known secret values (registered by whoever holds
 * them) and anything shaped like a credential (bearer tokens, api-key headers/params, JWTs).
 */

const MIN_SECRET_LENGTH = 4
/**
 * Each pattern with its replacement: `$1` keeps the header or parameter name. A bare JWT has no
 * name to keep, so its replacement must not say `$1` (it would be written literally).
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  [/("?(?:api[-_]?key|authorization|access[-_]?token|client[-_]?secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi, '$1[redacted]'],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, '[redacted]'],
]

export class Redactor {
  private readonly secrets = new Set<string>()

  /** Never write this value. Short values are ignored: they would redact ordinary words. */
  addSecret(secret: string | undefined | null): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret)
  }

  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]')
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
    return out
  }
}
