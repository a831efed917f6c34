/**
 * The window: a top bar (scenario picker, status, Start/End), the conversation (transcript, exports,
 * mic meter, hold-to-talk, Interrupt) and a tabbed side panel (Configuration, Diagnostics, Settings).
 * Accessibility contract the end-to-end tests rely on: buttons named exactly `Start` / `End`; the
 * transcript is `role="log"` named `Transcript`; the connection state is `role="status"` named
 * `Connection`; errors and notices are `role="alert"`; tabs follow the WAI-ARIA tabs pattern.
 * No inline styles or scripts: the production CSP allows neither.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { CommandResult } from '../../../src-shared/bridge/contract.js'
import type { AppInfo, SettingsUpdate, SettingsView, Target } from '../../../src-shared/bridge/payloads.js'
import { applySettingsUpdate } from '../../../src-shared/bridge/settings-update.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import type { PresetView } from '../../../src-shared/bridge/preset-payloads.js'
import type { Preset } from '../../../src-shared/preset/preset.js'
import { ConfigPanel, type ModelOption } from './ConfigPanel.js'
import { DiagnosticsPanel } from './DiagnosticsPanel.js'
import { MicIndicator } from './MicIndicator.js'
import { PresetManager } from './PresetManager.js'
import { SettingsPanel } from './SettingsPanel.js'
import { AccountPanel } from './AccountPanel.js'
import { StatusBar } from './StatusBar.js'
import { useAccount } from './use-account.js'
import { Tabs } from './Tabs.js'
import { TranscriptView } from './TranscriptView.js'
import './styles.css'
import { useAudio, usePlaybackStats } from './use-audio.js'
import { usePushToTalk, usePushToTalkState } from './use-push-to-talk.js'
import { useSessionModel } from './use-session-model.js'

/** Edits are sent to main shortly after the user stops typing, not on every keystroke. */
const PRESET_SAVE_DELAY_MS = 300

const valueOf = <T,>(result: CommandResult<T>): T => {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

interface Catalogue {
  readonly models: readonly ModelOption[]
  readonly defaultModel: string
}

export function App({ bridge }: { readonly bridge: VoiceLiveBridge }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [settings, setSettings] = useState<SettingsView | null>(null)
  const [presets, setPresets] = useState<PresetView | null>(null)
  const preset = presets?.current ?? null
  const [catalogue, setCatalogue] = useState<Catalogue>({ models: [], defaultModel: '' })
  const [tab, setTab] = useState('config')
  const [notice, setNotice] = useState('')
  const [logMessage, setLogMessage] = useState('')
  const model = useSessionModel(bridge)
  // Push-to-talk is owned by main; the window follows it (and is one of its key sources).
  const pttState = usePushToTalkState(bridge, settings?.pushToTalkCues ?? true)
  const talking = pttState?.phase === 'held' || pttState?.phase === 'tail'
  const account = useAccount(bridge)
  const microsoftAccount = settings?.connection.profile === 'microsoft-account'
  const pushToTalk =
    settings?.talkMode === 'push-to-talk' ||
    preset?.talkMode === 'push-to-talk' ||
    preset?.turnDetection.type === 'none'
  // The preset's mic processing adds to what Settings turns on for every preset.
  const capture = preset?.captureProcessing
  const audio = useAudio(
    bridge,
    settings && {
      ...settings.audio,
      echoCancellation: settings.audio.echoCancellation || (capture?.echoCancellation ?? false),
      noiseSuppression: settings.audio.noiseSuppression || (capture?.noiseSuppression ?? false),
      autoGainControl: settings.audio.autoGainControl || (capture?.autoGainControl ?? false),
    },
  )
  const presetTimer = useRef<number | undefined>(undefined)
  const pendingPreset = useRef<Preset | null>(null)
  const settingsRequest = useRef(0)

  const playback = usePlaybackStats(audio.pipeline, model.state.status !== 'idle' && model.state.status !== 'error')
  const report = useCallback((error: unknown) => setNotice(error instanceof Error ? error.message : String(error)), [])

  useEffect(() => {
    void Promise.all([
      bridge.commands['app.info']({}),
      bridge.commands['settings.get']({}),
      bridge.commands['preset.list']({}),
      bridge.commands['models.list']({}),
    ])
      .then(([infoResult, settingsResult, presetResult, modelsResult]) => {
        setInfo(valueOf(infoResult))
        setSettings(valueOf(settingsResult))
        const models = valueOf(modelsResult)
        setPresets(valueOf(presetResult))
        setCatalogue({ models: models.models, defaultModel: models.defaultModel })
      })
      .catch(report)
  }, [bridge, report])

  // The tray menu can pick a preset and the talk mode too.
  useEffect(() => bridge.events['preset.changed'](setPresets), [bridge])
  useEffect(() => bridge.events['settings.changed'](setSettings), [bridge])

  useEffect(
    () =>
      bridge.events['session.service-error'](({ code, message }) =>
        setNotice(`The service reported an error${code ? ` (${code})` : ''}: ${message}`),
      ),
    [bridge],
  )

  // The service may finish an answer long before the speaker does: playing counts too.
  const assistantSpeaking = model.assistantSpeaking || (playback?.playing ?? false)
  const status = model.state.status
  const running = status === 'connecting' || status === 'live' || status === 'reconnecting'
  const live = status === 'live'

  const start = async () => {
    setNotice('')
    model.clear()
    try {
      await flushPresetEdit()
      await audio.start()
      valueOf(await bridge.commands['session.start']({}))
    } catch (error) {
      await audio.stop()
      report(error)
    }
  }
  const end = async () => {
    const result = await bridge.commands['session.stop']({})
    await audio.stop()
    if (!result.ok) report(new Error(result.error.message))
  }

  const talk = (pressed: boolean) => bridge.sends['session.push-to-talk']({ pressed })
  usePushToTalk(live && pushToTalk, talk)

  const { pipeline } = audio
  const { state } = model
  useEffect(() => {
    // A session that ended by itself (an error, or the service closing) releases the mic too;
    // every new state counts, so a second failure in a row releases it again.
    if (state.status === 'idle' || state.status === 'error') void pipeline.stop()
  }, [pipeline, state])
  useEffect(() => {
    // A session started from the tray needs the mic too. The mic stays warm for the whole
    // session, so a push-to-talk press loses no first word; main decides what reaches the service.
    if (state.status === 'connecting' || state.status === 'live') void pipeline.start().catch(report)
  }, [pipeline, state, report])


  const updateSettings = (change: SettingsUpdate) => {
    // Shown at once, so fast typing builds on the latest value; only the answer to the latest
    // request may replace it, or an older answer would undo newer keystrokes.
    setSettings((current) => current && applySettingsUpdate(current, change))
    const request = ++settingsRequest.current
    void bridge.commands['settings.update'](change)
      .then((result) => {
        const view = valueOf(result)
        if (request === settingsRequest.current) setSettings(view)
      })
      .catch(report)
  }

  const savePreset = async (next: Preset) => {
    const result = await bridge.commands['preset.update']({ preset: next })
    setNotice(result.ok ? '' : `This preset cannot be used: ${result.error.message}`)
    // A newer edit still on its way owns the screen; this answer must not undo it.
    if (result.ok && !pendingPreset.current) setPresets(result.value)
  }
  const editPreset = (next: Preset) => {
    setPresets((view) => view && { ...view, current: { ...view.current, ...next }, unsaved: true })
    pendingPreset.current = next
    window.clearTimeout(presetTimer.current)
    presetTimer.current = window.setTimeout(() => {
      pendingPreset.current = null
      void savePreset(next)
    }, PRESET_SAVE_DELAY_MS)
  }
  /** Start must use the latest edit, even one made a moment ago. */
  const flushPresetEdit = async () => {
    const next = pendingPreset.current
    if (!next) return
    window.clearTimeout(presetTimer.current)
    pendingPreset.current = null
    await savePreset(next)
  }
  /** Preset manager commands: the edit in flight lands first, then main's answer is what shows. */
  const presetCommand = async (run: () => Promise<CommandResult<PresetView>>) => {
    try {
      await flushPresetEdit()
      setPresets(valueOf(await run()))
      setNotice('')
    } catch (error) {
      report(error)
    }
  }
  const selectPreset = (id: string) => {
    // A pending edit belongs to the preset being left; it is kept as that preset's draft first.
    void presetCommand(() => bridge.commands['preset.select']({ id }))
  }

  const exportFile = async (command: Promise<CommandResult<{ path: string; opened: boolean }>>) => {
    try {
      const saved = valueOf(await command)
      setNotice(`Saved to ${saved.path}`)
    } catch (error) {
      report(error)
    }
  }
  const openLog = async () => {
    const result = await bridge.commands['log.open']({})
    setLogMessage(result.ok ? (result.value.opened ? '' : `The log is at ${result.value.path}`) : result.error.message)
  }

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          Voice Live
          {info?.transport === 'harness' ? (
            <span className="badge" title="Browser harness: no tray, global hotkey or secure key storage here">
              harness
            </span>
          ) : null}
        </h1>
        <div className="field inline">
          <label htmlFor="preset-picker">Scenario</label>
          <select
            id="preset-picker"
            value={presets?.selectedId ?? ''}
            disabled={running || !presets}
            onChange={(event) => selectPreset(event.target.value)}
          >
            {presets?.presets.map((p) => (
              <option key={p.id} value={p.id} title={p.description}>
                {p.name}
              </option>
            ))}
          </select>
          {presets?.unsaved ? (
            <span className="badge unsaved" title="Edited in the Configuration panel and not saved">
              Unsaved changes
            </span>
          ) : null}
        </div>
        <StatusBar
          state={model.state}
          identity={model.identity}
          onRetry={() => void start()}
          account={
            microsoftAccount && account.status
              ? {
                  username: account.status.current?.username ?? null,
                  signInRequired: account.status.signInRequired,
                  onSignIn: () => account.run(bridge.commands['account.sign-in']({ selectAccount: false })),
                }
              : undefined
          }
        />
        <div className="actions">
          {running ? (
            <button type="button" className="danger big" onClick={() => void end()}>
              End
            </button>
          ) : (
            <button type="button" className="primary big" onClick={() => void start()} disabled={!settings}>
              Start
            </button>
          )}
        </div>
      </header>

      <main className="conversation">
        <div className="conversation-head">
          <h2>Conversation</h2>
          <div className="row" role="group" aria-label="Export">
            {(['markdown', 'json'] as const).map((format) => (
              <button
                key={format}
                type="button"
                className="secondary small"
                disabled={model.turns.length === 0}
                onClick={() => void exportFile(bridge.commands['export.transcript']({ format }))}
              >
                {format === 'markdown' ? 'Export Markdown' : 'Export JSON'}
              </button>
            ))}
            <button
              type="button"
              className="secondary small"
              disabled={!settings?.recordAudio || model.turns.length === 0}
              onClick={() => void exportFile(bridge.commands['export.audio']({}))}
            >
              Export WAV
            </button>
          </div>
        </div>
        <TranscriptView
          turns={model.turns}
          emptyHint={
            settings && settings.connection.profile !== 'local-engine'
              ? 'Press Start and speak: the app connects to your Azure resource.'
              : 'Press Start and say hello. The built-in local engine answers; no account or set-up needed.'
          }
        />
        <div className="notice-line" role="alert">
          {audio.error ?? (notice || pttState?.notice)}
        </div>
        <footer className="talkbar">
          <MicIndicator
            pipeline={audio.pipeline}
            live={live}
            userSpeaking={model.userSpeaking}
            assistantSpeaking={assistantSpeaking}
            pushToTalk={pushToTalk}
            talking={talking}
          />
          {pushToTalk ? (
            <button
              type="button"
              className={talking ? 'primary' : 'secondary'}
              disabled={!live}
              aria-pressed={talking}
              onPointerDown={() => talk(true)}
              onPointerUp={() => talk(false)}
              onPointerLeave={() => talking && talk(false)}
            >
              Hold to talk
            </button>
          ) : null}
          <button
            type="button"
            className="secondary"
            disabled={!live || !assistantSpeaking}
            onClick={() => void bridge.commands['session.interrupt']({})}
          >
            Interrupt
          </button>
        </footer>
      </main>

      <aside className="sidebar">
        <Tabs
          label="Panels"
          selected={tab}
          onSelect={setTab}
          tabs={[
            {
              id: 'config',
              label: 'Configuration',
              content:
                presets && preset && settings ? (
                  <>
                    <PresetManager
                      bridge={bridge}
                      view={presets}
                      locked={running}
                      onCommand={(run) => void presetCommand(run)}
                      onView={setPresets}
                      onNotice={setNotice}
                    />
                    <ConfigPanel
                      preset={preset}
                      models={catalogue.models}
                      defaultModel={catalogue.defaultModel}
                      target={settings.target}
                      locked={running}
                      onPreset={editPreset}
                      onTarget={(target: Target) => updateSettings({ target })}
                    />
                  </>
                ) : (
                  <p className="hint">Loading…</p>
                ),
            },
            {
              id: 'diagnostics',
              label: 'Diagnostics',
              content: (
                <DiagnosticsPanel
                  metrics={model.metrics}
                  playback={playback}
                  rows={model.eventRows}
                  eventOriginMs={model.eventOriginMs}
                  onOpenLog={() => void openLog()}
                  logMessage={logMessage}
                />
              ),
            },
            {
              id: 'settings',
              label: 'Settings',
              content: settings ? (
                <SettingsPanel
                  settings={settings}
                  info={info}
                  devices={audio.devices}
                  locked={running}
                  globalKey={pttState?.globalKey ?? null}
                  onUpdate={updateSettings}
                >
                  {microsoftAccount ? (
                    <AccountPanel
                      bridge={bridge}
                      account={account}
                      locked={running}
                      onUseEndpoint={(endpoint) => updateSettings({ connection: { endpoint } })}
                    />
                  ) : null}
                </SettingsPanel>
              ) : (
                <p className="hint">Loading…</p>
              ),
            },
          ]}
        />
      </aside>
    </div>
  )
}
