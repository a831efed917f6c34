/**
 * Device choice for the microphone and the speaker. Choices persist by label, because Chromium's
 * device ids change between sessions and origins while labels ("USB Headset") do not.
 */

export interface AudioDeviceInfo {
  readonly deviceId: string
  readonly label: string
}

export interface AudioDeviceList {
  readonly inputs: readonly AudioDeviceInfo[]
  readonly outputs: readonly AudioDeviceInfo[]
}

/** Where choices are kept; `localStorage` in the app. */
export interface DevicePreferenceStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export type DeviceDirection = 'input' | 'output'

const storageKey = (direction: DeviceDirection): string => `voice-live.audio.${direction}-device-label`

/** The part of `MediaDeviceInfo` used here (kept structural so Node tests can build one). */
export interface MediaDeviceLike {
  readonly deviceId: string
  readonly kind: string
  readonly label: string
}

/** Chromium's aliases for "whatever the system default is"; never persisted as a choice. */
const isAlias = (device: MediaDeviceLike): boolean => device.deviceId === 'default' || device.deviceId === 'communications'

/** Real devices by direction; labels are empty (and devices skipped) until mic permission is granted. */
export function toDeviceList(devices: readonly MediaDeviceLike[]): AudioDeviceList {
  const of = (kind: string): AudioDeviceInfo[] =>
    devices
      .filter((device) => device.kind === kind && !isAlias(device) && device.label !== '')
      .map(({ deviceId, label }) => ({ deviceId, label }))
  return { inputs: of('audioinput'), outputs: of('audiooutput') }
}

export interface DeviceChoice {
  /** The device to use, or null for the system default. */
  readonly device: AudioDeviceInfo | null
  /** A device was chosen but is not present now, so the default is used instead. */
  readonly fellBack: boolean
}

export function chooseDevice(available: readonly AudioDeviceInfo[], preferredLabel: string | null): DeviceChoice {
  if (preferredLabel === null) return { device: null, fellBack: false }
  const device = available.find((candidate) => candidate.label === preferredLabel) ?? null
  return { device, fellBack: device === null }
}

/** The chosen labels: kept in memory, and in `store` too when there is one. */
export class DevicePreferences {
  private readonly chosen = new Map<DeviceDirection, string | null>()

  constructor(private readonly store: DevicePreferenceStore | null) {}

  get(direction: DeviceDirection): string | null {
    const chosen = this.chosen.get(direction)
    return chosen !== undefined ? chosen : (this.store?.getItem(storageKey(direction)) ?? null)
  }

  set(direction: DeviceDirection, label: string | null): void {
    this.chosen.set(direction, label)
    if (label === null) this.store?.removeItem(storageKey(direction))
    else this.store?.setItem(storageKey(direction), label)
  }
}
