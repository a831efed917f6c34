/**
 * The app's Microsoft account: what the Settings panel configures (client id, tenant or
 * authority, scope), browser sign-in with cancel, accounts (list, switch, sign out), the token
 * provider the session core calls before every connect, reconnect and roll-over, and resource
 * discovery. Electron-free: the Electron shell passes safeStorage protection and
 * `shell.openExternal`; the harness passes nothing and the cache lives in memory.
 *
 * The provider never opens a browser by itself: when a token needs the user, it fails with the
 * reason and the UI offers "Sign in again" (a window popping up mid-conversation would be worse).
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { AccountConfigure, AccountStatus, ResourceDiscovery } from '../../src-shared/bridge/account-payloads.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'
import type { Logger } from '../logging/logger.js'
import type { TokenProvider } from '../voice-session/types.js'
import { discoverVoiceResources } from './arm-discovery.js'
import {
  ARM_SCOPE,
  AuthOptionError,
  CLIENT_ID_SETUP_STEPS,
  REGISTER_APP_COMMAND,
  resolveAuthority,
  resolveClientId,
  resolveScope,
} from './auth-options.js'
import { MicrosoftSignIn, type AccountSummary } from './microsoft-sign-in.js'
import { SignInError, toSignInError } from './sign-in-errors.js'
import type { OpenBrowser } from './system-browser.js'
import { tokenCacheFile, type CacheChoice } from './token-cache-file.js'

const storedSchema = z.object({
  clientId: z.string().default(''),
  authority: z.string().default(''),
  scope: z.string().default(''),
  currentAccount: z.string().nullable().default(null),
  allowUnprotectedCache: z.boolean().default(false),
})
type Stored = z.infer<typeof storedSchema>

export interface AccountServiceOptions {
  readonly userDataDir: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly openBrowser: OpenBrowser
  /** How the cache may be kept on disk; absent = memory only, with `memoryOnlyNote` shown. */
  readonly chooseProtection?: ((allowUnprotected: boolean) => Promise<CacheChoice>) | undefined
  readonly memoryOnlyNote?: string | undefined
  readonly logger: Logger
  readonly onStatus: (status: AccountStatus) => void
  readonly timeoutMs?: number | undefined
}

export interface AccountService {
  status(): Promise<AccountStatus>
  configure(change: AccountConfigure): Promise<AccountStatus>
  signIn(options: { selectAccount: boolean }): Promise<AccountStatus>
  cancelSignIn(): void
  switchAccount(homeAccountId: string): Promise<AccountStatus>
  signOut(homeAccountId: string | null): Promise<AccountStatus>
  discoverResources(): Promise<ResourceDiscovery>
  /** For the session core; silent only. */
  readonly tokenProvider: TokenProvider
}

const view = (account: AccountSummary) => ({
  homeAccountId: account.homeAccountId,
  username: account.username,
  name: account.name,
})

export function createAccountService(options: AccountServiceOptions): AccountService {
  const file = join(options.userDataDir, 'auth', 'account-settings.json')
  const cachePath = join(options.userDataDir, 'auth', 'msal-token-cache.json')
  let stored: Stored = storedSchema.parse({})
  const loaded = readFile(file, 'utf8')
    .then((text) => (stored = storedSchema.parse(JSON.parse(text))))
    .catch(() => undefined) // absent or unreadable: defaults (nothing secret lives here)
  let client: { key: string; signIn: MicrosoftSignIn; cache: CacheChoice | null } | null = null
  let signingIn: AbortController | null = null
  let signInRequired: string | null = null
  let lastError: string | null = null

  const settingValues = () => {
    const authority = stored.authority.trim()
    return {
      clientId: stored.clientId,
      scope: stored.scope,
      ...(authority.startsWith('https://') || authority.includes('://') ? { authority } : { tenant: authority }),
    }
  }

  /** The MSAL client for the current settings (rebuilt when they change); null without a client id. */
  async function current(): Promise<{ signIn: MicrosoftSignIn; cache: CacheChoice | null } | null> {
    await loaded
    const clientId = resolveClientId(settingValues(), options.env)
    if (!clientId) return null
    const authority = resolveAuthority(settingValues(), options.env)
    const key = JSON.stringify([clientId, authority.url, stored.allowUnprotectedCache])
    if (client?.key === key) return client
    const cache = options.chooseProtection ? await options.chooseProtection(stored.allowUnprotectedCache) : null
    const notice = (message: string) => {
      lastError = message
      options.logger.log('warn', message)
    }
    const signIn = new MicrosoftSignIn({
      clientId,
      authority,
      cachePlugin: cache?.persist
        ? tokenCacheFile({ path: cachePath, protection: cache.protection, onNotice: notice })
        : undefined,
      openBrowser: options.openBrowser,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
    })
    client = { key, signIn, cache }
    return client
  }

  async function status(): Promise<AccountStatus> {
    let ready: Awaited<ReturnType<typeof current>> = null
    let configError: string | null = null
    try {
      ready = await current()
    } catch (error) {
      configError = error instanceof AuthOptionError ? error.message : String(error)
    }
    const accounts = ready ? await ready.signIn.accounts() : []
    const chosen = accounts.find((account) => account.homeAccountId === stored.currentAccount) ?? accounts[0] ?? null
    const cache = ready?.cache
    return {
      clientId: resolveClientId({ clientId: stored.clientId }, options.env) ?? null,
      authority: stored.authority,
      scope: resolveScope({ scope: stored.scope }, options.env),
      setupSteps: [...CLIENT_ID_SETUP_STEPS],
      registerCommand: REGISTER_APP_COMMAND,
      cache: {
        persisted: cache?.persist ?? false,
        note: cache
          ? cache.persist
            ? null
            : `Your sign-in is kept in memory for this run only: ${cache.because}.`
          : (options.memoryOnlyNote ?? null),
        canAllowUnprotected: cache?.persist === false && /basic_text/.test(cache.because),
      },
      accounts: accounts.map(view),
      current: chosen ? view(chosen) : null,
      signingIn: signingIn !== null,
      signInRequired,
      lastError: configError ?? lastError,
    }
  }

  async function changed(): Promise<AccountStatus> {
    const next = await status()
    options.onStatus(next)
    return next
  }

  async function save(next: Stored): Promise<void> {
    stored = next
    await mkdir(join(options.userDataDir, 'auth'), { recursive: true, mode: 0o700 })
    await writeFileAtomic(file, `${JSON.stringify(stored, null, 2)}\n`, 0o600)
  }

  async function requireClient(): Promise<MicrosoftSignIn> {
    const ready = await current()
    if (!ready) throw new Error(`No client id is configured. ${CLIENT_ID_SETUP_STEPS[1] ?? ''}`)
    return ready.signIn
  }

  async function token(scope: string): Promise<string> {
    const signIn = await requireClient()
    try {
      const result = await signIn.acquireSilent(scope, stored.currentAccount ?? undefined)
      if (signInRequired) {
        signInRequired = null
        void changed()
      }
      return result.accessToken
    } catch (error) {
      const failure = toSignInError(error)
      if (failure.interactionRequired) {
        signInRequired = `${failure.authorityText} (${failure.nextStep})`
        void changed()
      }
      throw failure
    }
  }

  return {
    status,
    async configure(change) {
      await loaded
      const next = {
        ...stored,
        clientId: change.clientId.trim(),
        authority: change.authority.trim(),
        scope: change.scope.trim(),
        allowUnprotectedCache: change.allowUnprotectedCache ?? stored.allowUnprotectedCache,
      }
      // Refuse a bad authority or scope now, with the reason, rather than at the next sign-in.
      const values = { clientId: next.clientId, scope: next.scope }
      resolveClientId(values, {})
      resolveScope(values, {})
      const authority = next.authority
      if (authority) resolveAuthority(authority.includes('://') ? { authority } : { tenant: authority }, {})
      await save(next)
      return changed()
    },
    async signIn({ selectAccount }) {
      const signIn = await requireClient()
      signingIn?.abort()
      const controller = new AbortController()
      signingIn = controller
      lastError = null
      void changed()
      try {
        const { account } = await signIn.signIn({
          scopes: [resolveScope({ scope: stored.scope }, options.env)],
          extraScopesToConsent: [ARM_SCOPE],
          selectAccount,
          signal: controller.signal,
        })
        signInRequired = null
        await save({ ...stored, currentAccount: account.homeAccountId })
      } catch (error) {
        lastError = (error instanceof SignInError ? error : toSignInError(error)).message
        options.logger.log('warn', 'sign-in failed', { message: lastError })
      } finally {
        if (signingIn === controller) signingIn = null
      }
      return changed()
    },
    cancelSignIn() {
      signingIn?.abort()
    },
    async switchAccount(homeAccountId) {
      await save({ ...stored, currentAccount: homeAccountId })
      return changed()
    },
    async signOut(homeAccountId) {
      const signIn = await requireClient()
      await signIn.signOut(homeAccountId ?? undefined)
      if (homeAccountId === null || homeAccountId === stored.currentAccount)
        await save({ ...stored, currentAccount: null })
      return changed()
    },
    async discoverResources() {
      const found = await discoverVoiceResources({ getToken: () => token(ARM_SCOPE) })
      return {
        resources: found.resources.map(({ subscriptionId: _id, ...resource }) => resource),
        problems: [...found.problems],
      }
    },
    tokenProvider: { getToken: token },
  }
}
