import { shell } from 'electron'
import { isAllowedExternalUrl } from './security-policy.js'

/** Opens an allow-listed https URL in the user's browser; anything else is refused with a reason. */
export async function openExternalUrl(url: string): Promise<void> {
  if (!isAllowedExternalUrl(url)) {
    throw new Error(`Refused to open ${JSON.stringify(url.slice(0, 200))}: only https links to known Microsoft/Azure hosts may be opened.`)
  }
  await shell.openExternal(url)
}
