/**
 * Redaction for everything written to a log: known secret values (registered by whoever holds
 * them) and anything shaped like a credential (bearer tokens, api-key headers/params, JWTs).
 */

const MIN_SECRET_LENGTH = 4
const PATTERNS: readonly RegExp[] = [
  /(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi,
  /("?(?:api[-_]?key|authorization|access[-_]?token|client[-_]?secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g,
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
    for (const pattern of PATTERNS) out = out.replace(pattern, '$1[redacted]')
    return out
  }
}
