/**
 * Resource discovery with the same sign-in (scope `https://management.azure.com/.default`):
 * subscriptions, then each one's Cognitive Services / AI Services accounts, then the endpoint,
 * so the user picks a resource instead of pasting an endpoint. Plain fetch against Azure Resource
 * Manager's REST API; `baseUrl` points tests at a fake ARM.
 *
 * Paging follows `nextLink`, but only on ARM's own origin: the bearer token never goes anywhere
 * else. Failures become specific messages (no subscriptions, no resources, 403 with the role).
 */
import { z } from 'zod'

export const ARM_BASE_URL = 'https://management.azure.com'
const SUBSCRIPTIONS_API = '2022-12-01'
const ACCOUNTS_API = '2025-09-01'
/** Account kinds that serve Voice Live. */
export const VOICE_LIVE_KINDS = ['AIServices', 'CognitiveServices', 'SpeechServices'] as const
const MAX_PAGES = 50

export interface ArmOptions {
  readonly getToken: () => Promise<string>
  readonly baseUrl?: string | undefined
}

export interface Subscription {
  readonly id: string
  readonly name: string
  readonly tenantId: string | null
}

export interface VoiceResource {
  readonly name: string
  readonly kind: string
  readonly location: string
  readonly subscriptionId: string
  readonly subscriptionName: string
  readonly resourceGroup: string
  readonly endpoint: string
  /** Entra tokens need a custom subdomain; without one only an API key works. */
  readonly entraReady: boolean
}

export interface Discovery {
  readonly resources: readonly VoiceResource[]
  /** Subscriptions that could not be listed, each with a specific reason; the rest still count. */
  readonly problems: readonly string[]
}

/** A discovery failure with a message fit for the user and a next step. */
export class ArmError extends Error {
  override readonly name = 'ArmError'
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
  }
}

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
const page = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item), nextLink: z.string().nullish() })
const subscriptionSchema = z.object({
  subscriptionId: z.string(),
  displayName: z.string(),
  tenantId: z.string().nullish(),
  state: z.string().nullish(),
})
const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  location: z.string(),
  properties: z.object({ endpoint: z.string().nullish(), customSubDomainName: z.string().nullish() }).nullish(),
})

/** GET every page of a list, following `nextLink` on the same origin only. */
async function listAll<T extends z.ZodType>(
  options: ArmOptions,
  first: URL,
  item: T,
  what: string,
): Promise<z.infer<T>[]> {
  const origin = first.origin
  const items: z.infer<T>[] = []
  let next: string | null | undefined = first.toString()
  for (let pages = 0; next; pages++) {
    if (pages === MAX_PAGES) throw new ArmError(`Azure returned more than ${MAX_PAGES} pages of ${what}.`, null)
    const url = new URL(next)
    if (url.origin !== origin) {
      throw new ArmError(
        `Azure Resource Manager sent a next page on another host (${url.host}); it was not followed.`,
        null,
      )
    }
    const token = await options.getToken()
    let response: Response
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })
    } catch (error) {
      throw new ArmError(
        `Could not reach Azure Resource Manager (${(error as Error).message}); check your network.`,
        null,
      )
    }
    const body: unknown = await response.json().catch(() => null)
    if (!response.ok) throw armFailure(response.status, body, what)
    const parsed = page(item).safeParse(body)
    if (!parsed.success) throw new ArmError(`Azure Resource Manager answered with an unexpected list of ${what}.`, null)
    items.push(...parsed.data.value)
    next = parsed.data.nextLink
  }
  return items
}

function armFailure(status: number, body: unknown, what: string): ArmError {
  const parsed = errorBody.safeParse(body)
  const detail = parsed.success ? ` (${parsed.data.error.code}: ${parsed.data.error.message.slice(0, 300)})` : ''
  if (status === 401) {
    return new ArmError(`Azure Resource Manager refused the sign-in${detail}; sign in again.`, status)
  }
  if (status === 403) {
    return new ArmError(
      `Your account may not list ${what}${detail}. Ask for the Reader role on the subscription, or paste the endpoint instead.`,
      status,
    )
  }
  return new ArmError(`Azure Resource Manager failed to list ${what}: HTTP ${status}${detail}.`, status)
}

export async function listSubscriptions(options: ArmOptions): Promise<Subscription[]> {
  const url = new URL('/subscriptions', options.baseUrl ?? ARM_BASE_URL)
  url.searchParams.set('api-version', SUBSCRIPTIONS_API)
  const all = await listAll(options, url, subscriptionSchema, 'subscriptions')
  return all
    .filter((subscription) => subscription.state !== 'Disabled')
    .map((subscription) => ({
      id: subscription.subscriptionId,
      name: subscription.displayName,
      tenantId: subscription.tenantId ?? null,
    }))
}

export async function listVoiceResources(options: ArmOptions, subscription: Subscription): Promise<VoiceResource[]> {
  const url = new URL(
    `/subscriptions/${encodeURIComponent(subscription.id)}/providers/Microsoft.CognitiveServices/accounts`,
    options.baseUrl ?? ARM_BASE_URL,
  )
  url.searchParams.set('api-version', ACCOUNTS_API)
  const accounts = await listAll(options, url, accountSchema, `the AI Services resources of "${subscription.name}"`)
  return accounts.flatMap((account) => {
    const endpoint = account.properties?.endpoint
    if (!endpoint || !(VOICE_LIVE_KINDS as readonly string[]).includes(account.kind)) return []
    return [
      {
        name: account.name,
        kind: account.kind,
        location: account.location,
        subscriptionId: subscription.id,
        subscriptionName: subscription.name,
        resourceGroup: account.id.match(/\/resourceGroups\/([^/]+)/i)?.[1] ?? '',
        endpoint,
        entraReady: Boolean(account.properties?.customSubDomainName),
      },
    ]
  })
}

/** Every Voice Live-capable resource the account can see; specific errors when there is none. */
export async function discoverVoiceResources(options: ArmOptions): Promise<Discovery> {
  const subscriptions = await listSubscriptions(options)
  if (subscriptions.length === 0) {
    throw new ArmError(
      'Your account sees no enabled Azure subscription in this tenant. Sign in to the tenant that holds your ' +
        'resource (tenant setting), ask for access, or paste the endpoint instead.',
      null,
    )
  }
  const resources: VoiceResource[] = []
  const problems: string[] = []
  for (const subscription of subscriptions) {
    try {
      resources.push(...(await listVoiceResources(options, subscription)))
    } catch (error) {
      if (!(error instanceof ArmError)) throw error
      problems.push(error.message)
    }
  }
  if (resources.length === 0 && problems.length === 0) {
    throw new ArmError(
      `None of your ${subscriptions.length} subscription(s) holds an AI Services, Cognitive Services or Speech ` +
        'resource. Create one in the Azure portal (AI Foundry), or paste the endpoint instead.',
      null,
    )
  }
  if (resources.length === 0) throw new ArmError(problems.join(' '), null)
  return { resources, problems }
}
