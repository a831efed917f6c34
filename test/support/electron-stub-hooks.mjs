// Node module hooks for the start-up smoke test: `electron` resolves to the typed recording fake
// (test/support/electron-fake.ts, loaded through tsx), so the built main bundle runs under plain
// Node exactly as it would import Electron, with every call recorded.
import { register } from 'node:module'

register('data:text/javascript,' + encodeURIComponent(`
  const fake = ${JSON.stringify(new URL('./electron-fake.ts', import.meta.url).href)}
  export async function resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: fake, shortCircuit: true }
    return next(specifier, context)
  }
`))
