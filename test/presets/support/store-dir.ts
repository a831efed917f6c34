/** Temporary data folders for store tests, and a look at the raw file. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made: string[] = []

export function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vl-presets-'))
  made.push(dir)
  return dir
}

export function removeDataDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export const storeFile = (dir: string): string => join(dir, 'presets.json')

export function storeJson(dir: string): { presets: { id: string; name: string }[]; lastUsedPresetId: string } {
  return JSON.parse(readFileSync(storeFile(dir), 'utf8')) as ReturnType<typeof storeJson>
}

/** A user preset as a hand-written file might hold it: only the fields without a default. */
export const minimalPreset = (name: string) => ({
  name,
  instructions: 'Be brief.',
  voice: { type: 'azure-standard', name: 'en-US-AvaNeural' },
  turnDetection: { type: 'server_vad', interruptResponse: true },
})

/** The built-ins' display names, in the order the picker, the CLI and the tray list them. */
export const BUILT_IN_NAMES = [
  'Casual chat',
  'Language tutor',
  'Interview practice',
  'Customer support',
  'Push-to-talk assistant',
  'Greeter',
  'OpenAI voice',
]
