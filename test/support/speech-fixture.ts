/**
 * Speech fixtures made on demand with Debian's Flite (`slt` voice, which PocketSphinx
 * understands) and SoX, cached under test-results/fixtures. CI installs both (.ci/run).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const FIXTURE_DIR = resolve(import.meta.dirname, '../../test-results/fixtures')

export interface SpeechFixtureOptions {
  /** Output sample rate; 24 kHz is Voice Live's default. */
  readonly sampleRate?: number
  /** Silence before and after the speech, in seconds. */
  readonly padStartSec?: number
  readonly padEndSec?: number
}

/** Path to a mono PCM16 WAV of `text` spoken by Flite's slt voice. */
export function speechWav(text: string, options: SpeechFixtureOptions = {}): string {
  const { sampleRate = 24_000, padStartSec = 0.5, padEndSec = 1.5 } = options
  mkdirSync(FIXTURE_DIR, { recursive: true })
  const key = createHash('sha256').update(JSON.stringify([text, sampleRate, padStartSec, padEndSec])).digest('hex')
  const target = join(FIXTURE_DIR, `speech-${key.slice(0, 16)}.wav`)
  if (existsSync(target)) return target
  const raw = `${target}.${process.pid}.raw.wav`
  const tmp = `${target}.${process.pid}.tmp.wav`
  execFileSync('flite', ['-voice', 'slt', '-t', text, '-o', raw])
  execFileSync('sox', [raw, '-r', String(sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer', tmp, 'pad', String(padStartSec), String(padEndSec)])
  renameSync(tmp, target) // atomic: parallel test files may race to make the same fixture
  return target
}

/** Path to a mono PCM16 WAV of silence. */
export function silenceWav(seconds: number, sampleRate = 24_000): string {
  mkdirSync(FIXTURE_DIR, { recursive: true })
  const target = join(FIXTURE_DIR, `silence-${seconds}s-${sampleRate}.wav`)
  if (existsSync(target)) return target
  const tmp = `${target}.${process.pid}.tmp.wav`
  execFileSync('sox', ['-n', '-r', String(sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer', tmp, 'trim', '0', String(seconds)])
  renameSync(tmp, target)
  return target
}
