/**
 * Builds the audio test page with Vite, serves it on 127.0.0.1 with the harness WebSocket bridge,
 * and opens it in Debian Chromium. Node sees exactly what main would: validated bridge messages.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { commandChannels, sendChannels } from '../../src-shared/bridge/channels.js'
import type { PlaybackPosition } from '../../src-shared/bridge/payloads.js'
import { createWebSocketTransport } from '../../src-main/harness/websocket-bridge-server.js'
import { serveBridge, type BridgeEmitter, type BridgeHandlers } from '../../src-main/bridge/serve-bridge.js'
import { readRendererFile } from '../../src-main/renderer-hosting/renderer-files.js'
import { launchChromium, type LaunchOptions } from '../support/chromium.js'
import type { AudioTestApi, PageStartOptions } from './page-api.js'

const PAGE_SOURCE = resolve(import.meta.dirname, 'page')
const PAGE_OUT = resolve(import.meta.dirname, '../../test-results/audio-page')

let built: Promise<unknown> | null = null
/** Builds once per process; worklets become separate same-origin files, as in the app. */
export function buildAudioPage(): Promise<unknown> {
  built ??= build({
    configFile: false,
    root: PAGE_SOURCE,
    logLevel: 'error',
    build: { outDir: PAGE_OUT, emptyOutDir: true, minify: false },
  })
  return built
}

export interface ReceivedFrame {
  readonly bytes: Uint8Array
  /** Node clock (ms since the epoch) when the frame came out of the bridge validation. */
  readonly arrivedAtMs: number
}

/** The page's server and the Node end of its bridge, before any browser opens it. */
export interface AudioPageServer {
  readonly bridge: BridgeEmitter
  /** Every mic frame received, unless the server was told not to keep them. */
  readonly frames: ReceivedFrame[]
  readonly framesReceived: number
  readonly positions: (PlaybackPosition & { arrivedAtMs: number })[]
  /** The page's URL, with the bridge token in the fragment; `start` makes the page start by itself
   * ('bare': Web Audio with no pipeline; 'worklet-floor' and 'transport-floor': a worklet posting
   * frames with no audio work, dropped or carried over the bridge; or pipeline options), for a
   * browser no one drives. */
  url(start?: PageAutostart): string
  close(): Promise<void>
}

export interface AudioPage extends AudioPageServer {
  readonly browser: Browser
  readonly page: Page
  /** Runs `fn(window.audioTest, arg)` in the page. */
  call<R, A = undefined>(fn: (api: AudioTestApi, arg: A) => R | Promise<R>, arg?: A): Promise<R>
}

export type PageAutostart = 'bare' | 'worklet-floor' | 'transport-floor' | PageStartOptions

export const epochNowMs = (): number => performance.timeOrigin + performance.now()

export async function serveAudioPage(options: { readonly keepFrames?: boolean } = {}): Promise<AudioPageServer> {
  await buildAudioPage()
  const server: Server = createServer((request, response) => {
    void readRendererFile(PAGE_OUT, new URL(request.url ?? '/', 'http://x').pathname).then((file) => {
      if (!file) return void response.writeHead(404).end()
      response.writeHead(200, { 'content-type': file.mimeType }).end(file.body)
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const token = randomBytes(16).toString('hex')
  const transport = createWebSocketTransport({ server, token, allowedOrigin: () => origin })

  const frames: ReceivedFrame[] = []
  let framesReceived = 0
  const keepFrames = options.keepFrames ?? true
  const positions: AudioPageServer['positions'] = []
  const unused = async (): Promise<never> => {
    throw new Error('not part of the audio tests')
  }
  const handlers = {
    commands: Object.fromEntries(commandChannels.map((channel) => [channel, unused])),
    sends: {
      ...Object.fromEntries(sendChannels.map((channel) => [channel, () => undefined])),
      'audio.mic-frame': (bytes: Uint8Array) => {
        framesReceived++
        // Keeping every frame costs memory and GC that main would not pay: the CPU benchmark drops them.
        if (keepFrames) frames.push({ bytes, arrivedAtMs: epochNowMs() })
      },
      'audio.playback-position': (position: PlaybackPosition) => positions.push({ ...position, arrivedAtMs: epochNowMs() }),
    },
  } as unknown as BridgeHandlers
  const bridge = serveBridge(transport, handlers)

  return {
    bridge,
    frames,
    get framesReceived() {
      return framesReceived
    },
    positions,
    url: (start) =>
      `${origin}/#token=${token}${start === undefined ? '' : `&start=${encodeURIComponent(typeof start === 'string' ? start : JSON.stringify(start))}`}`,
    async close() {
      transport.close()
      await new Promise((done) => server.close(done))
    },
  }
}

export async function openAudioPage(launch: LaunchOptions): Promise<AudioPage> {
  const served = await serveAudioPage()
  const browser = await launchChromium(launch)
  const page = await browser.newPage()
  await page.goto(served.url())
  await page.waitForFunction(() => 'audioTest' in globalThis, undefined, { timeout: 10_000 })

  return {
    bridge: served.bridge,
    frames: served.frames,
    get framesReceived() {
      return served.framesReceived
    },
    positions: served.positions,
    url: served.url,
    browser,
    page,
    call: <R, A>(fn: (api: AudioTestApi, arg: A) => R | Promise<R>, arg?: A) =>
      page.evaluate(
        ([source, value]) => {
          const api = (globalThis as unknown as { audioTest: AudioTestApi }).audioTest
          return (new Function('api', 'arg', `return (${source})(api, arg)`) as (a: AudioTestApi, v: A) => R)(api, value as A)
        },
        [fn.toString(), arg] as const,
      ) as Promise<R>,
    async close() {
      await page.evaluate(() => (globalThis as unknown as { audioTest: AudioTestApi }).audioTest.stop()).catch(() => undefined)
      await browser.close()
      await served.close()
    },
  }
}

/** Polls `condition` every 20 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 20))
  }
}
