/**
 * Our MSAL `ICachePlugin`: the token cache (MSAL's own JSON) in one file, protected by a
 * `CacheProtection` (Electron safeStorage in the app, a keyring-held AES key or plaintext in the
 * CLI, nothing at all in the harness's memory-only mode), written atomically with owner-only
 * permissions.
 *
 * A file that cannot be read, parsed or decrypted (keychain reset, profile moved to another
 * machine, desktop changed) is moved aside with a timestamp and the cache starts empty: the user
 * signs in again, never a crash. `onNotice` tells them once why.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node'
import { z } from 'zod'
import { moveAside } from '../app-data/move-aside.js'
import { writeFileAtomic } from '../app-data/write-file-atomic.js'

/** How the cache is protected on disk. */
export interface CacheProtection {
  /** Written into the file so a later run knows how to read it. */
  readonly kind: 'safe-storage' | 'keyring-aes-256-gcm' | 'plaintext'
  seal(plaintext: string): Promise<string>
  open(sealed: string): Promise<string>
}

/** Whether a host can keep the cache on disk, and how; or why it keeps it in memory only. */
export type CacheChoice =
  | { readonly persist: true; readonly protection: CacheProtection }
  | { readonly persist: false; readonly because: string }

/** The plaintext "protection" (no OS keyring): the file's owner-only mode is all there is. */
export const plaintextProtection: CacheProtection = {
  kind: 'plaintext',
  seal: (plaintext) => Promise.resolve(plaintext),
  open: (sealed) => Promise.resolve(sealed),
}

const envelopeSchema = z.object({
  format: z.literal('voice-live-token-cache'),
  version: z.literal(1),
  protection: z.enum(['safe-storage', 'keyring-aes-256-gcm', 'plaintext']),
  data: z.string(),
})

export interface TokenCacheFileOptions {
  readonly path: string
  readonly protection: CacheProtection
  /** A problem the user should hear about (unreadable file moved aside, write failure). */
  readonly onNotice?: (message: string) => void
}

export function tokenCacheFile(options: TokenCacheFileOptions): ICachePlugin {
  const notice = options.onNotice ?? (() => undefined)
  const { path, protection } = options

  async function load(): Promise<string | null> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      notice(`The saved sign-in at ${path} could not be read (${(error as Error).message}); sign in again.`)
      return null
    }
    try {
      const envelope = envelopeSchema.parse(JSON.parse(text))
      if (envelope.protection !== protection.kind) {
        throw new Error(`it was protected with ${envelope.protection}, this run uses ${protection.kind}`)
      }
      const json = await protection.open(envelope.data)
      JSON.parse(json) // MSAL's deserialize would throw later, inside its own flow
      return json
    } catch (error) {
      const why = error instanceof z.ZodError ? 'it is not a token cache file' : (error as Error).message
      await moveAside(
        path,
        `The saved sign-in could not be decrypted or read (${why.slice(0, 200)}); sign in again`,
        notice,
      )
      return null
    }
  }

  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const json = await load()
      if (json !== null) context.tokenCache.deserialize(json)
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (!context.cacheHasChanged) return
      try {
        const envelope = {
          format: 'voice-live-token-cache',
          version: 1,
          protection: protection.kind,
          data: await protection.seal(context.tokenCache.serialize()),
        }
        await mkdir(dirname(path), { recursive: true, mode: 0o700 })
        await writeFileAtomic(path, `${JSON.stringify(envelope)}\n`, 0o600)
      } catch (error) {
        // The token is still good for this run; only the next run will have to sign in again.
        notice(`The sign-in could not be saved to ${path} (${(error as Error).message}); it lasts for this run only.`)
      }
    },
  }
}
