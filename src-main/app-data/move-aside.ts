/**
 * A data file that cannot be read (damaged, or encrypted with a key the keychain no longer has)
 * is moved out of the way with a timestamp, never deleted or overwritten, so the user's data stays
 * on disk and the app starts as if the file were absent. Used by the token cache, the app's
 * encrypted API key, and (for its name) the presets store.
 */
import { rename } from 'node:fs/promises'

/** Timestamp for files moved aside: sortable, no characters a file system dislikes. */
export const asideStamp = (date: Date = new Date()): string => date.toISOString().replace(/[:.]/g, '-')

/**
 * Move an unreadable file to `<file>.unreadable-<timestamp>` and say so; the caller carries on as
 * if it never existed.
 */
export async function moveAside(path: string, reason: string, onNotice: (message: string) => void): Promise<void> {
  const aside = `${path}.unreadable-${asideStamp()}`
  try {
    await rename(path, aside)
    onNotice(`${reason}; it was moved to ${aside}.`)
  } catch (error) {
    onNotice(`${reason}, and it could not be moved aside (${(error as Error).message}).`)
  }
}
