/**
 * Every way sign-in can fail, as one error the user can act on: the authority's own error code and
 * text (`consent_required: AADSTS65001 …`) plus a next step ("ask an administrator to grant
 * consent…"). The CLI prints `message` on one stderr line and exits 3; the app shows it with a
 * "Sign in again" button when `interactionRequired`.
 */
import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node'

export type SignInErrorCode =
  | 'cancelled'
  | 'timed_out'
  | 'no_client_id'
  | 'no_account'
  | 'consent_required'
  | 'interaction_required'
  | 'not_public_client'
  | 'unknown_client'
  | 'access_denied'
  | 'authority_unreachable'
  | 'browser_failed'
  | 'authority_error'

export class SignInError extends Error {
  override readonly name = 'SignInError'
  constructor(
    readonly code: SignInErrorCode,
    /** The authority's own error code (`invalid_client`), or ours when it never answered. */
    readonly authorityCode: string,
    /** The authority's text, one line, no secrets. */
    readonly authorityText: string,
    readonly nextStep: string,
  ) {
    super(`${authorityCode}: ${authorityText} (${nextStep})`)
  }

  /** True when signing in again (interactively) is the fix. */
  get interactionRequired(): boolean {
    return this.code === 'interaction_required' || this.code === 'no_account' || this.code === 'consent_required'
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 500)

/** The next step for an authority's answer; AADSTS numbers are Entra's, the codes are OAuth's. */
function classify(code: string, text: string): { kind: SignInErrorCode; nextStep: string } {
  if (/AADSTS(65001|65004|90094|90008)\b/.test(text) || code === 'consent_required') {
    return {
      kind: 'consent_required',
      nextStep:
        'consent is required: accept the consent prompt, or ask an administrator to grant consent for the app ' +
        'registration (Enterprise applications → Permissions)',
    }
  }
  if (/AADSTS(7000218|700025)\b/.test(text) || code === 'invalid_client') {
    return {
      kind: 'not_public_client',
      nextStep:
        'the client id is not a public client: in its app registration set "Allow public client flows" to Yes ' +
        'and add the platform "Mobile and desktop applications" with the redirect http://localhost',
    }
  }
  if (/AADSTS(700016|50011|500113)\b/.test(text) || code === 'unauthorized_client') {
    return {
      kind: 'unknown_client',
      nextStep:
        'check the client id and tenant: the app must be registered in this tenant (or be multi-tenant) with ' +
        'the redirect http://localhost',
    }
  }
  if (code === 'access_denied') {
    return { kind: 'access_denied', nextStep: 'the sign-in was declined in the browser; sign in again to retry' }
  }
  if (
    [
      'interaction_required',
      'login_required',
      'invalid_grant',
      'no_tokens_found',
      'native_account_unavailable',
      'refresh_token_expired',
      'bad_token',
    ].includes(code)
  ) {
    return {
      kind: 'interaction_required',
      nextStep: 'sign in again: run "voicelive auth login" or press "Sign in again"',
    }
  }
  if (
    [
      'endpoints_resolution_error',
      'openid_config_error',
      'network_error',
      'untrusted_authority',
      'issuer_validation_failed',
    ].includes(code)
  ) {
    return {
      kind: 'authority_unreachable',
      nextStep: 'check the authority URL and your network; the authority must serve https with a trusted certificate',
    }
  }
  return { kind: 'authority_error', nextStep: 'check the client id, the authority and the scope, then sign in again' }
}

/** Anything MSAL (or the loopback, or the browser) threw, as a `SignInError`. */
export function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error
  if (error instanceof AuthError) {
    const code = error.errorCode || 'authority_error'
    const text = oneLine(error.errorMessage || error.message || code)
    const { kind, nextStep } = classify(code, text)
    // MSAL says "interaction required" for a revoked consent too; the AADSTS number tells them apart.
    const finalKind =
      error instanceof InteractionRequiredAuthError && kind === 'authority_error' ? 'interaction_required' : kind
    return new SignInError(finalKind, code, text, nextStep)
  }
  const text = oneLine(error instanceof Error ? error.message : String(error))
  return new SignInError(
    'authority_error',
    'error',
    text,
    'check the client id, the authority and the scope, then sign in again',
  )
}

export const cancelledError = (): SignInError =>
  new SignInError('cancelled', 'cancelled', 'the sign-in was cancelled', 'sign in again when you are ready')

export const timedOutError = (timeoutMs: number): SignInError =>
  new SignInError(
    'timed_out',
    'timed_out',
    `no answer from the browser within ${Math.round(timeoutMs / 1000)} s`,
    'finish signing in in the browser sooner, or sign in again',
  )

export const noAccountError = (): SignInError =>
  new SignInError(
    'no_account',
    'no_account',
    'no account is signed in',
    'sign in: run "voicelive auth login" or press "Sign in"',
  )
