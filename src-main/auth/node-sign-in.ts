/**
 * Sign-in for the plain-Node hosts (CLI and harness): options and environment resolved, the
 * token cache file under the config folder protected by the OS keyring (or plaintext with a
 * one-time warning), or kept only in memory (the harness).
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { resolveAppDataDir } from '../app-data/app-data-dir.js'
import type { Logger } from '../logging/logger.js'
import {
  AuthOptionError,
  CLIENT_ID_SETUP_STEPS,
  resolveAuthority,
  resolveClientId,
  type AuthOptionValues,
} from './auth-options.js'
import { chooseKeyringProtection, warnPlaintextOnce, type KeyringEntry } from './keyring-protection.js'
import { MicrosoftSignIn } from './microsoft-sign-in.js'
import { systemBrowser } from './system-browser.js'
import { tokenCacheFile } from './token-cache-file.js'

/** The token cache, relative to the config folder. */
export const TOKEN_CACHE_FILE = join('auth', 'msal-token-cache.json')

/** Seconds; overrides the 5-minute wait for the browser (tests, slow single sign-on). */
export const SIGN_IN_TIMEOUT_VARIABLE = 'VOICE_LIVE_SIGN_IN_TIMEOUT'

export interface NodeSignInOptions {
  readonly values: AuthOptionValues
  readonly env: Readonly<Record<string, string | undefined>>
  /** Warnings for the user (the CLI's stderr). */
  readonly warn: (line: string) => void
  /** 'file': under the config folder; 'memory': this process only (the harness). */
  readonly cache: 'file' | 'memory'
  readonly timeoutMs?: number | undefined
  readonly logger?: Logger | undefined
  /**
   * False for `auth status`/`logout`: listing and removing cached accounts needs no app
   * registration, and MSAL only wants some id to construct a client.
   */
  readonly requireClientId?: boolean | undefined
  /** Tests inject a keyring; default the OS one. */
  readonly keyring?: (() => Promise<KeyringEntry>) | undefined
}

const CACHE_READER_ID = 'voice-live-cache-reader'

export function signInTimeoutMs(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env[SIGN_IN_TIMEOUT_VARIABLE]?.trim()
  if (!text) return undefined
  const seconds = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 3600) {
    throw new AuthOptionError(`${SIGN_IN_TIMEOUT_VARIABLE} expects seconds from 1 to 3600 (got "${text}")`)
  }
  return seconds * 1000
}

export function tokenCachePath(env: Readonly<Record<string, string | undefined>>): string {
  return join(resolveAppDataDir({ env, platform: process.platform, home: homedir() }), TOKEN_CACHE_FILE)
}

export async function openNodeSignIn(options: NodeSignInOptions): Promise<MicrosoftSignIn> {
  const clientId =
    resolveClientId(options.values, options.env) ?? (options.requireClientId === false ? CACHE_READER_ID : undefined)
  if (!clientId) throw new AuthOptionError(`no client id is configured.\n${CLIENT_ID_SETUP_STEPS.join('\n')}`)
  const authority = resolveAuthority(options.values, options.env)
  let cachePlugin
  if (options.cache === 'file') {
    const path = tokenCachePath(options.env)
    const { protection, plaintextBecause } = await chooseKeyringProtection(options.keyring)
    if (plaintextBecause !== null) await warnPlaintextOnce(path, plaintextBecause, options.warn)
    cachePlugin = tokenCacheFile({ path, protection, onNotice: (message) => options.warn(`warning: ${message}`) })
  }
  return new MicrosoftSignIn({
    clientId,
    authority,
    cachePlugin,
    openBrowser: systemBrowser(options.env),
    timeoutMs: options.timeoutMs ?? signInTimeoutMs(options.env),
    logger: options.logger,
  })
}
