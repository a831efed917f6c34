import { useState, type ReactNode } from 'react'
import type { AppInfo, PushToTalkState, SettingsUpdate, SettingsView } from '../../../src-shared/bridge/payloads.js'
import { formatHotkey, hotkeyFromKeyboardEvent } from '../../../src-shared/hotkey/hotkey.js'
import { Check, Field, RadioGroup } from './controls.js'
import type { DeviceLabels } from './use-audio.js'

function DeviceSelect(props: {
  readonly label: string
  readonly value: string | null
  readonly options: readonly string[]
  readonly onChange: (label: string | null) => void
}) {
  // A remembered device that is unplugged stays listed, so the choice is visible.
  const options = props.value && !props.options.includes(props.value) ? [...props.options, props.value] : props.options
  return (
    <Field label={props.label}>
      {(id) => (
        <select
          id={id}
          value={props.value ?? ''}
          onChange={(event) => props.onChange(event.target.value === '' ? null : event.target.value)}
        >
          <option value="">System default</option>
          {options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

const MODIFIER_CODES = /^(Control|Alt|Shift|Meta|OS)(Left|Right)?$/

/** The global key, chosen by pressing it: click, then press the combination (Escape cancels). */
function HotkeyCapture(props: { readonly value: string; readonly onChange: (accelerator: string) => void }) {
  const [capturing, setCapturing] = useState(false)
  const [problem, setProblem] = useState('')
  const onKeyDown = (event: React.KeyboardEvent<HTMLButtonElement>) => {
    if (!capturing) return
    event.preventDefault()
    if (event.code === 'Escape') return setCapturing(false)
    if (MODIFIER_CODES.test(event.code)) return // wait for the key that goes with them
    const parsed = hotkeyFromKeyboardEvent(event)
    setCapturing(false)
    if (!parsed.ok) return setProblem(parsed.error)
    setProblem('')
    props.onChange(formatHotkey(parsed.hotkey))
  }
  return (
    <Field label="Global push-to-talk key" hint={problem || undefined}>
      {(id) => (
        <button
          id={id}
          type="button"
          className="secondary"
          aria-pressed={capturing}
          onClick={() => setCapturing(true)}
          onKeyDown={onKeyDown}
          onBlur={() => setCapturing(false)}
        >
          {capturing ? 'Press the new key…' : props.value}
        </button>
      )}
    </Field>
  )
}

/** The global key, or why there is none: every fallback is explained. */
function globalKeyText(globalKey: PushToTalkState['globalKey']): string {
  if (!globalKey) return 'In this window, hold Space. A global key (from any app) needs the desktop app.'
  const how =
    globalKey.mode === 'hold'
      ? `From any app, hold ${globalKey.hotkey} to talk.`
      : globalKey.mode === 'toggle'
        ? `From any app, press ${globalKey.hotkey} to talk and again to send.`
        : 'The global key is off.'
  return [how, globalKey.reason, 'In this window, hold Space.'].filter(Boolean).join(' ')
}

export function SettingsPanel(props: {
  readonly settings: SettingsView
  readonly info: AppInfo | null
  readonly devices: DeviceLabels
  readonly locked: boolean
  /** What the global push-to-talk key does here (main decides); null in the harness. */
  readonly globalKey: PushToTalkState['globalKey']
  readonly onUpdate: (change: SettingsUpdate) => void
  /** The Microsoft account panel, shown under the connection when that profile is chosen. */
  readonly children?: ReactNode
}) {
  const { settings, locked, onUpdate } = props
  const { devices } = props
  const [endpoint, setEndpoint] = useState(settings.connection.endpoint)
  const [apiVersion, setApiVersion] = useState(settings.connection.apiVersion)
  const [apiKey, setApiKey] = useState('')
  const azure = settings.connection.profile !== 'local-engine'
  const withKey = settings.connection.profile === 'api-key'
  const harness = props.info?.transport === 'harness'

  return (
    <div className="settings">
      {harness ? (
        <p className="notice" role="note">
          You are in the browser harness. The tray, the global push-to-talk hotkey and secure key storage (safeStorage)
          exist only in the desktop app; an API key entered here is kept in memory for this run.
        </p>
      ) : null}

      <fieldset disabled={locked}>
        <legend>Connection</legend>
        <RadioGroup
          label="Connection profile"
          value={settings.connection.profile}
          options={[
            { value: 'local-engine', label: 'Local engine (no account needed)' },
            { value: 'api-key', label: 'Azure, with an API key' },
            { value: 'microsoft-account', label: 'Azure, with my Microsoft account' },
            { value: 'azure-cli', label: 'My Azure CLI account (az login)' },
          ]}
          onChange={(profile) => onUpdate({ connection: { profile } })}
        />
        {azure ? (
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault()
              onUpdate({
                connection: { endpoint: endpoint.trim(), apiVersion: apiVersion.trim(), ...(apiKey ? { apiKey } : {}) },
              })
              setApiKey('')
            }}
          >
            <Field label="Endpoint">
              {(id) => (
                <input
                  id={id}
                  type="url"
                  placeholder="https://your-resource.services.ai.azure.com"
                  value={endpoint}
                  onChange={(event) => setEndpoint(event.target.value)}
                />
              )}
            </Field>
            <Field label="API version">
              {(id) => (
                <input
                  id={id}
                  placeholder="default (pinned GA version)"
                  value={apiVersion}
                  onChange={(event) => setApiVersion(event.target.value)}
                />
              )}
            </Field>
            {settings.connection.profile === 'azure-cli' ? (
              <p className="hint">
                No key and no app registration: the app asks the Azure CLI for a token of the account you signed in with{' '}
                <code>az login</code>, before every connect. That account needs a role such as Cognitive Services User
                on the resource.
              </p>
            ) : null}
            {withKey ? (
              <Field
                label="API key"
                hint={
                  settings.connection.apiKeyPersisted
                    ? undefined
                    : 'Kept in memory for this run only: no secure storage is available here.'
                }
              >
                {(id) => (
                  <input
                    id={id}
                    type="password"
                    autoComplete="off"
                    placeholder={
                      settings.connection.apiKeySet ? 'A key is stored (type to replace it)' : 'Paste your key'
                    }
                    value={apiKey}
                    onChange={(event) => setApiKey(event.target.value)}
                  />
                )}
              </Field>
            ) : null}
            <div className="row">
              <button type="submit">Save connection</button>
              {withKey && settings.connection.apiKeySet ? (
                <button type="button" className="secondary" onClick={() => onUpdate({ connection: { apiKey: null } })}>
                  Forget key
                </button>
              ) : null}
            </div>
          </form>
        ) : null}
      </fieldset>

      {props.children}

      <fieldset disabled={locked}>
        <legend>Audio</legend>
        <DeviceSelect
          label="Microphone"
          value={settings.audio.inputDeviceLabel}
          options={devices.inputs}
          onChange={(label) => onUpdate({ audio: { inputDeviceLabel: label } })}
        />
        <DeviceSelect
          label="Speaker"
          value={settings.audio.outputDeviceLabel}
          options={devices.outputs}
          onChange={(label) => onUpdate({ audio: { outputDeviceLabel: label } })}
        />
        <p className="hint">Browser capture processing (off by default: the service cancels echo and noise).</p>
        <Check
          label="Echo cancellation"
          checked={settings.audio.echoCancellation}
          onChange={(checked) => onUpdate({ audio: { echoCancellation: checked } })}
        />
        <Check
          label="Noise suppression"
          checked={settings.audio.noiseSuppression}
          onChange={(checked) => onUpdate({ audio: { noiseSuppression: checked } })}
        />
        <Check
          label="Automatic gain"
          checked={settings.audio.autoGainControl}
          onChange={(checked) => onUpdate({ audio: { autoGainControl: checked } })}
        />
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Talking</legend>
        <RadioGroup
          label="Talk mode"
          value={settings.talkMode}
          options={[
            { value: 'hands-free', label: 'Hands-free' },
            { value: 'push-to-talk', label: 'Push-to-talk (hold Space)' },
          ]}
          onChange={(talkMode) => onUpdate({ talkMode })}
        />
        <Check
          label="Keep the session's audio for a stereo WAV export"
          checked={settings.recordAudio}
          onChange={(checked) => onUpdate({ recordAudio: checked })}
        />
      </fieldset>

      <fieldset>
        <legend>Push-to-talk</legend>
        <Check
          label="Play a sound on press and release"
          checked={settings.pushToTalkCues}
          onChange={(checked) => onUpdate({ pushToTalkCues: checked })}
        />
        <HotkeyCapture value={settings.pushToTalkHotkey} onChange={(pushToTalkHotkey) => onUpdate({ pushToTalkHotkey })} />
        <p className="hint">{globalKeyText(props.globalKey)}</p>
      </fieldset>
    </div>
  )
}
