/**
 * What the app does with a bridge: one handler per command and send of the contract, wiring the
 * UI to a `VoiceSession`, the in-process local engine, settings, the current preset, exports and
 * the log file. Electron-free, so the Electron shell, the browser harness and tests all use it.
 */
import { mkdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AccountStatus } from '../../src-shared/bridge/account-payloads.js'
import type { ConnectionProfile, SettingsView } from '../../src-shared/bridge/payloads.js'
import type { PresetView } from '../../src-shared/bridge/preset-payloads.js'
import type { SessionError, SessionState, TranscriptEntry, TurnMetrics } from '../../src-shared/session-model/session-model.js'
import { formatHotkey, parseHotkey, type Hotkey } from '../../src-shared/hotkey/hotkey.js'
import { DEFAULT_MODEL, MODELS } from '../../src-shared/models/models.js'
import { sessionPreset, type Preset } from '../../src-shared/preset/preset.js'
import { createAccountService, type AccountServiceOptions } from '../auth/account-service.js'
import { systemBrowser } from '../auth/system-browser.js'
import { azureCliAccountName } from '../auth/azure-cli-account.js'
import { createDeveloperTokenProvider, redactingTokens } from '../auth/developer-credential.js'
import type { BridgeEmitter, BridgeHandlers } from '../bridge/serve-bridge.js'
import { startLocalEngine, type LocalEngine } from '../engine/server.js'
import { presetCommands } from '../presets/preset-commands.js'
import { openPresetStore, type PresetStore } from '../presets/preset-store.js'
import type { StoreBackendFactory } from '../presets/store-backend.js'
import { FileLogger } from '../logging/file-logger.js'
import type { GlobalHotkeyStatus, KeyTarget } from '../push-to-talk/global-hotkey.js'
import { PushToTalkControl, type PushToTalkView } from '../push-to-talk/push-to-talk-control.js'
import type { PttPhase, PttTiming } from '../push-to-talk/push-to-talk-machine.js'
import type { Target } from '../voicelive-protocol/connection-url.js'
import { SessionFailure, VoiceSession, type ConnectionSettings, type SessionTiming } from '../voice-session/index.js'
import { createBridgeAudioSink } from './bridge-audio-sink.js'
import { createProtocolEventCoalescer } from './protocol-event-coalescer.js'
import { memorySecretStore, openSettingsStore, type SecretStore, type SettingsStore } from './settings-store.js'
import { createSpeakingTracker } from './speaking-tracker.js'
import { createStereoRecorder, type StereoRecorder } from './stereo-recorder.js'
import { toExportedTurns, transcriptToJson, transcriptToMarkdown } from './transcript-export.js'

export interface AppServicesOptions {
  readonly transportKind: 'electron' | 'harness'
  readonly appVersion: string
  /** settings.json, presets.json, logs/ and exports/ live here. */
  readonly userDataDir: string
  /** Electron: electron-store. Absent: conf, on the same presets.json. */
  readonly presetBackend?: StoreBackendFactory
  /** Electron: safeStorage-backed. Absent: the API key lives in memory for this run only. */
  readonly secretStore?: SecretStore
  /** Opens a file with the OS (Electron `shell.openPath`); absent in the harness. */
  readonly openPath?: (path: string) => Promise<void>
  /** Opens an allow-listed https link in the browser (Electron); absent in the harness. */
  readonly openExternal?: (url: string) => Promise<void>
  /** Starts the in-process engine used by the "local engine" profile; tests pass fault switches here. */
  readonly startEngine?: () => Promise<LocalEngine>
  readonly sessionTiming?: SessionTiming
  /**
   * Microsoft account sign-in. Electron: safeStorage protection and shell.openExternal. Absent
   * (the harness): the system browser (BROWSER or the OS default), and the token cache in memory.
   */
  readonly account?: Partial<Pick<AccountServiceOptions, 'openBrowser' | 'chooseProtection' | 'timeoutMs' | 'env'>>
  readonly pushToTalkTiming?: Partial<PttTiming>
}

/** The in-window hold-to-talk key, one of push-to-talk's key sources. */
const WINDOW_KEY_SOURCE = 'window-key'

/** What the tray shows: the session, push-to-talk, and whether the assistant is heard. */
export interface AppActivity {
  readonly session: SessionState['status']
  readonly ptt: PttPhase
  readonly assistantSpeaking: boolean
}

export interface AppServices {
  readonly handlers: BridgeHandlers
  /** Push-to-talk: every key source presses here (the in-window key arrives over the bridge). */
  readonly pushToTalk: {
    readonly keys: KeyTarget
    /** What the global key does on this desktop, and why if it is not hold-to-talk. */
    setGlobalKey(status: GlobalHotkeyStatus | null): void
    /** The chosen global key now, and on every change in Settings. */
    followHotkey(listener: (hotkey: Hotkey) => void): void
  }
  /** Called on every change of what the tray shows. */
  onActivity(listener: (activity: AppActivity) => void): void
  /** Whether a session is connecting, live or reconnecting (the tray's Start/End). */
  readonly sessionRunning: boolean
  /** Events reach the renderer once attached (the emitter `serveBridge` returns). */
  attach(emitter: BridgeEmitter): void
  dispose(): Promise<void>
  /** The log file, for the shell and tests. */
  readonly logPath: string
  /** For the tray menu: the presets by display name and the selected one; a choice made there is
   * pushed to the window (`preset.changed`). Selecting is refused while a session runs. */
  readonly presetMenu: {
    list(): Promise<PresetView>
    select(id: string): Promise<PresetView>
  }
  /** For the tray menu: a talk mode chosen there is pushed to the window (`settings.changed`). */
  setTalkMode(mode: SettingsView['talkMode']): Promise<SettingsView>
  /** For the tray menu: the Microsoft account, as the window's Account panel sees it. */
  readonly accountMenu: {
    status(): Promise<AccountStatus>
    /** Opens the browser; without an app registration there is nothing to open (the status says so). */
    signIn(): Promise<AccountStatus>
    /** Signs the current account out (others stay signed in). */
    signOut(): Promise<AccountStatus>
    /** Every change, from the window, the tray or a token that expired. */
    onStatus(listener: (status: AccountStatus) => void): void
  }
}

const configError = (message: string): SessionError => ({ kind: 'config', message, retryable: false })

const stamp = (date: Date): string => date.toISOString().replace(/[:.]/g, '-').replace('Z', '')

export function createAppServices(options: AppServicesOptions): AppServices {
  const secretStore = options.secretStore ?? memorySecretStore()
  const logPath = join(options.userDataDir, 'logs', 'voicelive.log')
  // The logger writes synchronously and quietly gives up on errors, so its folder must exist first.
  mkdirSync(dirname(logPath), { recursive: true })
  const logger = new FileLogger({ path: logPath })
  const problem = (message: string) => logger.log('warn', message)
  const ready: Promise<{ settings: SettingsStore; presets: PresetStore }> = Promise.all([
    openSettingsStore(options.userDataDir, secretStore, problem),
    openPresetStore(options.userDataDir, {
      onProblem: problem,
      ...(options.presetBackend ? { backend: options.presetBackend } : {}),
    }),
  ]).then(([settings, presets]) => {
    logger.addSecret(settings.apiKey())
    return { settings, presets }
  })
  // Every handler awaits `ready` and reports its failure; this only keeps it from being "unhandled".
  ready.catch((error: unknown) => logger.log('error', 'settings could not be loaded', { error: String(error) }))

  let emitter: BridgeEmitter | null = null
  const accountListeners: ((status: AccountStatus) => void)[] = []
  const account = createAccountService({
    userDataDir: options.userDataDir,
    env: options.account?.env ?? process.env,
    openBrowser: options.account?.openBrowser ?? systemBrowser(),
    chooseProtection: options.account?.chooseProtection,
    memoryOnlyNote: 'The harness keeps your sign-in in memory only: it is gone when the harness stops.',
    timeoutMs: options.account?.timeoutMs,
    logger,
    onStatus: (status) => {
      emitter?.emit('account.status', status)
      for (const listener of accountListeners) listener(status)
    },
  })
  let engine: Promise<LocalEngine> | null = null
  let session: VoiceSession | null = null
  let recorder: StereoRecorder | null = null
  let startedAt = new Date()
  let transcript = new Map<string, TranscriptEntry>()
  let metrics: TurnMetrics[] = []
  // One for the app's life, so a token is reused across sessions until shortly before it expires.
  const azureCli = redactingTokens(createDeveloperTokenProvider({ credential: 'cli' }), (token) =>
    logger.addSecret(token),
  )
  let starts = 0

  // Push-to-talk has one owner for the app's life; each session is attached to it in turn.
  let globalKey: GlobalHotkeyStatus | null = null
  let pttView: PushToTalkView | null = null
  const activityListeners: Array<(activity: AppActivity) => void> = []
  const hotkeyListeners: Array<(hotkey: Hotkey) => void> = []
  const hotkeyOf = (accelerator: string): Hotkey => {
    const parsed = parseHotkey(accelerator)
    if (!parsed.ok) throw new Error(`This key cannot be the push-to-talk key: ${parsed.error}`)
    return parsed.hotkey
  }
  let assistantSpeaking = false
  const reportActivity = () => {
    const activity: AppActivity = {
      session: session?.currentState.status ?? 'idle',
      ptt: pushToTalk.phase,
      assistantSpeaking,
    }
    for (const listener of activityListeners) listener(activity)
  }
  const emitPushToTalk = () => {
    if (pttView) emitter?.emit('push-to-talk.state', { ...pttView, globalKey })
  }
  const pushToTalk = new PushToTalkControl({
    ...(options.pushToTalkTiming ? { timing: options.pushToTalkTiming } : {}),
    onView: (view) => {
      pttView = view
      emitPushToTalk()
      reportActivity()
    },
  })
  const speaking = createSpeakingTracker(
    () => session?.audioFormat.outputSampleRate ?? 24_000,
    (now) => {
      assistantSpeaking = now
      reportActivity()
    },
  )

  // One for the app's life, not per session, so a run held back at a session's end still goes out
  // before anything of the next one.
  const protocolEvents = createProtocolEventCoalescer((event) => emitter?.emit('session.protocol-event', event))
  const sink = createBridgeAudioSink({
    emitter: () => emitter,
    onChunk: (pcm) => {
      recorder?.addAssistant(pcm)
      speaking.chunk(pcm.byteLength)
    },
    onFlush: () => {
      recorder?.flushAssistant()
      speaking.flush()
    },
  })

  const running = (): boolean => {
    const status = session?.currentState.status
    return status === 'connecting' || status === 'live' || status === 'reconnecting'
  }
  const requireIdle = (): void => {
    if (running()) throw new Error('Settings are locked while a session runs. End it first.')
  }

  const localEngine = (): Promise<LocalEngine> => {
    engine ??= (options.startEngine ?? (() => startLocalEngine({ host: '127.0.0.1', port: 0 })))().catch(
      (error: unknown) => {
        engine = null
        throw error
      },
    )
    return engine
  }

  async function connectionFor(settings: SettingsStore, preset: Preset): Promise<ConnectionSettings | SessionError> {
    const stored = settings.current()
    const target: Target =
      stored.target.kind === 'agent'
        ? {
            kind: 'agent',
            agentName: stored.target.name.trim(),
            projectName: stored.target.project.trim(),
            agentVersion: stored.target.version.trim() || undefined,
          }
        : { kind: 'model', model: preset.model ?? DEFAULT_MODEL }
    if (target.kind === 'agent' && (!target.agentName || !target.projectName)) {
      return configError('A Foundry agent needs its name and its project name (Configuration panel).')
    }
    const apiVersion = stored.connection.apiVersion.trim() || undefined
    if (stored.connection.profile === 'local-engine') {
      const { url } = await localEngine()
      return { endpoint: url, auth: { kind: 'none' }, target, apiVersion }
    }
    if (!stored.connection.endpoint.trim()) return configError('Enter your Voice Live endpoint in Settings.')
    if (stored.connection.profile === 'microsoft-account') {
      // The token is fetched (silently) before every connect, reconnect and roll-over.
      const { scope } = await account.status()
      return {
        endpoint: stored.connection.endpoint.trim(),
        auth: { kind: 'token-provider', provider: account.tokenProvider },
        tokenScope: scope,
        target,
        apiVersion,
      }
    }
    if (stored.connection.profile === 'azure-cli') {
      return {
        endpoint: stored.connection.endpoint.trim(),
        auth: { kind: 'token-provider', provider: azureCli },
        target,
        apiVersion,
      }
    }
    const apiKey = settings.apiKey()
    if (!apiKey) return configError('Enter your API key in Settings, or use the local engine.')
    return { endpoint: stored.connection.endpoint.trim(), auth: { kind: 'api-key', apiKey }, target, apiVersion }
  }

  async function startSession(): Promise<void> {
    if (running()) {
      // A window that reloaded mid-session asks again: tell it where things stand.
      if (session) emitter?.emit('session.state', session.currentState)
      return
    }
    const { settings, presets } = await ready
    const stored = settings.current()
    const chosen = presets.current()
    // Push-to-talk from the preset or from Settings (which wins when it says so).
    const preset: Preset = sessionPreset(chosen, stored.talkMode === 'push-to-talk' ? 'push-to-talk' : chosen.talkMode)
    startedAt = new Date()
    transcript = new Map()
    metrics = []
    recorder = null
    const emit = emitter
    emit?.emit('session.state', {
      status: 'connecting',
      step: stored.connection.profile === 'local-engine' ? 'Starting the local engine' : 'Connecting',
    })
    showIdentity(stored.connection.profile)

    let connection: ConnectionSettings | SessionError
    try {
      connection = await connectionFor(settings, preset)
    } catch (error) {
      connection = {
        kind: 'network',
        message: `The local engine could not start: ${(error as Error).message}`,
        retryable: true,
      }
    }
    if ('kind' in connection) {
      emit?.emit('session.state', { status: 'error', error: connection })
      return
    }
    const current = new VoiceSession({
      connection,
      preset,
      audioSink: sink,
      logger,
      ...(options.sessionTiming ? { timing: options.sessionTiming } : {}),
    })
    session = current
    const format = current.audioFormat
    if (stored.recordAudio) {
      recorder = createStereoRecorder(format.outputSampleRate, format.inputSampleRate, () => performance.now())
    }
    emitter?.emit('audio.format', format)
    pushToTalk.attach(current)
    current.on('state', (state) => {
      pushToTalk.sessionState(state)
      emitter?.emit('session.state', state)
      reportActivity()
    })
    current.on('transcript', (entry) => {
      transcript.set(entry.itemId, entry)
      emitter?.emit('session.transcript', entry)
    })
    current.on('metrics', (turn) => {
      metrics.push(turn)
      emitter?.emit('session.turn-metrics', turn)
    })
    current.on('protocol', (event) => protocolEvents.push(event))
    current.on('audio-format', (next) => emitter?.emit('audio.format', next))
    current.on('service-error', (error) => emitter?.emit('session.service-error', error))
    try {
      await current.start()
    } catch (error) {
      // The session already reported the failure as an `error` state; anything else is a bug.
      if (!(error instanceof SessionFailure)) {
        logger.log('error', 'session start failed unexpectedly', { error: String(error) })
        emitter?.emit('session.state', {
          status: 'error',
          error: { kind: 'service', message: `The session failed: ${String(error)}`, retryable: true },
        })
      }
    }
  }

  /**
   * Tell the status bar who this session connects as (a key or the local engine is nobody);
   * `az account show` names the account in the background.
   */
  function showIdentity(profile: ConnectionProfile): void {
    const start = ++starts
    emitter?.emit('session.identity', { label: profile === 'azure-cli' ? 'your Azure CLI account' : null })
    if (profile !== 'azure-cli') return
    void azureCliAccountName().then((name) => {
      if (name && start === starts) emitter?.emit('session.identity', { label: `${name} (Azure CLI)` })
    })
  }

  async function saveExport(extension: string, data: string | Uint8Array): Promise<{ path: string; opened: boolean }> {
    const dir = join(options.userDataDir, 'exports')
    await mkdir(dir, { recursive: true })
    const path = join(dir, `conversation-${stamp(startedAt)}.${extension}`)
    await writeFile(path, data)
    return { path, opened: false }
  }

  const snapshot = () => ({ startedAt, turns: toExportedTurns(transcript.values()), metrics })

  const handlers: BridgeHandlers = {
    commands: {
      'app.info': async () => ({
        name: 'Voice Live Desktop',
        version: options.appVersion,
        transport: options.transportKind,
        features: { secureStorage: secretStore.persistent },
      }),
      'session.start': async () => {
        await startSession()
        return {}
      },
      'session.stop': async () => {
        await session?.stop()
        return {}
      },
      'session.current': async () => session?.currentState ?? { status: 'idle' },
      'session.interrupt': async () => {
        await session?.interrupt()
        return {}
      },
      'shell.open-external': async ({ url }) => {
        if (!options.openExternal) throw new Error(`Links cannot be opened from the harness; open ${url} yourself.`)
        await options.openExternal(url)
        return {}
      },
      'settings.get': async () => (await ready).settings.view(),
      'settings.update': async (change) => {
        const { settings } = await ready
        if (change.connection || change.target || change.talkMode) requireIdle()
        const hotkey = change.pushToTalkHotkey === undefined ? null : hotkeyOf(change.pushToTalkHotkey)
        const view = await settings.update(hotkey ? { ...change, pushToTalkHotkey: formatHotkey(hotkey) } : change)
        logger.addSecret(settings.apiKey())
        if (hotkey) for (const listener of hotkeyListeners) listener(hotkey)
        return view
      },
      ...presetCommands({
        store: async () => (await ready).presets,
        requireIdle,
        exportDir: join(options.userDataDir, 'exports'),
      }),
      'models.list': async () => ({ defaultModel: DEFAULT_MODEL, models: MODELS.map((model) => ({ ...model })) }),
      'account.status': () => account.status(),
      'account.configure': (change) => {
        requireIdle()
        return account.configure(change)
      },
      'account.sign-in': (request) => account.signIn(request),
      'account.cancel-sign-in': async () => {
        account.cancelSignIn()
        return {}
      },
      'account.switch': ({ homeAccountId }) => {
        requireIdle()
        return account.switchAccount(homeAccountId)
      },
      'account.sign-out': ({ homeAccountId }) => {
        requireIdle()
        return account.signOut(homeAccountId)
      },
      'account.discover-resources': () => account.discoverResources(),
      'export.transcript': async ({ format }) => {
        const data = snapshot()
        if (data.turns.length === 0) throw new Error('There is no conversation to export yet.')
        return format === 'markdown'
          ? saveExport('md', transcriptToMarkdown(data))
          : saveExport('json', transcriptToJson(data))
      },
      'export.audio': async () => {
        if (!recorder || recorder.durationSeconds() === 0) {
          throw new Error('No audio was recorded: turn on "Keep the session\'s audio" in Settings and talk first.')
        }
        return saveExport('wav', recorder.toWav())
      },
      'log.open': async () => {
        logger.log('info', 'log file opened from the app')
        if (!options.openPath) return { path: logPath, opened: false }
        await options.openPath(logPath)
        return { path: logPath, opened: true }
      },
    },
    sends: {
      'audio.mic-frame': (pcm) => {
        session?.appendAudio(pcm)
        pushToTalk.micFrame(pcm.byteLength) // after the append: the frame that ends the tail is sent
        if (session?.currentState.status === 'live') recorder?.addMic(pcm)
      },
      'audio.playback-position': (report) => sink.position(report),
      'session.push-to-talk': ({ pressed }) => {
        if (pressed) pushToTalk.keys.down(WINDOW_KEY_SOURCE)
        else pushToTalk.keys.up(WINDOW_KEY_SOURCE)
      },
    },
  }

  return {
    handlers,
    logPath,
    pushToTalk: {
      keys: pushToTalk.keys,
      setGlobalKey(status) {
        globalKey = status
        emitPushToTalk()
      },
      followHotkey(listener) {
        hotkeyListeners.push(listener)
        void ready.then(({ settings }) => listener(hotkeyOf(settings.current().pushToTalkHotkey)))
      },
    },
    onActivity(listener) {
      activityListeners.push(listener)
    },
    get sessionRunning() {
      return running()
    },
    presetMenu: {
      list: () => handlers.commands['preset.list']({}),
      async select(id) {
        const view = await handlers.commands['preset.select']({ id })
        emitter?.emit('preset.changed', view)
        return view
      },
    },
    async setTalkMode(talkMode) {
      const view = await handlers.commands['settings.update']({ talkMode })
      emitter?.emit('settings.changed', view)
      return view
    },
    accountMenu: {
      status: () => account.status(),
      async signIn() {
        const status = await account.status()
        return status.clientId === null ? status : account.signIn({ selectAccount: false })
      },
      async signOut() {
        const status = await account.status()
        return status.current ? account.signOut(status.current.homeAccountId) : status
      },
      onStatus: (listener) => void accountListeners.push(listener),
    },
    attach(next) {
      emitter = next
      emitPushToTalk()
    },
    async dispose() {
      account.cancelSignIn()
      await ready.catch(() => undefined)
      pushToTalk.attach(null)
      pushToTalk.dispose()
      speaking.dispose()
      await session?.stop()
      session = null
      protocolEvents.flush()
      const started = engine
      engine = null
      if (started) await (await started.catch(() => null))?.close()
    },
  }
}
