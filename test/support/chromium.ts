/**
 * Debian Chromium driven by playwright-core, with a fake microphone fed from a WAV file.
 * Flags are the ones checked in ../shared/notes/env-spike.md: without the background-networking
 * flags Chromium spams this closed network with connection attempts.
 */
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export interface LaunchOptions {
  /** WAV file the fake microphone plays; it plays once, then silence (`%noloop`). */
  readonly micWav?: string
  /** Let the fake microphone loop the file forever. */
  readonly loopMic?: boolean
  /** Headed under Xvfb (needs DISPLAY); headless otherwise. */
  readonly headed?: boolean
  /** Deny the microphone permission instead of granting it. */
  readonly denyMic?: boolean
  readonly extraArgs?: readonly string[]
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    ...(options.denyMic ? ['--deny-permission-prompts'] : ['--use-fake-ui-for-media-stream']),
    ...(options.micWav ? [`--use-file-for-fake-audio-capture=${options.micWav}${options.loopMic ? '' : '%noloop'}`] : []),
    ...(options.extraArgs ?? []),
  ]
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: !options.headed, args })
}
