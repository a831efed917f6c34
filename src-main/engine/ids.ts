/** Ids shaped like the service's (`event_…`, `item_…`, `resp_…`, `sess_…`, `call_…`). */
import { randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function newId(prefix: 'event' | 'item' | 'resp' | 'sess'): string {
  const bytes = randomBytes(20)
  let body = ''
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length]
  return `${prefix}_${body}`
}
