/**
 * A local OpenID Connect authority over https on 127.0.0.1, for the real MSAL flow end to end:
 * discovery, authorize (answers with a `form_post` page), token (authorization code with PKCE
 * S256 verified, each code usable once; refresh tokens). The certificate is made with `openssl`
 * for IP 127.0.0.1; child processes trust it through NODE_EXTRA_CA_CERTS.
 * `behaviour` switches what authorize answers (a consent error, an invalid client).
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'

export const TENANT = 'tenant-fake'
export const CLIENT_ID = 'client-fake-1234'
export const USERNAME = 'ada@contoso.test'

export interface Certificate {
  readonly certPath: string
  readonly cert: string
  readonly key: string
}

/**
 * Makes this test process (where MSAL's fetch runs) trust the test certificate; child processes
 * get it through NODE_EXTRA_CA_CERTS instead. Returns the undo, which also deletes the certificate.
 */
export function trustInThisProcess(certificate: Certificate): () => void {
  const previous = getGlobalDispatcher()
  setGlobalDispatcher(new Agent({ connect: { ca: certificate.cert } }))
  return () => {
    setGlobalDispatcher(previous)
    rmSync(join(certificate.certPath, '..'), { recursive: true, force: true })
  }
}

export function makeCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'vl-oidc-cert-'))
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  )
  return { certPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') }
}

export type AuthorizeBehaviour = 'sign-in' | 'consent-required' | 'invalid-client'

interface IssuedCode {
  readonly challenge: string
  readonly redirectUri: string
  readonly nonce: string | null
  readonly scope: string
}

export interface FakeAuthority {
  readonly authority: string
  readonly host: string
  behaviour: AuthorizeBehaviour
  /** Lifetime of issued access tokens (MSAL treats tokens within 5 minutes of expiry as expired). */
  accessTokenSeconds: number
  /** Every access token issued, to check none leaks. */
  readonly accessTokens: string[]
  readonly refreshTokens: string[]
  /** `grant_type` of every token request, in order. */
  readonly grants: string[]
  /** Token requests refused (bad PKCE, reused code…), with the reason. */
  readonly refusals: string[]
  /** Every request path, to show no other endpoint (e.g. instance discovery) was needed. */
  readonly paths: string[]
  close(): Promise<void>
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')
const unsignedJwt = (claims: Record<string, unknown>) =>
  `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`

async function body(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** What an authority sends to make the browser post the answer back (response_mode=form_post). */
function formPost(response: ServerResponse, action: string, fields: Record<string, string>): void {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('')
  response.writeHead(200, { 'content-type': 'text/html' })
  response.end(
    `<html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(action)}">${inputs}</form></body></html>`,
  )
}

export async function startFakeAuthority(certificate: Certificate): Promise<FakeAuthority> {
  const codes = new Map<string, IssuedCode>()
  const refresh = new Map<string, string>() // refresh token → scope
  let origin = ''
  const issuer = () => `${origin}/${TENANT}/v2.0`
  const tokens = (scope: string, nonce: string | null) => {
    const accessToken = `at-${randomBytes(18).toString('base64url')}`
    const refreshToken = `rt-${randomBytes(18).toString('base64url')}`
    state.accessTokens.push(accessToken)
    state.refreshTokens.push(refreshToken)
    refresh.set(refreshToken, scope)
    const now = Math.floor(Date.now() / 1000)
    return {
      token_type: 'Bearer',
      scope,
      expires_in: state.accessTokenSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: unsignedJwt({
        iss: issuer(),
        aud: CLIENT_ID,
        sub: 'user-sub-1',
        oid: 'user-oid-1',
        tid: TENANT,
        preferred_username: USERNAME,
        name: 'Ada Lovelace',
        iat: now,
        nbf: now,
        exp: now + 3600,
        ...(nonce ? { nonce } : {}),
      }),
    }
  }

  const json = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(value))
  }
  const tokenError = (response: ServerResponse, error: string, description: string) => {
    state.refusals.push(`${error}: ${description}`)
    json(response, 400, { error, error_description: description })
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin)
    state.paths.push(url.pathname)
    const prefix = `/${TENANT}`
    if (url.pathname === `${prefix}/.well-known/openid-configuration`) {
      return json(response, 200, {
        issuer: issuer(),
        authorization_endpoint: `${origin}${prefix}/oauth2/v2.0/authorize`,
        token_endpoint: `${origin}${prefix}/oauth2/v2.0/token`,
        end_session_endpoint: `${origin}${prefix}/oauth2/v2.0/logout`,
        jwks_uri: `${origin}${prefix}/discovery/v2.0/keys`,
        response_modes_supported: ['form_post'],
        code_challenge_methods_supported: ['S256'],
      })
    }
    if (url.pathname === `${prefix}/oauth2/v2.0/authorize` && request.method === 'GET') {
      const q = url.searchParams
      const redirectUri = q.get('redirect_uri') ?? ''
      const stateParam = q.get('state') ?? ''
      if (
        q.get('response_mode') !== 'form_post' ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge')
      ) {
        response.writeHead(400)
        return void response.end('form_post with PKCE S256 is required')
      }
      if (!/^http:\/\/localhost:\d+\/?$/.test(redirectUri)) {
        response.writeHead(400)
        return void response.end('redirect_uri must be the http://localhost loopback')
      }
      if (state.behaviour === 'consent-required') {
        return formPost(response, redirectUri, {
          error: 'consent_required',
          error_description:
            "AADSTS65001: The user or administrator has not consented to use the application with ID 'client-fake-1234'.",
          state: stateParam,
        })
      }
      if (state.behaviour === 'invalid-client' || q.get('client_id') !== CLIENT_ID) {
        return formPost(response, redirectUri, {
          error: 'invalid_client',
          error_description:
            "AADSTS7000218: The request body must contain the following parameter: 'client_assertion'.",
          state: stateParam,
        })
      }
      const code = `code-${randomBytes(12).toString('hex')}`
      codes.set(code, {
        challenge: q.get('code_challenge') ?? '',
        redirectUri,
        nonce: q.get('nonce'),
        scope: q.get('scope') ?? '',
      })
      return formPost(response, redirectUri, { code, state: stateParam })
    }
    if (url.pathname === `${prefix}/oauth2/v2.0/token` && request.method === 'POST') {
      const form = await body(request)
      const grant = form.get('grant_type') ?? ''
      state.grants.push(grant)
      if (form.get('client_id') !== CLIENT_ID)
        return tokenError(response, 'invalid_client', 'AADSTS700016: unknown client')
      if (grant === 'authorization_code') {
        const code = form.get('code') ?? ''
        const issued = codes.get(code)
        codes.delete(code) // single use, whatever happens next
        if (!issued)
          return tokenError(response, 'invalid_grant', 'AADSTS54005: the code was already redeemed or is unknown')
        const verifier = form.get('code_verifier') ?? ''
        if (base64url(createHash('sha256').update(verifier).digest()) !== issued.challenge) {
          return tokenError(
            response,
            'invalid_grant',
            'AADSTS501481: the code_verifier does not match the code_challenge',
          )
        }
        if (form.get('redirect_uri') !== issued.redirectUri) {
          return tokenError(response, 'invalid_grant', 'AADSTS50011: redirect_uri mismatch')
        }
        return json(response, 200, tokens(form.get('scope') ?? issued.scope, issued.nonce))
      }
      if (grant === 'refresh_token') {
        const token = form.get('refresh_token') ?? ''
        if (!refresh.has(token))
          return tokenError(response, 'invalid_grant', 'AADSTS700082: the refresh token has expired')
        refresh.delete(token) // rotated
        return json(response, 200, tokens(form.get('scope') ?? '', null))
      }
      return tokenError(response, 'unsupported_grant_type', grant)
    }
    response.writeHead(404)
    response.end()
  }

  const server = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500)
      response.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  const state: FakeAuthority = {
    authority: `${origin}/${TENANT}`,
    host: new URL(origin).host,
    behaviour: 'sign-in',
    accessTokenSeconds: 3600,
    accessTokens: [],
    refreshTokens: [],
    grants: [],
    refusals: [],
    paths: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return state
}
