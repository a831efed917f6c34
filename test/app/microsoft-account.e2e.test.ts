/**
 * The Microsoft account in the UI (harness in Chromium): the set-up steps with the command to copy
 * when no client id is set, the harness's "memory only" note, signing in through MSAL against the
 * local https OIDC authority, the status bar showing who is signed in, and no token anywhere the
 * renderer can see (the bridge traffic and the page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLIENT_ID,
  USERNAME,
  makeCertificate,
  startFakeAuthority,
  trustInThisProcess,
  type Certificate,
  type FakeAuthority,
} from '../auth/fake-oidc-authority.js'
import { followSignIn } from '../auth/scripted-browser.mjs'
import { openApp, waitUntil, type AppUnderTest } from './app-page.js'

describe('Microsoft account in the UI', () => {
  let certificate: Certificate
  let untrust: () => void
  let authority: FakeAuthority
  let app: AppUnderTest

  beforeAll(async () => {
    certificate = makeCertificate()
    untrust = trustInThisProcess(certificate)
    authority = await startFakeAuthority(certificate)
    app = await openApp({ account: { openBrowser: async (url) => void (await followSignIn(url)), env: {} } })
  })
  afterAll(async () => {
    await app?.close()
    await authority?.close()
    untrust?.()
  })

  it('guides the set-up, signs in, and shows who is signed in; no token reaches the page', async () => {
    const { page, wire } = app
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('Azure, with my Microsoft account').check()
    const setup = page.getByRole('note', { name: 'Sign-in set-up' })
    await expect.poll(() => setup.innerText()).toContain('ships no shared client id')
    expect(await page.getByLabel('Registration command').innerText()).toMatch(/^az ad app create .*http:\/\/localhost/)
    expect(await page.getByText('keeps your sign-in in memory only').count()).toBe(1)

    await page.getByLabel('Client id (your app registration)').fill(CLIENT_ID)
    await page.getByLabel('Tenant or authority').fill(authority.authority)
    await page.getByRole('button', { name: 'Save sign-in settings' }).click()
    await expect.poll(() => setup.count()).toBe(0)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()

    const account = page.getByRole('status', { name: 'Microsoft account' })
    await waitUntil(
      () => account.innerText(),
      (text) => text.includes(USERNAME),
      'signed in',
    )
    expect(await page.getByLabel('Signed in').innerText()).toContain(`Signed in as ${USERNAME}`)
    expect(authority.grants).toEqual(['authorization_code'])

    const seen = JSON.stringify(wire.records) + (await page.content())
    expect(seen).toContain(USERNAME)
    for (const secret of [...authority.accessTokens, ...authority.refreshTokens]) expect(seen).not.toContain(secret)
  })
})
