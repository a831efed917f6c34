/**
 * "My Azure CLI account (az login)" end to end in the real UI, with a fake `az` first on PATH and
 * a local engine that accepts only that account's token as its bearer: picking the profile and an
 * endpoint is all it takes, the status bar says which account is in use, and the token never
 * crosses the bridge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { useFakeAzureTools } from '../support/fake-azure-tools.js'
import { openApp, statusText, waitForStatus, type AppUnderTest } from './app-page.js'

const TOKEN = 'fake-az-e2e-token-9a8b7c6d5e4f3a2b'

describe('connecting with my Azure CLI account', () => {
  const tools = useFakeAzureTools()
  let engine: LocalEngine
  let app: AppUnderTest

  beforeAll(async () => {
    engine = await startLocalEngine({ host: '127.0.0.1', port: 0, apiKey: TOKEN })
    app = await openApp()
  })
  afterAll(async () => {
    await app?.close()
    await engine?.close()
  })

  it('connects with no key, shows the az account in the status bar, and never sends the token to the window', async () => {
    const { page, wire } = app
    // The harness runs in this test's worker process, so @azure/identity finds the fake az.
    tools.azSignIn({ token: TOKEN, expiresInS: 3600, user: 'ada@contoso.com' })
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('radio', { name: 'My Azure CLI account (az login)' }).click()
    await page.getByLabel('Endpoint').fill(engine.url)
    expect(await page.getByLabel('API key', { exact: true }).count()).toBe(0)
    await page.getByRole('button', { name: 'Save connection' }).click()
    // Start must not overtake the save: wait for main's answer that holds the endpoint.
    await expect
      .poll(() => wire.records.some((r) => r.from === 'main' && (JSON.stringify(r.payload) ?? '').includes(engine.url)))
      .toBe(true)
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live.*as ada@contoso\.com \(Azure CLI\)/s)
    expect(tools.calls('az')).toContain('account get-access-token --output json --resource https://ai.azure.com')
    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)
    expect(await statusText(page)).not.toContain('ada@contoso.com')
    for (const record of wire.records) expect(JSON.stringify(record.payload) ?? '').not.toContain(TOKEN)
  })
})
