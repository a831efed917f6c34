/**
 * The pages MSAL's loopback server shows in the browser tab once the authority redirects back.
 * Inline strings (no files), so they survive packaging into an asar.
 */
const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  '<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}' +
  'h1{font-size:1.4rem}</style></head>' +
  `<body><h1>${title}</h1><p>${body}</p></body></html>`

export const SIGN_IN_SUCCESS_PAGE = page(
  'Signed in to Voice Live Desktop',
  'You can close this tab and return to Voice Live Desktop (or your terminal).',
)

export const SIGN_IN_ERROR_PAGE = page(
  'Sign-in did not finish',
  'Return to Voice Live Desktop (or your terminal): it shows what went wrong and what to do next.',
)
