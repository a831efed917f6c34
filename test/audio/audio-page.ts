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
import { commandChannels, sendChannels } from '../../src-shared/bridge/contract.js'
import type { PlaybackPosition } from '../../src-shared/bridge/payloads.js'
import { createWebSocketTransport } from '../../src-main/bridge/websocket-transport.js'
import { serveBridge, type BridgeEmitter, type BridgeHandlers } from '../../src-main/bridge/serve-bridge.js'
import { readRendererFile } from '../../src-main/renderer-hosting/renderer-files.js'
import { launchChromium, type LaunchOptions } from '../support/chromium.js'
import type { AudioTestApi } from './page-api.js'

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

export interface AudioPage {
  readonly browser: Browser
  readonly page: Page
  readonly bridge: BridgeEmitter
  readonly frames: ReceivedFrame[]
  readonly positions: (PlaybackPosition & { arrivedAtMs: number })[]
  /** Runs `fn(window.audioTest, arg)` in the page. */
  call<R, A = undefined>(fn: (api: AudioTestApi, arg: A) => R | Promise<R>, arg?: A): Promise<R>
  close(): Promise<void>
}

export const epochNowMs = (): number => performance.timeOrigin + performance.now()

export async function openAudioPage(launch: LaunchOptions): Promise<AudioPage> {
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
  const positions: AudioPage['positions'] = []
  const unused = async (): Promise<never> => {
    throw new Error('not part of the audio tests')
  }
  const handlers = {
    commands: Object.fromEntries(commandChannels.map((channel) => [channel, unused])),
    sends: {
      ...Object.fromEntries(sendChannels.map((channel) => [channel, () => undefined])),
      'audio.mic-frame': (bytes: Uint8Array) => frames.push({ bytes, arrivedAtMs: epochNowMs() }),
      'audio.playback-position': (position: PlaybackPosition) => positions.push({ ...position, arrivedAtMs: epochNowMs() }),
    },
  } as unknown as BridgeHandlers
  const bridge = serveBridge(transport, handlers)

  const browser = await launchChromium(launch)
  const page = await browser.newPage()
  await page.goto(`${origin}/#token=${token}`)
  await page.waitForFunction(() => 'audioTest' in globalThis, undefined, { timeout: 10_000 })

  return {
    browser,
    page,
    bridge,
    frames,
    positions,
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
      transport.close()
      await new Promise((done) => server.close(done))
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
