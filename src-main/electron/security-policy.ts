/**
 * Session- and webContents-level security: permissions, navigation, new windows, external links.
 * The decisions are plain functions so tests can call them with the real handler Electron would.
 */
import type { Session, WebContents } from 'electron'
import { isAppUrl } from './app-origin.js'

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0]
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0]
type Permission = Parameters<NonNullable<CheckHandler>>[1]

/** Hosts whose https pages the app may open in the user's browser (docs, sign-in, portal). */
const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'learn.microsoft.com',
  'login.microsoftonline.com',
  'ai.azure.com',
  'portal.azure.com',
  'github.com',
])

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && EXTERNAL_HOSTS.has(parsed.hostname)
  } catch {
    return false
  }
}

/**
 * Microphone capture (audio only, never video or screen) and speaker selection (setSinkId),
 * and only for the app's own page. Everything else is denied.
 */
export function isPermissionAllowed(
  permission: Permission,
  origin: string,
  mediaTypes: readonly string[] | undefined,
  devServerUrl: string | undefined,
): boolean {
  if (!isAppUrl(origin, devServerUrl)) return false
  if (permission === 'speaker-selection') return true
  if (permission !== 'media') return false
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((type) => type === 'audio')
}

export function installSessionSecurity(session: Session, devServerUrl: string | undefined): void {
  const onRequest: RequestHandler = (_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    callback(isPermissionAllowed(permission, details.requestingUrl, mediaTypes, devServerUrl))
  }
  const onCheck: CheckHandler = (_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(
      permission,
      requestingOrigin,
      details.mediaType === undefined ? undefined : [details.mediaType],
      devServerUrl,
    )
  session.setPermissionRequestHandler(onRequest)
  session.setPermissionCheckHandler(onCheck)
}

/** Applied to every webContents the app creates: no navigation away, no pop-ups, no webviews. */
export function hardenWebContents(contents: WebContents, devServerUrl: string | undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
