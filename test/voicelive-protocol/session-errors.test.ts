/**
 * What the user is told when a connection fails, and whether the app offers a retry: the exact
 * kind, line and retry flag for each upgrade status, close code and socket failure.
 */
import { describe, expect, it } from 'vitest'
import {
  connectTimeoutError,
  errorFromClose,
  errorFromNetwork,
  errorFromUpgradeStatus,
  formatSeconds,
} from '../../src-main/voicelive-protocol/session-errors.js'

const ROLES = 'your identity has the "Cognitive Services User" and "Azure AI User" roles on the resource.'

describe('errors at the WebSocket upgrade', () => {
  it('names the cause of each refused upgrade, with the service message when there is one', () => {
    expect(errorFromUpgradeStatus(401)).toEqual({
      kind: 'auth',
      message: `The service refused the credentials (HTTP 401). Check the API key or token, and that ${ROLES}`,
      retryable: false,
    })
    expect(errorFromUpgradeStatus(403, 'no role')).toEqual({
      kind: 'auth',
      message: `The service refused the credentials (HTTP 403): no role. Check the API key or token, and that ${ROLES}`,
      retryable: false,
    })
    expect(errorFromUpgradeStatus(404)).toEqual({
      kind: 'not_found',
      message:
        'Nothing answered at this endpoint (HTTP 404). Check the endpoint URL, the model or agent name, and the api-version.',
      retryable: false,
    })
    expect(errorFromUpgradeStatus(429, 'slow down')).toEqual({
      kind: 'rate_limit',
      message: 'Rate limit reached (HTTP 429): slow down. Wait a moment and try again.',
      retryable: true,
    })
    expect(errorFromUpgradeStatus(400)).toEqual({
      kind: 'config',
      message: 'The service rejected the connection request (HTTP 400).',
      retryable: false,
    })
  })

  it('other statuses are service errors, retryable from 500 up', () => {
    expect(errorFromUpgradeStatus(500)).toEqual({
      kind: 'service',
      message: 'The service failed to open the session (HTTP 500).',
      retryable: true,
    })
    expect(errorFromUpgradeStatus(499, 'odd')).toEqual({
      kind: 'service',
      message: 'The service failed to open the session (HTTP 499): odd.',
      retryable: false,
    })
  })
})

describe('errors from a close the client did not ask for', () => {
  it.each([
    [1008, 'policy', 'The service closed the session for a policy violation (1008) ("filtered").', false],
    [
      4008,
      'duration_cap',
      'The service ended the session at its maximum duration (4008) ("filtered"); a new session is needed.',
      true,
    ],
    [1009, 'protocol', 'A message was too large for the connection (1009) ("filtered").', false],
    [1011, 'service', 'The service hit an internal error and closed the session (1011) ("filtered").', true],
    [1001, 'network', 'The connection dropped (1001) ("filtered").', true],
    [1005, 'network', 'The connection dropped (1005) ("filtered").', true],
    [1006, 'network', 'The connection dropped (1006) ("filtered").', true],
    [1000, 'service', 'The service closed the session ("filtered").', true],
    [3999, 'service', 'The service closed the session with code 3999 ("filtered").', true],
    [4000, 'service', 'The service closed the session with code 4000 ("filtered").', false],
  ] as const)('%i → %s', (code, kind, message, retryable) => {
    expect(errorFromClose(code, 'filtered')).toEqual({ kind, message, retryable })
  })

  it('leaves out an empty reason', () => {
    expect(errorFromClose(1006, '').message).toBe('The connection dropped (1006).')
  })
})

describe('socket failures and timeouts', () => {
  it('names each known socket error in words', () => {
    const failure = (code: string) => errorFromNetwork(Object.assign(new Error('x'), { code }), 'example.com')
    expect(failure('ENOTFOUND')).toEqual({
      kind: 'network',
      message: 'Could not reach example.com: the host name could not be resolved (DNS).',
      retryable: true,
    })
    expect(failure('EAI_AGAIN').message).toBe('Could not reach example.com: the host name could not be resolved (DNS).')
    expect(failure('ECONNREFUSED').message).toBe('Could not reach example.com: the connection was refused.')
    expect(failure('ECONNRESET').message).toBe('Could not reach example.com: the connection was reset.')
    expect(failure('EHOSTUNREACH').message).toBe('Could not reach example.com: the host is unreachable.')
    expect(failure('ENETUNREACH').message).toBe('Could not reach example.com: the network is unreachable.')
    expect(failure('ETIMEDOUT').message).toBe('Could not reach example.com: the connection timed out.')
    expect(failure('EPIPE').message).toBe('Could not reach example.com: the connection was closed.')
  })

  it('a TLS failure is not retryable; anything else carries its own message', () => {
    for (const message of ['self-signed certificate', 'self signed', 'TLS handshake', 'SSL routines']) {
      expect(errorFromNetwork(new Error(message), 'h')).toEqual({
        kind: 'network',
        message: `Could not reach h: TLS failed (${message}).`,
        retryable: false,
      })
    }
    expect(errorFromNetwork(new Error('socket hang up'), 'h')).toEqual({
      kind: 'network',
      message: 'Could not reach h: socket hang up.',
      retryable: true,
    })
    expect(errorFromNetwork('a string', 'h').message).toBe('Could not reach h: a string.')
    expect(errorFromNetwork(Object.assign(new Error('odd'), { code: 42 }), 'h').message).toBe('Could not reach h: odd.')
    expect(errorFromNetwork(null, 'h').message).toBe('Could not reach h: null.')
  })

  it('a connect timeout says how long it waited, in seconds', () => {
    expect(connectTimeoutError('h', 15_000)).toEqual({
      kind: 'timeout',
      message: 'No answer from h within 15 s.',
      retryable: true,
    })
    expect(formatSeconds(300)).toBe('0.3 s')
    expect(formatSeconds(9_960)).toBe('10 s')
    expect(formatSeconds(10_000)).toBe('10 s')
    expect(formatSeconds(12_600)).toBe('13 s')
    expect(formatSeconds(2_250)).toBe('2.3 s')
  })
})
