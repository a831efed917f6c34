import { shell } from 'electron'
import { isAllowedExternalUrl } from './security-policy.js'

/** Opens an allow-listed https URL in the user's browser; anything else is refused with a reason. */
export async function openExternalUrl(url: string): Promise<void> {
  if (!isAllowedExternalUrl(url)) {
    throw new Error(`Refused to open ${JSON.stringify(url.slice(0, 200))}: only https links to known Microsoft/Azure hosts may be opened.`)
  }
  await shell.openExternal(url)
}

/**
 * Opens the sign-in page of the configured authority (any https authority the user set, so not
 * the Microsoft allow-list above). MSAL builds the URL; it carries no secret (PKCE challenge only).
 */
export async function openSignInPage(url: string): Promise<void> {
  if (!url.startsWith('https://')) throw new Error('Refused to open a sign-in page that is not https.')
  await shell.openExternal(url)
}
