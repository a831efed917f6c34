/**
 * The voice part of the configuration panel: voice type (Azure standard or HD, Azure custom,
 * OpenAI), its name with suggestions, and for Azure voices temperature and speaking rate.
 */
import type { VoiceSettings } from '../../../src-shared/preset/preset.js'
import { Field } from './controls.js'

/** Suggestions only: any voice the service knows can be typed. */
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

export function VoiceFields({
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
