/**
 * Resource discovery against a local fake Azure Resource Manager: paging through nextLink (and
 * never following it to another host with the token), no subscriptions, no resources, 403s.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ArmError, discoverVoiceResources, type ArmOptions } from '../../src-main/auth/arm-discovery.js'

type Route = (url: URL) => { status: number; body: unknown }
let server: Server | null = null
const seen: { path: string; authorization: string | undefined }[] = []

async function fakeArm(route: Route): Promise<ArmOptions> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    seen.push({ path: `${url.pathname}${url.search}`, authorization: request.headers.authorization })
    const { status, body } = route(url)
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { baseUrl, getToken: async () => 'arm-token-1' }
}

afterEach(async () => {
  seen.length = 0
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = null
})

const subscription = (id: string, name: string) => ({
  subscriptionId: id,
  displayName: name,
  tenantId: 't1',
  state: 'Enabled',
})
const account = (sub: string, name: string, kind: string, subdomain: string | null = name) => ({
  id: `/subscriptions/${sub}/resourceGroups/rg-${name}/providers/Microsoft.CognitiveServices/accounts/${name}`,
  name,
  kind,
  location: 'swedencentral',
  properties: { endpoint: `https://${name}.cognitiveservices.azure.com/`, customSubDomainName: subdomain },
})
const forbidden = { error: { code: 'AuthorizationFailed', message: "The client 'ada' does not have authorization" } }

describe('ARM discovery', () => {
  it('follows nextLink through subscriptions and accounts, keeps Voice Live kinds, sends the token', async () => {
    let base = ''
    const options = await fakeArm((url) => {
      if (url.pathname === '/subscriptions' && !url.searchParams.has('page')) {
        return {
          status: 200,
          body: { value: [subscription('s1', 'Dev')], nextLink: `${base}/subscriptions?api-version=2022-12-01&page=2` },
        }
      }
      if (url.pathname === '/subscriptions') return { status: 200, body: { value: [subscription('s2', 'Prod')] } }
      if (
        url.pathname === '/subscriptions/s1/providers/Microsoft.CognitiveServices/accounts' &&
        !url.searchParams.has('page')
      ) {
        return {
          status: 200,
          body: {
            value: [account('s1', 'voice-dev', 'AIServices'), account('s1', 'translator', 'TextTranslation')],
            nextLink: `${base}${url.pathname}?api-version=2025-09-01&page=2`,
          },
        }
      }
      if (url.pathname === '/subscriptions/s1/providers/Microsoft.CognitiveServices/accounts') {
        return { status: 200, body: { value: [account('s1', 'speech-old', 'SpeechServices', null)] } }
      }
      return { status: 200, body: { value: [account('s2', 'voice-prod', 'CognitiveServices')] } }
    })
    base = options.baseUrl!
    const found = await discoverVoiceResources(options)
    expect(found.problems).toEqual([])
    expect(found.resources.map((r) => [r.name, r.subscriptionName, r.resourceGroup, r.endpoint, r.entraReady])).toEqual(
      [
        ['voice-dev', 'Dev', 'rg-voice-dev', 'https://voice-dev.cognitiveservices.azure.com/', true],
        ['speech-old', 'Dev', 'rg-speech-old', 'https://speech-old.cognitiveservices.azure.com/', false],
        ['voice-prod', 'Prod', 'rg-voice-prod', 'https://voice-prod.cognitiveservices.azure.com/', true],
      ],
    )
    expect(seen).toHaveLength(5)
    expect(seen.every((request) => request.authorization === 'Bearer arm-token-1')).toBe(true)
    expect(seen.every((request) => !request.path.includes('arm-token-1'))).toBe(true)
  })

  it('no subscriptions: a specific message', async () => {
    const options = await fakeArm(() => ({ status: 200, body: { value: [] } }))
    await expect(discoverVoiceResources(options)).rejects.toThrow(/sees no enabled Azure subscription in this tenant/)
  })

  it('subscriptions but no resources: a specific message', async () => {
    const options = await fakeArm((url) =>
      url.pathname === '/subscriptions'
        ? { status: 200, body: { value: [subscription('s1', 'Dev')] } }
        : { status: 200, body: { value: [account('s1', 'translator', 'TextTranslation')] } },
    )
    await expect(discoverVoiceResources(options)).rejects.toThrow(
      /None of your 1 subscription\(s\) holds an AI Services/,
    )
  })

  it('403 on the subscriptions: the role to ask for', async () => {
    const options = await fakeArm(() => ({ status: 403, body: forbidden }))
    const error = (await discoverVoiceResources(options).catch((e: unknown) => e)) as ArmError
    expect(error).toBeInstanceOf(ArmError)
    expect(error.status).toBe(403)
    expect(error.message).toMatch(/may not list subscriptions \(AuthorizationFailed: .*\)\. Ask for the Reader role/)
  })

  it('403 on one subscription: the others still count, the problem is reported', async () => {
    const options = await fakeArm((url) => {
      if (url.pathname === '/subscriptions')
        return { status: 200, body: { value: [subscription('s1', 'Locked'), subscription('s2', 'Open')] } }
      if (url.pathname.startsWith('/subscriptions/s1/')) return { status: 403, body: forbidden }
      return { status: 200, body: { value: [account('s2', 'voice', 'AIServices')] } }
    })
    const found = await discoverVoiceResources(options)
    expect(found.resources.map((r) => r.name)).toEqual(['voice'])
    expect(found.problems).toEqual([expect.stringMatching(/may not list the AI Services resources of "Locked"/)])
  })

  it('a nextLink to another host is not followed (the token stays with ARM)', async () => {
    const options = await fakeArm(() => ({
      status: 200,
      body: { value: [subscription('s1', 'Dev')], nextLink: 'https://evil.example/subscriptions?page=2' },
    }))
    await expect(discoverVoiceResources(options)).rejects.toThrow(/next page on another host \(evil\.example\)/)
    expect(seen).toHaveLength(1)
  })
})
