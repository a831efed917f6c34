/**
 * Runs the real renderer under the *production* CSP (no network) in Chromium, with the bridge
 * carried the way the preload carries it: a page-side `window.voiceLive` built by the same
 * `createRendererBridge`, whose transport calls Playwright bindings into a Node-side
 * `serveBridge`. Binary payloads cross as arrays of numbers (Playwright serialises JSON only).
 */
import { buildSync } from 'esbuild'
import type { Page } from 'playwright-core'
import type { EventChannel } from '../../src-shared/bridge/contract.js'
import { serveBridge, type BridgeEmitter, type BridgeHandlers, type BridgeInbox } from '../../src-main/bridge/serve-bridge.js'

const PAGE_PRELOAD = `
import { createRendererBridge } from './src-shared/bridge/renderer-api.ts'
const listeners = new Map()
const revive = (value) => (value && value.__bytes ? new Uint8Array(value.__bytes) : value)
const pack = (value) => {
  if (value instanceof Uint8Array) return { __bytes: Array.from(value) }
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v)]))
  return value
}
const unpack = (value) => {
  if (value && value.__bytes) return revive(value)
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpack(v)]))
  return value
}
window.__voiceLiveDeliver = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(unpack(payload))
}
window.voiceLive = createRendererBridge({
  invoke: (channel, payload) => window.__voiceLiveInvoke(channel, pack(payload)),
  send: (channel, payload) => void window.__voiceLiveSend(channel, pack(payload)),
  subscribe(channel, listener) {
    const set = listeners.get(channel) ?? new Set()
    listeners.set(channel, set)
    set.add(listener)
    return () => set.delete(listener)
  },
})
`

let bundled: string | null = null
function pagePreloadScript(): string {
  bundled ??= buildSync({
    stdin: { contents: PAGE_PRELOAD, resolveDir: new URL('../..', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
  }).outputFiles[0]?.text ?? ''
  return bundled
}

const unpackNode = (value: unknown): unknown => {
  if (value && typeof value === 'object' && '__bytes' in value) return new Uint8Array((value as { __bytes: number[] }).__bytes)
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpackNode(v)]))
  }
  return value
}
const packNode = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return { __bytes: Array.from(value) }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, packNode(v)]))
  }
  return value
}

/** Installs the bridge into `page` (before navigation) and serves it with `handlers`. */
export async function attachPageBridge(page: Page, handlers: BridgeHandlers): Promise<BridgeEmitter> {
  let inbox: BridgeInbox | null = null
  const emitter = serveBridge(
    {
      listen: (target) => (inbox = target),
      emit: (channel: EventChannel, payload: unknown) => {
        void page
          .evaluate(([c, p]) => (globalThis as unknown as { __voiceLiveDeliver(c: unknown, p: unknown): void }).__voiceLiveDeliver(c, p), [channel, packNode(payload)] as const)
          .catch(() => undefined) // the page may be closing
      },
      close: () => undefined,
    },
    handlers,
  )
  await page.exposeFunction('__voiceLiveInvoke', (channel: string, payload: unknown) => inbox?.command(channel, unpackNode(payload)))
  await page.exposeFunction('__voiceLiveSend', (channel: string, payload: unknown) => inbox?.send(channel, unpackNode(payload)))
  await page.addInitScript({ content: pagePreloadScript() })
  return emitter
}
