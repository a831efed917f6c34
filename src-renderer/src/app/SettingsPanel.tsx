import { useId, useState } from 'react'
import type { AppInfo, SettingsUpdate, SettingsView } from '../../../src-shared/bridge/payloads.js'
import type { DeviceLabels } from './use-audio.js'

function DeviceSelect(props: {
  readonly label: string
  readonly value: string | null
  readonly options: readonly string[]
  readonly disabled: boolean
  readonly onChange: (label: string | null) => void
}) {
  const id = useId()
  const options = props.value && !props.options.includes(props.value) ? [...props.options, props.value] : props.options
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? ''}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">System default</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  )
}

function Check(props: {
  readonly label: string
  readonly checked: boolean
  readonly disabled?: boolean
  readonly onChange: (checked: boolean) => void
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.label}
    </label>
  )
}

export function SettingsPanel(props: {
  readonly settings: SettingsView
  readonly info: AppInfo | null
  readonly devices: DeviceLabels
  readonly locked: boolean
  readonly onUpdate: (change: SettingsUpdate) => void
}) {
  const { settings, locked, onUpdate } = props
  const { devices } = props
  const [endpoint, setEndpoint] = useState(settings.connection.endpoint)
  const [apiVersion, setApiVersion] = useState(settings.connection.apiVersion)
  const [apiKey, setApiKey] = useState('')
  const ids = { endpoint: useId(), apiVersion: useId(), apiKey: useId() }
  const azure = settings.connection.profile === 'api-key'
  const harness = props.info?.transport === 'harness'

  return (
    <div className="settings">
      {harness ? (
        <p className="notice" role="note">
          You are in the browser harness. The tray, the global push-to-talk hotkey and secure key storage
          (safeStorage) exist only in the desktop app; an API key entered here is kept in memory for this run.
        </p>
      ) : null}

      <fieldset disabled={locked}>
        <legend>Connection</legend>
        <div className="radio-row" role="radiogroup" aria-label="Connection profile">
          <label className="check">
            <input
              type="radio"
              name="profile"
              checked={!azure}
              onChange={() => onUpdate({ connection: { profile: 'local-engine' } })}
            />
            Local engine (no account needed)
          </label>
          <label className="check">
            <input
              type="radio"
              name="profile"
              checked={azure}
              onChange={() => onUpdate({ connection: { profile: 'api-key' } })}
            />
            Azure, with an API key
          </label>
        </div>
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
            <div className="field">
              <label htmlFor={ids.endpoint}>Endpoint</label>
              <input
                id={ids.endpoint}
                type="url"
                placeholder="https://your-resource.services.ai.azure.com"
                value={endpoint}
                onChange={(event) => setEndpoint(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.apiVersion}>API version</label>
              <input
                id={ids.apiVersion}
                placeholder="default (pinned GA version)"
                value={apiVersion}
                onChange={(event) => setApiVersion(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.apiKey}>API key</label>
              <input
                id={ids.apiKey}
                type="password"
                autoComplete="off"
                placeholder={settings.connection.apiKeySet ? 'A key is stored (type to replace it)' : 'Paste your key'}
                value={apiKey}
                onChange={(event) => setApiKey(event.target.value)}
              />
              {settings.connection.apiKeyPersisted ? null : (
                <span className="hint">Kept in memory for this run only: no secure storage is available here.</span>
              )}
            </div>
            <div className="row">
              <button type="submit">Save connection</button>
              {settings.connection.apiKeySet ? (
                <button type="button" className="secondary" onClick={() => onUpdate({ connection: { apiKey: null } })}>
                  Forget key
                </button>
              ) : null}
            </div>
          </form>
        ) : null}
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Audio</legend>
        <DeviceSelect
          label="Microphone"
          value={settings.audio.inputDeviceLabel}
          options={devices.inputs}
          disabled={locked}
          onChange={(label) => onUpdate({ audio: { inputDeviceLabel: label } })}
        />
        <DeviceSelect
          label="Speaker"
          value={settings.audio.outputDeviceLabel}
          options={devices.outputs}
          disabled={locked}
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
        <div className="radio-row" role="radiogroup" aria-label="Talk mode">
          <label className="check">
            <input
              type="radio"
              name="talk-mode"
              checked={settings.talkMode === 'hands-free'}
              onChange={() => onUpdate({ talkMode: 'hands-free' })}
            />
            Hands-free
          </label>
          <label className="check">
            <input
              type="radio"
              name="talk-mode"
              checked={settings.talkMode === 'push-to-talk'}
              onChange={() => onUpdate({ talkMode: 'push-to-talk' })}
            />
            Push-to-talk (hold Space)
          </label>
        </div>
        <Check
          label="Keep the session's audio for a stereo WAV export"
          checked={settings.recordAudio}
          onChange={(checked) => onUpdate({ recordAudio: checked })}
        />
      </fieldset>
    </div>
  )
}
