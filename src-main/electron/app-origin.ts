/** The renderer's origin: a privileged custom scheme, never file:// (Electron security #18). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** True when `url` belongs to the page main loaded: app://renderer, or the Vite dev server in dev. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  // Not `parsed.origin`: Node's URL gives every custom scheme the origin "null".
  if (`${parsed.protocol}//${parsed.host}` === APP_ORIGIN) return true
  return devServerUrl !== undefined && parsed.origin === new URL(devServerUrl).origin
}
