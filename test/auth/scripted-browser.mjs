#!/usr/bin/env node
// A scripted "browser" for BROWSER=<this file>: gets the sign-in URL as its one argument, loads it,
// and submits the authority's form_post page to the loopback redirect, as a real browser would.
// SCRIPTED_BROWSER_LOG (a file) receives the URL it was given and the page the loopback showed.
// SCRIPTED_BROWSER_MODE=ignore opens nothing (the user walked away), for cancel and timeout.
// In-process tests import `followSignIn` instead.
import { appendFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Load the authorize URL, post its form to the loopback; resolves with the loopback's answer. */
export async function followSignIn(url) {
  const page = await (await fetch(url)).text()
  const action = page.match(/<form method="post" action="([^"]+)"/)?.[1]?.replace(/&#38;/g, '&')
  if (!action) throw new Error(`no form: ${page.slice(0, 200)}`)
  const fields = new URLSearchParams()
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(
      name,
      value.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
    )
  }
  const answer = await fetch(action, { method: 'POST', body: fields })
  return { status: answer.status, page: (await answer.text()).replace(/\s+/g, ' ') }
}

const isEntryPoint = () => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  const url = process.argv[2] ?? ''
  const log = (line) =>
    process.env.SCRIPTED_BROWSER_LOG && appendFileSync(process.env.SCRIPTED_BROWSER_LOG, `${line}\n`)
  log(`argv ${JSON.stringify(process.argv.slice(2))}`)
  if (process.env.SCRIPTED_BROWSER_MODE !== 'ignore') {
    try {
      const answer = await followSignIn(url)
      log(`loopback ${answer.status} ${answer.page}`)
    } catch (error) {
      log(String(error))
      process.exit(1)
    }
  }
}
