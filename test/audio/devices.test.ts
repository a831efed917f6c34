import { describe, expect, it } from 'vitest'
import { chooseDevice, DevicePreferences, toDeviceList } from '../../src-renderer/src/audio/devices.js'

const media = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default - USB Headset' },
  { deviceId: 'a1', kind: 'audioinput', label: 'USB Headset' },
  { deviceId: 'a2', kind: 'audioinput', label: 'Built-in Microphone' },
  { deviceId: 'v1', kind: 'videoinput', label: 'Camera' },
  { deviceId: 'communications', kind: 'audiooutput', label: 'Communications - Speakers' },
  { deviceId: 'o1', kind: 'audiooutput', label: 'Speakers' },
]

describe('device choice', () => {
  it('lists real audio devices by direction, without the default aliases', () => {
    expect(toDeviceList(media)).toEqual({
      inputs: [
        { deviceId: 'a1', label: 'USB Headset' },
        { deviceId: 'a2', label: 'Built-in Microphone' },
      ],
      outputs: [{ deviceId: 'o1', label: 'Speakers' }],
    })
  })

  it('finds the chosen device by label, and falls back to the default when it is gone', () => {
    const { inputs } = toDeviceList(media)
    expect(chooseDevice(inputs, 'Built-in Microphone')).toEqual({ device: { deviceId: 'a2', label: 'Built-in Microphone' }, fellBack: false })
    expect(chooseDevice(inputs, 'Bluetooth Earbuds')).toEqual({ device: null, fellBack: true })
    expect(chooseDevice(inputs, null)).toEqual({ device: null, fellBack: false })
  })

  it('remembers choices without a store, and persists them by label with one', () => {
    const memoryOnly = new DevicePreferences(null)
    memoryOnly.set('input', 'USB Headset')
    expect(memoryOnly.get('input')).toBe('USB Headset')
    expect(memoryOnly.get('output')).toBeNull()

    const saved = new Map<string, string>()
    const store = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v), removeItem: (k: string) => void saved.delete(k) }
    new DevicePreferences(store).set('output', 'Speakers')
    expect(new DevicePreferences(store).get('output')).toBe('Speakers') // a later session reads it back
    new DevicePreferences(store).set('output', null)
    expect(new DevicePreferences(store).get('output')).toBeNull()
  })
})
