/**
 * The configuration panel, as in the playground: every change edits the current preset (the
 * schema the CLI's --preset-file reads). The whole panel is locked while a session runs.
 */
import type { Preset, TurnDetectionSettings, VoiceSettings } from '../../../src-shared/preset/preset.js'
import type { Target } from '../../../src-shared/bridge/payloads.js'
import { Check, Field, RadioGroup } from './controls.js'

export interface ModelOption {
  readonly id: string
  readonly kind: 'native' | 'cascaded'
  readonly tier: 'pro' | 'standard' | 'lite'
  readonly preview?: boolean
}

const TURN_DETECTION_LABELS: Record<TurnDetectionSettings['type'], string> = {
  azure_semantic_vad: 'Azure semantic VAD',
  azure_semantic_vad_en: 'Azure semantic VAD (English)',
  azure_semantic_vad_multilingual: 'Azure semantic VAD (multilingual)',
  server_vad: 'Server VAD (basic)',
  semantic_vad: 'Semantic VAD (OpenAI models)',
  none: 'Off: push-to-talk',
}
/** Suggestions only: any voice the service knows can be typed (notes/voicelive-protocol.md §3.1). */
const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar']
const AZURE_VOICES = [
  'en-US-Ava:DragonHDLatestNeural',
  'en-US-Andrew:DragonHDLatestNeural',
  'en-US-Emma:DragonHDLatestNeural',
  'en-US-AvaNeural',
  'en-US-AndrewNeural',
  'en-US-EmmaNeural',
  'en-GB-SoniaNeural',
  'de-DE-SeraphinaMultilingualNeural',
  'fr-FR-VivienneMultilingualNeural',
]
/** BCP-47 locales, or a comma list for auto-detection among several. */
const LANGUAGES = [
  'en-US',
  'en-GB',
  'es-ES',
  'fr-FR',
  'de-DE',
  'it-IT',
  'ja-JP',
  'zh-CN',
  'pt-BR',
  'hi-IN',
  'en-US,es-ES',
]
const TRANSCRIPTION_MODELS = [
  'azure-speech',
  'mai-transcribe-1',
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
]
const EOU_MODELS = ['semantic_detection_v1', 'semantic_detection_v1_en', 'semantic_detection_v1_multilingual']
const GROUPS: readonly { label: string; match: (m: ModelOption) => boolean }[] = [
  { label: 'Native audio: Pro', match: (m) => m.kind === 'native' && m.tier === 'pro' },
  { label: 'Native audio: Standard & Lite', match: (m) => m.kind === 'native' && m.tier !== 'pro' },
  { label: 'Cascaded: Pro', match: (m) => m.kind === 'cascaded' && m.tier === 'pro' },
  { label: 'Cascaded: Standard', match: (m) => m.kind === 'cascaded' && m.tier === 'standard' },
  { label: 'Cascaded: Lite', match: (m) => m.kind === 'cascaded' && m.tier === 'lite' },
]

/** A number input where empty means "service default". */
function NumberField(props: {
  readonly label: string
  readonly value: number | undefined
  readonly min: number
  readonly max: number
  readonly step: number
  readonly onChange: (value: number | undefined) => void
}) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          placeholder="default"
          min={props.min}
          max={props.max}
          step={props.step}
          value={props.value ?? ''}
          onChange={(event) => {
            const value = event.target.valueAsNumber
            props.onChange(Number.isFinite(value) ? Math.min(props.max, Math.max(props.min, value)) : undefined)
          }}
        />
      )}
    </Field>
  )
}

function Slider(props: {
  readonly label: string
  readonly value: number
  readonly min: number
  readonly max: number
  readonly step: number
  readonly format: (value: number) => string
  readonly onChange: (value: number) => void
}) {
  return (
    <Field label={props.label}>
      {(id) => (
        <div className="slider">
          <input
            id={id}
            type="range"
            min={props.min}
            max={props.max}
            step={props.step}
            value={props.value}
            aria-valuetext={props.format(props.value)}
            onChange={(event) => props.onChange(event.target.valueAsNumber)}
          />
          <output htmlFor={id}>{props.format(props.value)}</output>
        </div>
      )}
    </Field>
  )
}

function VoiceFields({
  voice,
  onChange,
}: {
  readonly voice: VoiceSettings
  readonly onChange: (v: VoiceSettings) => void
}) {
  const setType = (type: VoiceSettings['type']): void => {
    if (type === 'openai') onChange({ type, name: 'marin' })
    else if (type === 'azure-custom') onChange({ type, name: voice.name, endpointId: '' })
    else onChange({ type, name: voice.type === 'openai' ? 'en-US-AvaNeural' : voice.name })
  }
  const rate = voice.type === 'openai' ? undefined : Number.parseFloat(voice.rate ?? '1')
  return (
    <>
      <Field label="Voice type">
        {(id) => (
          <select id={id} value={voice.type} onChange={(e) => setType(e.target.value as VoiceSettings['type'])}>
            <option value="azure-standard">Azure standard (incl. HD)</option>
            <option value="azure-custom">Azure custom voice</option>
            <option value="openai">OpenAI (gpt-realtime only)</option>
          </select>
        )}
      </Field>
      <Field label="Voice name">
        {(id) => (
          <>
            <input
              id={id}
              list={`${id}-suggestions`}
              value={voice.name}
              onChange={(e) => onChange({ ...voice, name: e.target.value })}
            />
            <datalist id={`${id}-suggestions`}>
              {(voice.type === 'openai' ? OPENAI_VOICES : AZURE_VOICES).map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      {voice.type === 'azure-custom' ? (
        <Field label="Custom voice endpoint ID">
          {(id) => (
            <input
              id={id}
              value={voice.endpointId}
              onChange={(e) => onChange({ ...voice, endpointId: e.target.value })}
            />
          )}
        </Field>
      ) : null}
      {voice.type !== 'openai' ? (
        <>
          <Slider
            label="Voice temperature"
            value={voice.temperature ?? 0.8}
            min={0}
            max={1}
            step={0.05}
            format={(v) => v.toFixed(2)}
            onChange={(temperature) => onChange({ ...voice, temperature })}
          />
          <Slider
            label="Speaking rate"
            value={Number.isFinite(rate) ? (rate ?? 1) : 1}
            min={0.5}
            max={1.5}
            step={0.05}
            format={(v) => `${v.toFixed(2)}×`}
            onChange={(value) => onChange({ ...voice, rate: value.toFixed(2) })}
          />
        </>
      ) : null}
    </>
  )
}

function TurnDetectionFields(props: {
  readonly value: TurnDetectionSettings
  readonly onChange: (value: TurnDetectionSettings) => void
}) {
  const td = props.value
  const setType = (type: TurnDetectionSettings['type']): void => {
    if (type === 'none') props.onChange({ type })
    else props.onChange({ ...(td.type === 'none' ? { interruptResponse: true } : td), type })
  }
  return (
    <>
      <Field label="Turn detection">
        {(id) => (
          <select id={id} value={td.type} onChange={(e) => setType(e.target.value as TurnDetectionSettings['type'])}>
            {Object.entries(TURN_DETECTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {td.type !== 'none' ? (
        <>
          <Check
            label="Let me interrupt the assistant (barge-in)"
            checked={td.interruptResponse}
            onChange={(checked) => props.onChange({ ...td, interruptResponse: checked })}
          />
          <details className="advanced">
            <summary>Advanced turn detection</summary>
            <NumberField
              label="Threshold"
              value={td.threshold}
              min={0}
              max={1}
              step={0.05}
              onChange={(threshold) => props.onChange({ ...td, threshold })}
            />
            <NumberField
              label="Prefix padding (ms)"
              value={td.prefixPaddingMs}
              min={0}
              max={5000}
              step={50}
              onChange={(prefixPaddingMs) => props.onChange({ ...td, prefixPaddingMs })}
            />
            <NumberField
              label="Silence duration (ms)"
              value={td.silenceDurationMs}
              min={0}
              max={10000}
              step={50}
              onChange={(silenceDurationMs) => props.onChange({ ...td, silenceDurationMs })}
            />
            {td.type === 'semantic_vad' ? (
              <Field label="Eagerness">
                {(id) => (
                  <select
                    id={id}
                    value={td.eagerness ?? 'auto'}
                    onChange={(e) => props.onChange({ ...td, eagerness: e.target.value as 'auto' })}
                  >
                    {['auto', 'low', 'medium', 'high'].map((v) => (
                      <option key={v}>{v}</option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <>
                <Check
                  label="Remove filler words"
                  checked={td.removeFillerWords ?? false}
                  onChange={(checked) => props.onChange({ ...td, removeFillerWords: checked })}
                />
                <Field label="End-of-utterance detection">
                  {(id) => (
                    <select
                      id={id}
                      value={td.endOfUtterance?.model ?? ''}
                      onChange={(e) => {
                        const { endOfUtterance: _dropped, ...rest } = td
                        props.onChange(e.target.value ? { ...rest, endOfUtterance: { model: e.target.value } } : rest)
                      }}
                    >
                      <option value="">Off</option>
                      {EOU_MODELS.map((m) => (
                        <option key={m}>{m}</option>
                      ))}
                    </select>
                  )}
                </Field>
              </>
            )}
          </details>
        </>
      ) : (
        <p className="hint">Hold Space (or the talk button) to speak; releasing it sends your turn.</p>
      )}
    </>
  )
}

export function ConfigPanel(props: {
  readonly preset: Preset
  readonly models: readonly ModelOption[]
  readonly defaultModel: string
  readonly target: Target
  readonly locked: boolean
  readonly onPreset: (preset: Preset) => void
  readonly onTarget: (target: Target) => void
}) {
  const { preset, onPreset, target } = props
  const model = preset.model ?? props.defaultModel
  const transcription = preset.inputTranscription
  return (
    <fieldset className="config" disabled={props.locked}>
      <legend className="visually-hidden">Configuration</legend>
      {props.locked ? <p className="hint">Settings are locked while a session runs.</p> : null}
      <RadioGroup
        label="Talk to"
        value={target.kind}
        options={[
          { value: 'model', label: 'Generative model' },
          { value: 'agent', label: 'Foundry agent' },
        ]}
        onChange={(kind) => props.onTarget(kind === 'model' ? { kind } : { kind, name: '', project: '', version: '' })}
      />
      {target.kind === 'model' ? (
        <Field label="Model">
          {(id) => (
            <select id={id} value={model} onChange={(e) => onPreset({ ...preset, model: e.target.value })}>
              {GROUPS.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {props.models.filter(group.match).map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.id}
                      {m.preview ? ' (preview)' : ''}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <div className="grid-3">
          {(['name', 'project', 'version'] as const).map((key) => (
            <Field key={key} label={key === 'name' ? 'Agent name' : key === 'project' ? 'Project' : 'Version'}>
              {(id) => (
                <input
                  id={id}
                  value={target[key]}
                  placeholder={key === 'version' ? 'latest' : ''}
                  onChange={(e) => props.onTarget({ ...target, [key]: e.target.value })}
                />
              )}
            </Field>
          ))}
        </div>
      )}
      <Field
        label="Response instructions"
        hint={target.kind === 'agent' ? 'Agents use their own instructions.' : undefined}
      >
        {(id) => (
          <textarea
            id={id}
            rows={4}
            value={preset.instructions}
            disabled={target.kind === 'agent'}
            onChange={(e) => onPreset({ ...preset, instructions: e.target.value })}
          />
        )}
      </Field>
      <VoiceFields voice={preset.voice} onChange={(voice) => onPreset({ ...preset, voice })} />
      <TurnDetectionFields
        value={preset.turnDetection}
        onChange={(turnDetection) => onPreset({ ...preset, turnDetection })}
      />
      <Check
        label="Noise suppression"
        checked={preset.noiseSuppression}
        onChange={(checked) => onPreset({ ...preset, noiseSuppression: checked })}
      />
      <Check
        label="Echo cancellation"
        checked={preset.echoCancellation}
        onChange={(checked) => onPreset({ ...preset, echoCancellation: checked })}
      />
      <div className="grid-2">
        <Field label="Transcription model">
          {(id) => (
            <select
              id={id}
              value={transcription?.model ?? ''}
              onChange={(e) =>
                onPreset({
                  ...preset,
                  inputTranscription:
                    e.target.value === 'off' ? null : { ...transcription, model: e.target.value || undefined },
                })
              }
            >
              <option value="">Model default</option>
              {TRANSCRIPTION_MODELS.map((m) => (
                <option key={m}>{m}</option>
              ))}
              <option value="off">Off</option>
            </select>
          )}
        </Field>
        <Field label="Language">
          {(id) => (
            <input
              id={id}
              placeholder="auto"
              list="language-suggestions"
              value={transcription?.language ?? ''}
              disabled={transcription === null}
              onChange={(e) =>
                onPreset({ ...preset, inputTranscription: { ...transcription, language: e.target.value || undefined } })
              }
            />
          )}
        </Field>
      </div>
      <datalist id="language-suggestions">
        {LANGUAGES.map((language) => (
          <option key={language} value={language} />
        ))}
      </datalist>
      <Check
        label="Proactive greeting (the assistant speaks first)"
        checked={preset.proactiveGreeting.enabled}
        onChange={(checked) =>
          onPreset({ ...preset, proactiveGreeting: { ...preset.proactiveGreeting, enabled: checked } })
        }
      />
      {preset.proactiveGreeting.enabled ? (
        <Field label="Greeting instructions">
          {(id) => (
            <input
              id={id}
              value={preset.proactiveGreeting.instructions ?? ''}
              onChange={(e) =>
                onPreset({ ...preset, proactiveGreeting: { enabled: true, instructions: e.target.value || undefined } })
              }
            />
          )}
        </Field>
      ) : null}
    </fieldset>
  )
}
