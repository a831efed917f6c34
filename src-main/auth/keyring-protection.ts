/**
 * Token cache protection for plain Node (the CLI): AES-256-GCM with a random key kept in the OS
 * keyring (`@napi-rs/keyring`: Keychain, Credential Manager, Secret Service). Where no keyring
 * answers (a server, a container, no D-Bus), the cache stays plaintext under owner-only permissions,
 * as the Azure CLI does on Linux, and the user is warned once.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { plaintextProtection, type CacheProtection } from './token-cache-file.js'

/** The few keyring calls we need; tests inject their own. */
export interface KeyringEntry {
  getPassword(): Promise<string | null>
  setPassword(password: string): Promise<void>
}

export const KEYRING_SERVICE = 'Voice Live Desktop'
export const KEYRING_ACCOUNT = 'token-cache-key'

/** The real OS keyring, loaded lazily: a missing native module is just "no keyring". */
export async function osKeyringEntry(): Promise<KeyringEntry> {
  const { AsyncEntry } = await import('@napi-rs/keyring')
  const entry = new AsyncEntry(KEYRING_SERVICE, KEYRING_ACCOUNT)
  return { getPassword: () => entry.getPassword(), setPassword: (password) => entry.setPassword(password) }
}

/** AES-256-GCM: `iv.tag.ciphertext`, each base64. */
export function aesGcmProtection(key: Buffer): CacheProtection {
  return {
    kind: 'keyring-aes-256-gcm',
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return Promise.resolve([iv, cipher.getAuthTag(), data].map((part) => part.toString('base64')).join('.'))
    },
    open(sealed) {
      const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64'))
      if (!iv || !tag || !data || iv.length !== 12 || tag.length !== 16)
        throw new Error('the encrypted data is malformed')
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      try {
        return Promise.resolve(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'))
      } catch {
        throw new Error('the key in the OS keyring does not decrypt it (the keyring was reset or is another one)')
      }
    },
  }
}

export interface ChosenProtection {
  readonly protection: CacheProtection
  /** Why the cache is not encrypted; null when it is. */
  readonly plaintextBecause: string | null
}

/**
 * The key from the keyring, made and stored on first use; plaintext when the keyring does not
 * answer. A stored value that is not a 32-byte key is replaced (the old cache then fails to
 * decrypt and is moved aside by the cache file).
 */
export async function chooseKeyringProtection(
  entry: () => Promise<KeyringEntry> = osKeyringEntry,
): Promise<ChosenProtection> {
  try {
    const keyring = await entry()
    const stored = await keyring.getPassword()
    const key = stored ? Buffer.from(stored, 'base64') : null
    if (key?.length === 32) return { protection: aesGcmProtection(key), plaintextBecause: null }
    const fresh = randomBytes(32)
    await keyring.setPassword(fresh.toString('base64'))
    return { protection: aesGcmProtection(fresh), plaintextBecause: null }
  } catch (error) {
    return { protection: plaintextProtection, plaintextBecause: (error as Error).message }
  }
}

/**
 * Warn once (per config folder) that the cache is plaintext: a marker file next to the cache
 * remembers that the warning was given.
 */
export async function warnPlaintextOnce(cachePath: string, why: string, warn: (line: string) => void): Promise<void> {
  const marker = `${cachePath}.plaintext-warned`
  if (existsSync(marker)) return
  warn(
    `warning: no OS keyring answered (${why}); the sign-in cache is stored unencrypted at ${cachePath}, ` +
      'readable only by you (as the Azure CLI does on Linux). Run "voicelive auth logout --all" to remove it.',
  )
  try {
    await mkdir(dirname(marker), { recursive: true, mode: 0o700 })
    writeFileSync(marker, `${new Date().toISOString()}\n`, { mode: 0o600 })
  } catch {
    // Warning again next time is the worst that can happen.
  }
}
