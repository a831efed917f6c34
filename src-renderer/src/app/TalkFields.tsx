/** The preset's talk mode and the browser's own mic processing (Configuration panel). */
import type { CaptureProcessing, Preset, TalkMode } from '../../../src-shared/preset/preset.js'
import { Check, RadioGroup } from './controls.js'

const CAPTURE_LABELS: Record<keyof CaptureProcessing, string> = {
  echoCancellation: 'Browser echo cancellation',
  noiseSuppression: 'Browser noise suppression',
  autoGainControl: 'Browser auto gain',
}

export function TalkFields(props: { readonly preset: Preset; readonly onPreset: (preset: Preset) => void }) {
  const { preset, onPreset } = props
  return (
    <fieldset className="talk-fields">
      <legend>Talk mode and microphone</legend>
      <RadioGroup<TalkMode>
        label="Talk mode"
        value={preset.talkMode}
        options={[
          { value: 'hands-free', label: 'Hands-free' },
          { value: 'push-to-talk', label: 'Push-to-talk' },
        ]}
        onChange={(talkMode) => onPreset({ ...preset, talkMode })}
      />
      {(Object.keys(CAPTURE_LABELS) as (keyof CaptureProcessing)[]).map((key) => (
        <Check
          key={key}
          label={CAPTURE_LABELS[key]}
          checked={preset.captureProcessing[key]}
          onChange={(checked) =>
            onPreset({ ...preset, captureProcessing: { ...preset.captureProcessing, [key]: checked } })
          }
        />
      ))}
    </fieldset>
  )
}
