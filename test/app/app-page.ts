/**
 * Drives the real app in Chromium through the browser harness (in-process, so a test can give the
 * local engine fault switches or a script), with a fake microphone playing a speech WAV.
 * Everything is read the way a user meets it: roles, names and visible text.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page, WebSocket as PageSocket } from 'playwright-core'
import { decodeWireMessage } from '../../src-shared/bridge/wire-codec.js'
import type { AppServicesOptions } from '../../src-main/app-services/index.js'
import { startLocalEngine, type LocalEngine, type LocalEngineOptions } from '../../src-main/engine/server.js'
import { startHarness, type Harness } from '../../src-main/harness/harness-server.js'
import type { SessionTiming } from '../../src-main/voice-session/index.js'
import { launchChromium } from '../support/chromium.js'
import { cachedWav, speechWav } from '../support/speech-fixture.js'
import { readPcm16Wav } from '../support/wav.js'
import { concatPcm16 } from '../../src-main/pcm-audio/pcm16-samples.js'

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer')

export interface AppUnderTest {
  readonly page: Page
  readonly harness: Harness
  /** Bridge messages the page sent and received, decoded, in order. */
  readonly wire: WireLog
  /** The in-process local engine, once a Start has started it. */
  engine(): LocalEngine | null
  close(): Promise<void>
}

export interface WireRecord {
  readonly from: 'page' | 'main'
  readonly channel: string
  readonly payload: unknown
}

export class WireLog {
  readonly records: WireRecord[] = []
  watch(socket: PageSocket): void {
    const record = (from: WireRecord['from'], data: string | Buffer) => {
      if (typeof data === 'string') return
      const { envelope, payload } = decodeWireMessage(new Uint8Array(data))
      // Command results carry no channel: they are recorded as "result".
      this.records.push({ from, channel: 'channel' in envelope ? envelope.channel : envelope.kind, payload })
    }
    socket.on('framesent', ({ payload }) => record('page', payload))
    socket.on('framereceived', ({ payload }) => record('main', payload))
  }
  of(channel: string): unknown[] {
    return this.records.filter((r) => r.channel === channel).map((r) => r.payload)
  }
}

export interface OpenAppOptions {
  readonly micWav?: string
  readonly engine?: LocalEngineOptions
  readonly headed?: boolean
  readonly denyMic?: boolean
  readonly colorScheme?: 'light' | 'dark'
  readonly sessionTiming?: SessionTiming
  /** How long the harness keeps a session with no page (default: its own). */
  readonly abandonedAfterMs?: number
  /** A data folder to use (and keep) instead of a fresh temporary one: a restart keeps its presets. */
  readonly userDataDir?: string
  /** Microsoft account sign-in hooks (browser, environment) for the harness's services. */
  readonly account?: AppServicesOptions['account']
}

export async function openApp(options: OpenAppOptions = {}): Promise<AppUnderTest> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer in ${RENDERER_DIR}: run "npx electron-vite build" (npm test does it).`)
  }
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'voice-live-app-'))
  let engine: LocalEngine | null = null
  const harness = await startHarness({
    port: 0,
    rendererDir: RENDERER_DIR,
    userDataDir,
    appVersion: '0.0.0-test',
    ...(options.abandonedAfterMs === undefined ? {} : { abandonedAfterMs: options.abandonedAfterMs }),
    services: {
      startEngine: async () => (engine = await startLocalEngine({ host: '127.0.0.1', port: 0, ...options.engine })),
      ...(options.sessionTiming ? { sessionTiming: options.sessionTiming } : {}),
      ...(options.account ? { account: options.account } : {}),
    },
  })
  let browser: Browser | null = null
  try {
    browser = await launchChromium({
      ...(options.micWav ? { micWav: options.micWav } : {}),
      headed: options.headed ?? false,
      denyMic: options.denyMic ?? false,
    })
    const page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
    })
    const wire = new WireLog()
    page.on('websocket', (socket) => wire.watch(socket))
    await page.goto(harness.url)
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 10_000 })
    const opened = browser
    return {
      page,
      harness,
      wire,
      engine: () => engine,
      async close() {
        await opened.close()
        await harness.close()
        if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await browser?.close()
    await harness.close()
    throw error
  }
}

export const statusText = (page: Page): Promise<string> => page.getByRole('status', { name: 'Connection' }).innerText()

/** Waits until the connection status region reads `pattern`; a failure says what it read last. */
export async function waitForStatus(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  await waitUntil(
    () => statusText(page),
    (text) => pattern.test(text),
    `the status to read ${pattern}`,
    timeoutMs,
  )
}

/**
 * Every text the status region showed, from now on. A MutationObserver in the page catches
 * states that last only a few milliseconds, which polling from here could miss.
 */
export async function recordStatusHistory(page: Page): Promise<() => Promise<string[]>> {
  // Plain-script strings: this runs in the page, whose DOM types this Node project does not load.
  await page.evaluate(`(() => {
    const region = document.querySelector('[role="status"][aria-label="Connection"]')
    const history = [region ? region.textContent : '']
    window.__statusHistory = history
    new MutationObserver(() => {
      const text = region.textContent
      if (history[history.length - 1] !== text) history.push(text)
    }).observe(region, { subtree: true, childList: true, characterData: true })
  })()`)
  return async () => (await page.evaluate('window.__statusHistory')) as string[]
}

export const transcript = (page: Page) => page.getByRole('log', { name: 'Transcript' })

/** The visible turns: role, text and status, in order. */
export async function turns(page: Page): Promise<{ role: string; text: string; status: string }[]> {
  return transcript(page)
    .locator('article')
    .evaluateAll((articles) =>
      articles.map((article) => ({
        role: article.classList.contains('turn-user') ? 'user' : 'assistant',
        text: article.querySelector('.turn-text')?.textContent ?? '',
        status: article.getAttribute('data-status') ?? '',
      })),
    )
}

/** Polls `read` until `accept` holds, or fails with the last value seen. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last saw ${JSON.stringify(last)}`)
    await new Promise((r) => setTimeout(r, 100))
    last = await read()
  }
  return last
}

/** Opens the Diagnostics tab and reads the exact counters behind the totals. */
export async function playbackCounters(page: Page): Promise<{ playedSamples: number; receivedBytes: number }> {
  await page.getByRole('tab', { name: 'Diagnostics' }).click()
  const value = async (term: string) =>
    Number(
      await page
        .locator('.totals dt', { hasText: term })
        .locator('xpath=following-sibling::dd[1]')
        .getAttribute('data-value'),
    )
  return { playedSamples: await value('Audio played'), receivedBytes: await value('Audio received') }
}

/** A WAV of two utterances separated by `gapSec` of silence, cached with the other fixtures. */
export function twoUtterancesWav(first: string, gapSec: number, second: string): Promise<string> {
  return cachedWav('two', [first, gapSec, second], 24_000, async () => {
    const a = readPcm16Wav(await speechWav(first, { padStartSec: 1, padEndSec: gapSec }))
    const b = readPcm16Wav(await speechWav(second, { padStartSec: 0, padEndSec: 6 }))
    return concatPcm16([a.samples, b.samples])
  })
}

/** An answer long enough (about ten seconds of speech) to be interrupted in the middle. */
export const LONG_REPLY =
  'Here is a rather long answer, so that there is plenty of time to interrupt me. I will keep talking about ' +
  'the weather, the mountains, the sea, the history of radio, and many other things, for quite a while longer.'

/** `audio.playback-position` as the page sent it. */
export interface Position {
  requestId: number | null
  itemId: string | null
  playedSamples: number
}

/** `session.protocol-event` as main sent it. */
export interface ProtocolRow {
  direction: string
  type: string
  summary: Record<string, unknown>
}

export interface TruncationOnWire {
  /** The renderer's answer to the flush: what its speaker really rendered of the item. */
  readonly heard: Position
  /** Assistant audio bytes of that item the page had received. */
  readonly receivedBytes: number
  /** `conversation.item.truncate` as sent to the engine. */
  readonly truncate: ProtocolRow
  /** `conversation.item.truncated`, the engine's acknowledgement. */
  readonly acknowledged: ProtocolRow
}

/** Waits for a barge-in's whole exchange on the wire: flush reply, truncate, acknowledgement. */
export async function waitForTruncation(wire: WireLog): Promise<TruncationOnWire> {
  const protocol = () => wire.of('session.protocol-event').map((e) => e as ProtocolRow)
  const find = (events: ProtocolRow[], direction: string, type: string) =>
    events.find((e) => e.direction === direction && e.type === type)
  const events = await waitUntil(
    async () => protocol(),
    (all) =>
      !!find(all, 'client', 'conversation.item.truncate') && !!find(all, 'server', 'conversation.item.truncated'),
    'a truncate and its acknowledgement',
    10_000,
  )
  const heard = wire
    .of('audio.playback-position')
    .map((p) => p as Position)
    .find((p) => p.requestId !== null && p.itemId !== null)
  const truncate = find(events, 'client', 'conversation.item.truncate')
  const acknowledged = find(events, 'server', 'conversation.item.truncated')
  if (!heard || !truncate || !acknowledged) throw new Error('no flush reply with an item on the wire')
  const receivedBytes = wire
    .of('audio.playback-chunk')
    .map((c) => c as { itemId: string; pcm: Uint8Array })
    .filter((c) => c.itemId === heard.itemId)
    .reduce((bytes, c) => bytes + c.pcm.byteLength, 0)
  return { heard, receivedBytes, truncate, acknowledged }
}
