/**
 * The configuration panel, as in the playground: every change edits the current preset (the
 * schema the CLI's --preset-file reads). The whole panel is locked while a session runs. The
 * voice and turn-detection fields are their own components (VoiceFields, TurnDetectionFields).
 */
import type { Preset } from '../../../src-shared/preset/preset.js'
import type { Target } from '../../../src-shared/bridge/payloads.js'
import { Check, Field, RadioGroup } from './controls.js'
import { TalkFields } from './TalkFields.js'
import { TurnDetectionFields } from './TurnDetectionFields.js'
import { VoiceFields } from './VoiceFields.js'

export interface ModelOption {
  readonly id: string
  readonly kind: 'native' | 'cascaded'
  readonly tier: 'pro' | 'standard' | 'lite'
  readonly preview?: boolean
}

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
const GROUPS: readonly { label: string; match: (m: ModelOption) => boolean }[] = [
  { label: 'Native audio: Pro', match: (m) => m.kind === 'native' && m.tier === 'pro' },
  { label: 'Native audio: Standard & Lite', match: (m) => m.kind === 'native' && m.tier !== 'pro' },
  { label: 'Cascaded: Pro', match: (m) => m.kind === 'cascaded' && m.tier === 'pro' },
  { label: 'Cascaded: Standard', match: (m) => m.kind === 'cascaded' && m.tier === 'standard' },
  { label: 'Cascaded: Lite', match: (m) => m.kind === 'cascaded' && m.tier === 'lite' },
]

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
      <TalkFields preset={preset} onPreset={onPreset} />
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
