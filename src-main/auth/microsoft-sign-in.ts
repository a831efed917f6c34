/**
 * Microsoft account sign-in with MSAL as a public client: authorization code + PKCE in the system
 * browser through MSAL's own loopback server (127.0.0.1, `form_post`), silent acquisition from
 * the cache (refreshing when the access token expired), accounts, sign-out.
 *
 * Cancel and timeout: MSAL's interactive call has no abort. We know the loopback redirect and the
 * request's `state` from the authorize URL it asks us to open, so cancelling posts an OAuth error
 * to that loopback exactly as an authority would; MSAL then settles and closes its server.
 *
 * Why `@azure/msal-node` 7.2.3, pinned exactly: its published types still carry the public-client
 * APIs used here (`acquireTokenInteractive`, `acquireTokenSilent`, `ICachePlugin`,
 * `knownAuthorities`) that the v7 doc on MSAL's main branch says will go, so a later major needs
 * this checked again. Not `msal-node-extensions`: it brings keytar and a native runtime downloaded
 * at install. A non-Microsoft authority goes in `knownAuthorities`, so no instance discovery call.
 */
import {
  LogLevel,
  PromptValue,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type ICachePlugin,
} from '@azure/msal-node'
import type { Logger } from '../logging/logger.js'
import type { TokenProvider } from '../voice-session/types.js'
import type { Authority } from './auth-options.js'
import { SignInError, cancelledError, noAccountError, timedOutError, toSignInError } from './sign-in-errors.js'
import { SIGN_IN_ERROR_PAGE, SIGN_IN_SUCCESS_PAGE } from './sign-in-pages.js'
import type { OpenBrowser } from './system-browser.js'

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000

export interface MicrosoftSignInOptions {
  readonly clientId: string
  readonly authority: Authority
  /** Persistence; absent = MSAL's in-memory cache (the harness). */
  readonly cachePlugin?: ICachePlugin | undefined
  readonly openBrowser: OpenBrowser
  readonly timeoutMs?: number | undefined
  readonly logger?: Logger | undefined
}

/** What the UI and `auth status` show of an account: never a token. */
export interface AccountSummary {
  readonly homeAccountId: string
  readonly username: string
  readonly name: string | null
  readonly tenantId: string
  readonly environment: string
}

export interface InteractiveOptions {
  readonly scopes: readonly string[]
  /** Ask for these too, so one consent covers e.g. resource discovery. */
  readonly extraScopesToConsent?: readonly string[] | undefined
  /** Switch account: let the user pick another one. */
  readonly selectAccount?: boolean | undefined
  readonly signal?: AbortSignal | undefined
}

export const summarize = (account: AccountInfo): AccountSummary => ({
  homeAccountId: account.homeAccountId,
  username: account.username,
  name: account.name ?? null,
  tenantId: account.tenantId,
  environment: account.environment,
})

const MSAL_LOG_LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [LogLevel.Error]: 'error',
  [LogLevel.Warning]: 'warn',
  [LogLevel.Info]: 'info',
}

/** The authorize URL's loopback redirect and state: what a cancel must post back to. */
function pendingRedirect(url: string): { redirectUri: string; state: string } | null {
  try {
    const parsed = new URL(url)
    const redirectUri = parsed.searchParams.get('redirect_uri')
    const state = parsed.searchParams.get('state')
    if (!redirectUri || !state) return null
    const loopback = new URL(redirectUri)
    if (loopback.hostname !== 'localhost' || loopback.protocol !== 'http:') return null
    loopback.hostname = '127.0.0.1' // MSAL's loopback listens on 127.0.0.1 only
    return { redirectUri: loopback.toString(), state }
  } catch {
    return null
  }
}

export class MicrosoftSignIn {
  private readonly client: PublicClientApplication
  private readonly timeoutMs: number

  constructor(private readonly options: MicrosoftSignInOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS
    const logger = options.logger
    this.client = new PublicClientApplication({
      auth: {
        clientId: options.clientId,
        authority: options.authority.url,
        knownAuthorities: [...options.authority.knownAuthorities],
      },
      ...(options.cachePlugin ? { cache: { cachePlugin: options.cachePlugin } } : {}),
      system: {
        protocolMode: options.authority.protocol,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (!containsPii) logger?.log(MSAL_LOG_LEVELS[level] ?? 'debug', `msal: ${message}`)
          },
        },
      },
    })
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await this.client.getTokenCache().getAllAccounts()).map(summarize)
  }

  private async findAccount(homeAccountId?: string): Promise<AccountInfo | null> {
    const all = await this.client.getTokenCache().getAllAccounts()
    if (homeAccountId) return all.find((account) => account.homeAccountId === homeAccountId) ?? null
    return all[0] ?? null
  }

  /** Sign in in the browser; resolves with the account once the token is cached. */
  async signIn(request: InteractiveOptions): Promise<{ account: AccountSummary; result: AuthenticationResult }> {
    const { signal } = request
    if (signal?.aborted) throw cancelledError()
    let pending: { redirectUri: string; state: string } | null = null
    let stoppedBy: SignInError | null = null
    const stop = (reason: SignInError) => {
      if (stoppedBy) return
      stoppedBy = reason
      if (pending) void this.postError(pending, reason)
    }
    const onAbort = () => stop(cancelledError())
    signal?.addEventListener('abort', onAbort)
    const timer = setTimeout(() => stop(timedOutError(this.timeoutMs)), this.timeoutMs)
    try {
      const result = await this.client.acquireTokenInteractive({
        scopes: [...request.scopes],
        ...(request.extraScopesToConsent ? { extraScopesToConsent: [...request.extraScopesToConsent] } : {}),
        ...(request.selectAccount ? { prompt: PromptValue.SELECT_ACCOUNT } : {}),
        successTemplate: SIGN_IN_SUCCESS_PAGE,
        errorTemplate: SIGN_IN_ERROR_PAGE,
        openBrowser: async (url) => {
          pending = pendingRedirect(url)
          if (stoppedBy) {
            if (pending) void this.postError(pending, stoppedBy)
            return
          }
          await this.options.openBrowser(url)
        },
      })
      if (!result.account)
        throw new SignInError('authority_error', 'no_account', 'the authority returned no account', 'sign in again')
      this.options.logger?.log('info', 'signed in', { username: result.account.username })
      return { account: summarize(result.account), result }
    } catch (error) {
      throw stoppedBy ?? toSignInError(error)
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Settle MSAL's waiting loopback as the authority would with an error, so it closes cleanly. */
  private async postError(pending: { redirectUri: string; state: string }, reason: SignInError): Promise<void> {
    const body = new URLSearchParams({
      error: reason.authorityCode,
      error_description: reason.authorityText,
      state: pending.state,
    })
    await fetch(pending.redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    }).catch((error: unknown) =>
      this.options.logger?.log('warn', 'could not stop the sign-in loopback', { error: String(error) }),
    )
  }

  /** A token from the cache, refreshed with the refresh token when expired; never opens a browser. */
  async acquireSilent(scope: string, homeAccountId?: string): Promise<AuthenticationResult> {
    const account = await this.findAccount(homeAccountId)
    if (!account) throw noAccountError()
    try {
      return await this.client.acquireTokenSilent({ account, scopes: [scope] })
    } catch (error) {
      throw toSignInError(error)
    }
  }

  /** Remove one account (or all) from the cache. Resolves with the usernames removed. */
  async signOut(homeAccountId?: string): Promise<string[]> {
    const cache = this.client.getTokenCache()
    const all = await cache.getAllAccounts()
    const chosen = homeAccountId ? all.filter((account) => account.homeAccountId === homeAccountId) : all
    for (const account of chosen) await cache.removeAccount(account)
    return chosen.map((account) => account.username)
  }

  /**
   * A `TokenProvider` for the session core: silent first (cache, then refresh); when that needs
   * the user and `interactive` is set, sign in in the browser. Called before every connect,
   * reconnect and roll-over.
   */
  tokenProvider(options: {
    interactive: boolean
    homeAccountId?: () => string | undefined
    signal?: AbortSignal
  }): TokenProvider {
    return {
      getToken: async (scope) => {
        try {
          return (await this.acquireSilent(scope, options.homeAccountId?.())).accessToken
        } catch (error) {
          const failure = toSignInError(error)
          if (!options.interactive || !failure.interactionRequired) throw failure
          return (await this.signIn({ scopes: [scope], signal: options.signal })).result.accessToken
        }
      },
    }
  }
}
