/**
 * The token cache file: encrypted round trip with a key from an (injected) OS keyring, the
 * plaintext fallback with its one-time warning when no keyring answers, and recovery from a
 * corrupt or undecryptable file (moved aside with a timestamp, an empty cache, never a throw).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node'
import { afterEach, describe, expect, it } from 'vitest'
import {
  chooseKeyringProtection,
  warnPlaintextOnce,
  type KeyringEntry,
} from '../../src-main/auth/keyring-protection.js'
import { plaintextProtection, tokenCacheFile, type CacheProtection } from '../../src-main/auth/token-cache-file.js'

const SECRET_CACHE = JSON.stringify({ AccessToken: { k: { secret: 'at-SECRET-access-token-value' } }, Account: {} })

/** A stand-in for MSAL's cache context: what the plugin reads and writes. */
function context(serialized: string, changed: boolean) {
  const received: string[] = []
  const value = {
    cacheHasChanged: changed,
    tokenCache: { serialize: () => serialized, deserialize: (json: string) => void received.push(json) },
  }
  return { context: value as unknown as TokenCacheContext, received }
}

async function write(plugin: ICachePlugin, json: string): Promise<void> {
  await plugin.afterCacheAccess(context(json, true).context)
}
async function read(plugin: ICachePlugin): Promise<string[]> {
  const { context: ctx, received } = context('', false)
  await plugin.beforeCacheAccess(ctx)
  return received
}

/** A keyring in memory; `broken` makes every call fail as a missing Secret Service does. */
function memoryKeyring(options: { broken?: boolean } = {}) {
  let stored: string | null = null
  const entry: KeyringEntry = {
    getPassword: async () => {
      if (options.broken) throw new Error("Couldn't access platform storage: no D-Bus")
      return stored
    },
    setPassword: async (password) => {
      if (options.broken) throw new Error("Couldn't access platform storage: no D-Bus")
      stored = password
    },
  }
  return { entry: () => Promise.resolve(entry), reset: () => (stored = null) }
}

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vl-cache-'))
  dirs.push(dir)
  return dir
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))

const open = async (path: string, protection: CacheProtection) => {
  const notices: string[] = []
  return { plugin: tokenCacheFile({ path, protection, onNotice: (m) => notices.push(m) }), notices }
}

describe('token cache file', () => {
  it('round-trips encrypted with the keyring key; the file holds no token; owner-only', async () => {
    const keyring = memoryKeyring()
    const path = join(tempDir(), 'auth', 'cache.json')
    const first = await chooseKeyringProtection(keyring.entry)
    expect(first.plaintextBecause).toBeNull()
    await write((await open(path, first.protection)).plugin, SECRET_CACHE)
    const onDisk = readFileSync(path, 'utf8')
    expect(onDisk).not.toContain('at-SECRET')
    expect(JSON.parse(onDisk)).toMatchObject({ format: 'voice-live-token-cache', protection: 'keyring-aes-256-gcm' })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    // A second process: the same key comes from the keyring.
    const second = await chooseKeyringProtection(keyring.entry)
    expect(await read((await open(path, second.protection)).plugin)).toEqual([SECRET_CACHE])
  })

  it('does not write when the cache did not change', async () => {
    const path = join(tempDir(), 'cache.json')
    const { plugin } = await open(path, plaintextProtection)
    await plugin.afterCacheAccess(context(SECRET_CACHE, false).context)
    expect(existsSync(path)).toBe(false)
  })

  it('a keyring that was reset: the old cache is moved aside with a timestamp, the cache starts empty', async () => {
    const keyring = memoryKeyring()
    const dir = tempDir()
    const path = join(dir, 'cache.json')
    await write((await open(path, (await chooseKeyringProtection(keyring.entry)).protection)).plugin, SECRET_CACHE)
    keyring.reset()
    const { plugin, notices } = await open(path, (await chooseKeyringProtection(keyring.entry)).protection)
    expect(await read(plugin)).toEqual([])
    expect(notices).toEqual([
      expect.stringMatching(/could not be decrypted .*keyring was reset.*moved to .*cache\.json\.unreadable-\d{4}-/),
    ])
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.startsWith('cache.json.unreadable-'))).toHaveLength(1)
    // And the next sign-in is saved again.
    await write(plugin, SECRET_CACHE)
    expect(await read(plugin)).toEqual([SECRET_CACHE])
  })

  it.each([
    ['garbage', 'not json at all {'],
    ['another JSON file', '{"hello":1}'],
    ['a truncated envelope', '{"format":"voice-live-token-cache","version":1,"protection":"plaintext","data":"{\\"Acc'],
  ])('a corrupt file (%s) is moved aside, never thrown', async (_name, content) => {
    const dir = tempDir()
    const path = join(dir, 'cache.json')
    writeFileSync(path, content)
    const { plugin, notices } = await open(path, plaintextProtection)
    expect(await read(plugin)).toEqual([])
    expect(notices).toHaveLength(1)
    expect(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')).toBe(content) // kept for the user
  })

  it('no keyring: plaintext, and the warning is given once per config folder', async () => {
    const chosen = await chooseKeyringProtection(memoryKeyring({ broken: true }).entry)
    expect(chosen.protection.kind).toBe('plaintext')
    expect(chosen.plaintextBecause).toMatch(/no D-Bus/)
    const path = join(tempDir(), 'auth', 'cache.json')
    const warnings: string[] = []
    await warnPlaintextOnce(path, chosen.plaintextBecause!, (line) => warnings.push(line))
    await warnPlaintextOnce(path, chosen.plaintextBecause!, (line) => warnings.push(line))
    expect(warnings).toEqual([
      expect.stringMatching(/no OS keyring answered .*no D-Bus.*unencrypted at .*cache\.json, readable only by you/),
    ])
    await write((await open(path, chosen.protection)).plugin, SECRET_CACHE)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('a cache written in plaintext is not trusted as encrypted (and the reverse): moved aside', async () => {
    const keyring = memoryKeyring()
    const path = join(tempDir(), 'cache.json')
    await write((await open(path, plaintextProtection)).plugin, SECRET_CACHE)
    const { plugin, notices } = await open(path, (await chooseKeyringProtection(keyring.entry)).protection)
    expect(await read(plugin)).toEqual([])
    expect(notices[0]).toMatch(/protected with plaintext, this run uses keyring-aes-256-gcm/)
  })
})
