/**
 * The turn-detection part of the configuration panel: who decides when the user's turn ends (one
 * of the service's VADs, or push-to-talk), barge-in, and the advanced VAD tuning. Empty numbers
 * mean "service default", so a preset carries only what the user changed.
 */
import type { TurnDetectionSettings } from '../../../src-shared/preset/preset.js'
import { Check, Field } from './controls.js'

const TURN_DETECTION_LABELS: Record<TurnDetectionSettings['type'], string> = {
  azure_semantic_vad: 'Azure semantic VAD',
  azure_semantic_vad_en: 'Azure semantic VAD (English)',
  azure_semantic_vad_multilingual: 'Azure semantic VAD (multilingual)',
  server_vad: 'Server VAD (basic)',
  semantic_vad: 'Semantic VAD (OpenAI models)',
  none: 'Off: push-to-talk',
}
const EOU_MODELS = ['semantic_detection_v1', 'semantic_detection_v1_en', 'semantic_detection_v1_multilingual']

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

export function TurnDetectionFields(props: {
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
