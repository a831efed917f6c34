// Node module hooks for the start-up smoke test: `electron` resolves to the typed recording fake
// (test/support/electron-fake.ts, loaded through tsx), so the built main bundle runs under plain
// Node exactly as it would import Electron, with every call recorded.
import { register } from 'node:module'

register('data:text/javascript,' + encodeURIComponent(`
  const fake = ${JSON.stringify(new URL('./electron-fake.ts', import.meta.url).href)}
  export async function resolve(specifier, context, next) {
    // Resolved on through the chain (tsx's resolver first), so tsx loads the .ts fake even on a
    // Node without built-in type stripping; a short-circuit left it to Node's loader, which
    // refuses ".ts" on Node 20.
    if (specifier === 'electron') return next(fake, context)
    return next(specifier, context)
  }
`))
