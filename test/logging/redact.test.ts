/**
 * What the log redactor writes for each kind of credential, each on its own: the exact output line,
 * so a pattern that redacts too little, too much, or writes garbage in place of the token fails.
 */
import { describe, expect, it } from 'vitest'
import { Redactor } from '../../src-main/logging/redact.js'

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl-_x'

const redact = (text: string, ...secrets: (string | null | undefined)[]): string => {
  const redactor = new Redactor()
  for (const secret of secrets) redactor.addSecret(secret)
  return redactor.redact(text)
}

describe('Redactor', () => {
  it('replaces a bare JWT by [redacted], keeping the text around it', () => {
    expect(redact(`token ${JWT} expired`)).toBe('token [redacted] expired')
  })

  it('leaves dotted words that are too short to be a JWT', () => {
    expect(redact('eyJabcdefg.hijklmn.o and eyJ.a.b')).toBe('eyJabcdefg.hijklmn.o and eyJ.a.b')
  })

  it('keeps the word Bearer and redacts the whole token after it, padding included', () => {
    expect(redact('sent Bearer  abc.DEF-123_~+/xyz== to host')).toBe('sent Bearer  [redacted] to host')
    expect(redact('authorization header: bearer opaque-token')).toBe('authorization header: bearer [redacted]')
  })

  it('redacts the value of a key= query parameter and keeps the other parameters', () => {
    expect(redact('wss://x/voice-live/realtime?api-key=zzzunregisteredzzz&model=m')).toBe(
      'wss://x/voice-live/realtime?api-key=[redacted]&model=m',
    )
  })

  it('redacts every spelling of the credential names, as headers, JSON fields and parameters', () => {
    const lines = [
      ['api_key=k1,next', 'api_key=[redacted],next'],
      ['apikey: k2 rest', 'apikey: [redacted] rest'],
      ['API-KEY=k3', 'API-KEY=[redacted]'],
      ['access_token=t1&x=1', 'access_token=[redacted]&x=1'],
      ['access-token=t2', 'access-token=[redacted]'],
      ['accesstoken=t3', 'accesstoken=[redacted]'],
      ['client_secret=s1', 'client_secret=[redacted]'],
      ['client-secret: s2', 'client-secret: [redacted]'],
      ['clientsecret=s3', 'clientsecret=[redacted]'],
      ['{"api-key":"k4","model":"m"}', '{"api-key":"[redacted]","model":"m"}'],
      ['authorization=opaque', 'authorization=[redacted]'],
    ]
    for (const [line, expected] of lines) expect(redact(line!), line).toBe(expected)
  })

  it('redacts a registered secret wherever it appears, in any text', () => {
    expect(redact('key 7f3a-plain-value-9 and again 7f3a-plain-value-9.', '7f3a-plain-value-9')).toBe(
      'key [redacted] and again [redacted].',
    )
  })

  it('registers secrets of four characters or more, never shorter ones (they would hide ordinary words)', () => {
    expect(redact('abcd abc', 'abcd')).toBe('[redacted] abc')
    expect(redact('abc is a word', 'abc')).toBe('abc is a word')
    expect(redact('nothing', '', null, undefined)).toBe('nothing')
  })
})
