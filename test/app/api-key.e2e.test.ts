/**
 * The Azure profile end to end, against a local engine that demands a key: the key typed in
 * Settings goes to main, which presents it on the handshake, and it never comes back over the
 * bridge. A wrong key ends in an authentication error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine, type LocalEngine } from '../../src-main/engine/server.js'
import { openApp, statusText, waitForStatus, type AppUnderTest } from './app-page.js'

const KEY = 'vl-test-key-3f9c2e71a4b8d605'

describe('connecting with an API key', () => {
  let engine: LocalEngine
  let app: AppUnderTest

  beforeAll(async () => {
    engine = await startLocalEngine({ host: '127.0.0.1', port: 0, apiKey: KEY })
    app = await openApp()
  })
  afterAll(async () => {
    await app?.close()
    await engine?.close()
  })

  const saveConnection = async (key: string) => {
    const { page } = app
    await page.getByRole('tab', { name: 'Settings' }).click()
    // The radio follows the settings main returns, so wait for the Azure fields to appear.
    await page.getByRole('radio', { name: 'Azure, with an API key' }).click()
    await page.getByLabel('Endpoint').fill(engine.url)
    await page.getByLabel('API key', { exact: true }).fill(key)
    await page.getByRole('button', { name: 'Save connection' }).click()
    await page.getByPlaceholder('A key is stored (type to replace it)').waitFor({ timeout: 5_000 })
  }

  it('refuses a wrong key with an authentication error', async () => {
    const { page } = app
    await saveConnection('not-the-key')
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Error/)
    expect(await statusText(page)).toMatch(/key|auth|denied|401/i)
  })

  it('connects with the right key, which never travels back to the window', async () => {
    const { page, wire } = app
    await saveConnection(KEY)
    await page.getByRole('button', { name: 'Start', exact: true }).click()
    await waitForStatus(page, /Live/)
    await page.getByRole('button', { name: 'End', exact: true }).click()
    await waitForStatus(page, /Ready/)

    const sentByPage = wire.records.filter((r) => r.from === 'page' && (JSON.stringify(r.payload) ?? '').includes(KEY))
    expect(sentByPage.map((r) => r.channel)).toEqual(['settings.update'])
    const fromMain = wire.records.filter((r) => r.from === 'main')
    expect(fromMain.filter((r) => r.channel === 'result').length).toBeGreaterThan(4) // answers included
    for (const record of fromMain) expect(JSON.stringify(record.payload) ?? '').not.toContain(KEY)
  })
})
