/**
 * Content Security Policies for the renderer. The renderer needs no network: the Voice Live socket
 * lives in main. AudioWorklet modules are scripts, so `script-src 'self'` covers them.
 */

const policy = (directives: Record<string, string>): string =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')

const base = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'media-src': "'self' blob:",
  'connect-src': "'none'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  'worker-src': "'self'",
}

/** The packaged app, served from app://renderer. */
export const PRODUCTION_CSP = policy(base)

/**
 * `electron-vite dev`: Vite's React Refresh injects an inline preamble and HMR talks over a
 * WebSocket to the dev server, so only this policy allows inline scripts and a local socket.
 */
export const DEVELOPMENT_CSP = policy({
  ...base,
  'script-src': "'self' 'unsafe-inline'",
  'style-src': "'self' 'unsafe-inline'",
  'connect-src': "'self' ws://localhost:* ws://127.0.0.1:*",
})

/** The browser harness: production policy plus the one loopback socket that carries the bridge. */
export function harnessCsp(pageOrigin: string): string {
  const wsOrigin = pageOrigin.replace(/^http:/, 'ws:')
  return policy({ ...base, 'connect-src': `${wsOrigin}` })
}
