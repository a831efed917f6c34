/**
 * The app services under Node, through the real bridge validation (`serveBridge`): settings and
 * the API key, the current preset in the CLI's schema, and what the UI is told when Start cannot
 * connect. No browser and no engine are needed.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parsePreset } from '../../src-shared/preset/preset.js'
import { openPresetStore } from '../../src-main/presets/preset-store.js'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import { connect } from '../support/app-bridge.js'
import type { EventChannel } from '../../src-shared/bridge/contract.js'
import { useFakeAzureTools } from '../support/fake-azure-tools.js'
import {
  scriptedServers,
  sendAssistantTurn,
  testPcm,
  type ScriptedConnection,
} from '../voice-session/scripted-server.js'

const SECRET = 'sk-test-7f3c9a1b2d4e5f60718293a4b5c6d7e8'

describe('app services', () => {
  let dir: string
  let services: AppServices
  let bridge: ReturnType<typeof connect>

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-services-'))
    services = createAppServices({ transportKind: 'harness', appVersion: '1.2.3', userDataDir: dir })
    bridge = connect(services)
  })
  afterEach(async () => {
    await services.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('starts with the local engine and no key, and says the harness lacks Electron-only features', async () => {
    const settings = await bridge.command('settings.get')
    expect(settings).toMatchObject({
      ok: true,
      value: { connection: { profile: 'local-engine', apiKeySet: false }, target: { kind: 'model' } },
    })
    expect(await bridge.command('session.current')).toEqual({ ok: true, value: { status: 'idle' } })
    const info = await bridge.command('app.info')
    expect(info).toEqual({
      ok: true,
      value: {
        name: 'Voice Live Desktop',
        version: '1.2.3',
        transport: 'harness',
        features: { secureStorage: false },
        notices: [],
      },
    })
  })

  it('takes an API key but never gives it back, never writes it to the store file or the log', async () => {
    const updated = await bridge.command('settings.update', {
      connection: { profile: 'api-key', endpoint: 'https://example.services.ai.azure.com', apiKey: SECRET },
    })
    expect(updated).toMatchObject({
      ok: true,
      value: { connection: { profile: 'api-key', apiKeySet: true, apiKeyPersisted: false } },
    })
    expect(JSON.stringify(updated)).not.toContain(SECRET)
    expect(JSON.stringify(await bridge.command('settings.get'))).not.toContain(SECRET)
    // The settings live in the store's file, beside the presets (the one file the CLI reads too).
    const onDisk = readFileSync(join(dir, 'presets.json'), 'utf8')
    expect(JSON.parse(onDisk)).toMatchObject({
      settings: { connection: { profile: 'api-key', endpoint: 'https://example.services.ai.azure.com' } },
    })
    expect(readdirSync(dir)).not.toContain('settings.json')
    expect(onDisk).not.toContain(SECRET)
    await bridge.command('log.open')
    expect(readFileSync(services.logPath, 'utf8')).not.toContain(SECRET)

    const forgotten = await bridge.command('settings.update', { connection: { apiKey: null } })
    expect(forgotten).toMatchObject({ ok: true, value: { connection: { apiKeySet: false } } })
  })

  it('refuses malformed settings with a specific message', async () => {
    const result = await bridge.command('settings.update', { connection: { profile: 'telepathy' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    expect(JSON.stringify(result)).toContain('connection.profile')
  })

  it('keeps unusable saved settings for the user, starts from defaults, and keeps the presets', async () => {
    await bridge.command('settings.get')
    await services.dispose()
    const file = join(dir, 'presets.json')
    const unusable = { connection: { profile: 'telepathy', endpoint: 'https://mine.example' }, recordAudio: false }
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), settings: unusable }))
    services = createAppServices({ transportKind: 'harness', appVersion: '1.2.3', userDataDir: dir })
    bridge = connect(services)
    expect(await bridge.command('settings.get')).toMatchObject({
      ok: true,
      value: { connection: { profile: 'local-engine' }, recordAudio: true },
    })
    const aside = readdirSync(dir).find((name) => /^settings\.invalid-.*\.json$/.test(name))
    expect(aside && JSON.parse(readFileSync(join(dir, aside), 'utf8'))).toEqual(unusable)
    await bridge.command('log.open') // flushes: the log writes its lines asynchronously
    expect(readFileSync(services.logPath, 'utf8')).toMatch(/saved settings were unusable \(connection\.profile: /)
    // The window is told too, not only the log.
    expect(await bridge.command('app.info')).toMatchObject({
      ok: true,
      value: {
        notices: [
          expect.stringMatching(/^the saved settings were unusable \(connection\.profile: .*a copy was kept in /),
        ],
      },
    })
  })

  it('keeps edits as unsaved changes in presets.json, which the CLI reads, and saves them as a new preset', async () => {
    const list = await bridge.command('preset.list')
    if (!list.ok) throw new Error(list.error.message)
    const { current } = list.value as { current: { name: string; instructions: string } }
    const edited = { ...current, instructions: 'Speak like a pirate.' }
    expect(await bridge.command('preset.update', { preset: edited })).toMatchObject({
      ok: true,
      value: {
        selectedId: 'casual-chat',
        unsaved: true,
        builtIn: true,
        current: { instructions: 'Speak like a pirate.' },
      },
    })
    expect(await bridge.command('preset.save')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('"Casual chat" is a built-in preset') },
    })
    const saved = await bridge.command('preset.save-as', { name: 'Pirate' })
    expect(saved).toMatchObject({ ok: true, value: { unsaved: false, builtIn: false, current: { name: 'Pirate' } } })
    // The CLI's store (conf, same file) sees it, in the schema --preset-file reads.
    const store = await openPresetStore(dir)
    const pirate = parsePreset(store.find('pirate'))
    expect(pirate.ok && pirate.preset.instructions).toBe('Speak like a pirate.')

    const bad = await bridge.command('preset.update', { preset: { ...edited, temperature: 7 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    expect(await bridge.command('preset.select', { id: 'no-such-preset' })).toMatchObject({
      ok: false,
      error: { message: 'There is no preset named "no-such-preset".' },
    })
  })

  it('gives the tray menu the presets by name, and tells the window what the tray picked', async () => {
    const menu = await services.presetMenu.list()
    expect(menu.presets.map((p) => p.name)).toContain('Language tutor')
    expect(menu.selectedId).toBe('casual-chat')
    const view = await services.presetMenu.select('language-tutor')
    expect(view).toMatchObject({ selectedId: 'language-tutor', current: { name: 'Language tutor' } })
    expect(bridge.events.filter((e) => e.channel === 'preset.changed').map((e) => e.payload)).toEqual([view])
    expect(await bridge.command('preset.list')).toMatchObject({ ok: true, value: { selectedId: 'language-tutor' } })
  })

  it('a tray pick while the window has unsaved edits switches and keeps the edits for later', async () => {
    const list = await bridge.command('preset.list')
    if (!list.ok) throw new Error(list.error.message)
    const { current } = list.value as { current: Record<string, unknown> }
    await bridge.command('preset.update', { preset: { ...current, instructions: 'Speak like a pirate.' } })
    const view = await services.presetMenu.select('greeter')
    expect(view).toMatchObject({ selectedId: 'greeter', unsaved: false })
    expect(view.presets.find((p) => p.id === 'casual-chat')).toMatchObject({ name: 'Casual chat', unsaved: true })
    // Back in the window, picking Casual chat again shows the edits, still unsaved.
    expect(await bridge.command('preset.select', { id: 'casual-chat' })).toMatchObject({
      ok: true,
      value: { selectedId: 'casual-chat', unsaved: true, current: { instructions: 'Speak like a pirate.' } },
    })
  })

  it('tells the window the talk mode the tray picked, and keeps it', async () => {
    const view = await services.setTalkMode('push-to-talk')
    expect(view.talkMode).toBe('push-to-talk')
    expect(bridge.events.filter((e) => e.channel === 'settings.changed').map((e) => e.payload)).toEqual([view])
    expect(await bridge.command('settings.get')).toMatchObject({ ok: true, value: { talkMode: 'push-to-talk' } })
  })

  it("the tray's Sign in opens no browser without an app registration, and the tray hears of every account change", async () => {
    const heard: (string | null)[] = []
    services.accountMenu.onStatus((status) => heard.push(status.clientId))
    const status = await services.accountMenu.signIn()
    expect(status).toMatchObject({ clientId: null, signingIn: false, current: null })
    expect(await services.accountMenu.signOut()).toMatchObject({ current: null })
    await bridge.command('account.configure', {
      clientId: '00000000-0000-4000-8000-000000000001',
      authority: '',
      scope: '',
    })
    expect(heard.at(-1)).toBe('00000000-0000-4000-8000-000000000001')
    expect(bridge.events.filter((e) => e.channel === 'account.status').length).toBeGreaterThan(0)
  })

  it('tells the UI why Start cannot connect when the Azure profile has no key', async () => {
    await bridge.command('settings.update', {
      connection: { profile: 'api-key', endpoint: 'https://example.services.ai.azure.com' },
    })
    expect(await bridge.command('session.start')).toEqual({ ok: true, value: {} })
    const states = bridge.events.filter((e) => e.channel === 'session.state').map((e) => e.payload)
    expect(states.at(-1)).toEqual({
      status: 'error',
      error: { kind: 'config', message: 'Enter your API key in Settings, or use the local engine.', retryable: false },
    })
  })

  it('explains what the harness cannot do: links, opening the log, empty exports', async () => {
    expect(await bridge.command('shell.open-external', { url: 'https://learn.microsoft.com/' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('cannot be opened from the harness') },
    })
    expect(await bridge.command('log.open')).toEqual({ ok: true, value: { path: services.logPath, opened: false } })
    expect(await bridge.command('export.transcript', { format: 'markdown' })).toMatchObject({
      ok: false,
      error: { message: 'There is no conversation to export yet.' },
    })
    expect(await bridge.command('export.audio')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('No audio was recorded') },
    })
  })
})

describe('app services: a session against a scripted service', () => {
  const servers = scriptedServers()
  let dir: string
  let services: AppServices
  let bridge: ReturnType<typeof connect>

  /** A handshake, then one answered turn: the mic's appends, two audio deltas, response.done. */
  const turn = async (connection: ScriptedConnection) => {
    await connection.handshake()
    await connection.next('input_audio_buffer.append')
    connection.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u1' })
    sendAssistantTurn(connection, { responseId: 'r1', itemId: 'a1', audio: testPcm(4800), transcript: 'Hello there' })
  }
  // The local-engine profile (the default) "starts" the scripted service instead of the engine.
  const open = (url: string) => {
    services = createAppServices({
      transportKind: 'harness',
      appVersion: '1.2.3',
      userDataDir: dir,
      startEngine: async () => ({ url, port: Number(new URL(url).port), sessionCount: 0, close: async () => undefined }),
    })
    bridge = connect(services)
  }
  const payloads = (channel: EventChannel) => bridge.events.filter((e) => e.channel === channel).map((e) => e.payload)
  const logLines = () =>
    readFileSync(services.logPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; message: string; [field: string]: unknown })
  /** Start, talk for a few frames, wait for the answer, stop. */
  async function converse(): Promise<void> {
    const answered = payloads('session.turn-metrics').length
    expect(await bridge.command('session.start')).toEqual({ ok: true, value: {} })
    const frame = new Uint8Array(960)
    for (let i = 0; i < 5; i++) bridge.send('audio.mic-frame', frame.slice())
    await vi.waitFor(() => expect(payloads('session.turn-metrics').length).toBeGreaterThan(answered), { timeout: 5000 })
    await bridge.command('session.stop')
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-services-session-'))
  })
  afterEach(async () => {
    await services.dispose()
    await servers.closeAll()
    rmSync(dir, { recursive: true, force: true })
  })

  it('tells the renderer the audio format once per start', async () => {
    const server = await servers.serve(turn)
    open(server.url)
    await converse()
    expect(payloads('audio.format')).toEqual([{ inputSampleRate: 24_000, outputSampleRate: 24_000, frameMs: 20 }])
    await converse()
    expect(payloads('audio.format')).toHaveLength(2)
  })

  it('gives a window that reloads mid-session the audio format again when it asks where things stand', async () => {
    const server = await servers.serve(turn)
    open(server.url)
    expect(await bridge.command('session.current')).toEqual({ ok: true, value: { status: 'idle' } })
    expect(payloads('audio.format')).toEqual([])
    expect(await bridge.command('session.start')).toEqual({ ok: true, value: {} })
    await vi.waitFor(() => expect(payloads('session.state').at(-1)).toMatchObject({ status: 'live' }), { timeout: 5000 })
    const before = payloads('audio.format').length
    await bridge.command('session.current')
    expect(payloads('audio.format').slice(before)).toEqual([{ inputSampleRate: 24_000, outputSampleRate: 24_000, frameMs: 20 }])
    await bridge.command('session.stop')
  })

  it('the log records at info, with each audio stream as one line, until Settings → Diagnostics asks for debug', async () => {
    const server = await servers.serve(turn)
    open(server.url)
    expect(await bridge.command('settings.get')).toMatchObject({ ok: true, value: { diagnostics: { logLevel: 'info' } } })
    await converse()
    const info = logLines()
    expect(info.filter((line) => line.level === 'debug')).toEqual([])
    expect(info.find((line) => line.message === '→ input_audio_buffer.append ×5')).toMatchObject({
      level: 'info',
      count: 5,
      bytes: 4800,
      first: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(info.find((line) => line.message === '← response.audio.delta ×2')).toMatchObject({ count: 2, bytes: 9600 })

    expect(await bridge.command('settings.update', { diagnostics: { logLevel: 'debug' } })).toMatchObject({
      ok: true,
      value: { diagnostics: { logLevel: 'debug' } },
    })
    await converse()
    const debug = logLines().slice(info.length)
    expect(debug.filter((line) => line.level === 'debug').map((line) => line.message)).toEqual(
      expect.arrayContaining(['→ session.update', '← response.done']),
    )
    // Even at debug, a stream is one line, never one per frame.
    expect(debug.filter((line) => line.message.startsWith('→ input_audio_buffer.append'))).toHaveLength(1)

    // Kept with the settings: the next run logs at debug from the start.
    await services.dispose()
    open(server.url)
    expect(await bridge.command('settings.get')).toMatchObject({ ok: true, value: { diagnostics: { logLevel: 'debug' } } })
  })

  it('refuses a log level that is not info or debug, naming the field', async () => {
    open('ws://127.0.0.1:9')
    const result = await bridge.command('settings.update', { diagnostics: { logLevel: 'verbose' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    expect(JSON.stringify(result)).toContain('diagnostics.logLevel')
    expect(await bridge.command('settings.get')).toMatchObject({ ok: true, value: { diagnostics: { logLevel: 'info' } } })
  })
})

describe('app services: the "My Azure CLI account (az login)" profile, with a fake az on PATH', () => {
  const tools = useFakeAzureTools()
  const servers = scriptedServers()
  const TOKEN = 'fake-az-app-token-5e4d3c2b1a09f8e7'
  let dir: string
  let services: AppServices
  let bridge: ReturnType<typeof connect>

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-services-az-'))
    services = createAppServices({ transportKind: 'harness', appVersion: '1.2.3', userDataDir: dir })
    bridge = connect(services)
  })
  afterEach(async () => {
    await services.dispose()
    await servers.closeAll()
    rmSync(dir, { recursive: true, force: true })
  })

  const payloads = (channel: EventChannel) => bridge.events.filter((e) => e.channel === channel).map((e) => e.payload)
  async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 5000) throw new Error('timed out')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it('connects with the az token as a bearer, and tells the status bar the az account', async () => {
    tools.azSignIn({ token: TOKEN, expiresInS: 3600, user: 'ada@contoso.com' })
    const server = await servers.serve(async (connection) => void (await connection.handshake()))
    await bridge.command('settings.update', { connection: { profile: 'azure-cli', endpoint: server.url } })
    expect(await bridge.command('session.start')).toEqual({ ok: true, value: {} })
    expect(payloads('session.state').at(-1)).toMatchObject({ status: 'live' })
    expect(server.connections[0]!.request.headers['authorization']).toBe(`Bearer ${TOKEN}`)
    expect(server.connections[0]!.request.headers['api-key']).toBeUndefined()
    await until(() => payloads('session.identity').length === 2)
    expect(payloads('session.identity')).toEqual([
      { label: 'your Azure CLI account' },
      { label: 'ada@contoso.com (Azure CLI)' },
    ])
    await bridge.command('session.stop')
    expect(JSON.stringify(bridge.events)).not.toContain(TOKEN)
    expect(readFileSync(services.logPath, 'utf8')).not.toContain(TOKEN)
  })

  it('the log redacts the token even where the service quotes it back', async () => {
    tools.azSignIn({ token: TOKEN, expiresInS: 3600 })
    const server = await servers.serve(async (connection) => {
      await connection.handshake()
      connection.send({ type: 'error', error: { type: 'invalid_request_error', message: `bad token ${TOKEN}` } })
    })
    await bridge.command('settings.update', { connection: { profile: 'azure-cli', endpoint: server.url } })
    await bridge.command('session.start')
    await until(() => payloads('session.service-error').length === 1)
    await bridge.command('session.stop')
    const log = readFileSync(services.logPath, 'utf8')
    expect(log).toContain('bad token [redacted]')
    expect(log).not.toContain(TOKEN)
  })

  it('nobody signed in: Start ends in an authentication error that names `az login`', async () => {
    const server = await servers.serve(async (connection) => void (await connection.handshake()))
    await bridge.command('settings.update', { connection: { profile: 'azure-cli', endpoint: server.url } })
    await bridge.command('session.start')
    expect(payloads('session.state').at(-1)).toEqual({
      status: 'error',
      error: {
        kind: 'auth',
        message:
          'Could not get a token for https://ai.azure.com/.default: the Azure CLI is not signed in: run `az login` (Azure CLI)',
        retryable: false,
      },
    })
    expect(server.upgradeAttempts).toBe(0)
  })
})
