/**
 * koffi (and libpocketsphinx through it) is loaded only on Linux and only when a recogniser is
 * asked for; a missing native module means "no recogniser", never a thrown start.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pocketSphinx } from '../../src-main/engine/pocketsphinx.js'

/** A model folder with the three files PocketSphinx needs (empty: nothing reads them here). */
function modelDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-model-'))
  mkdirSync(join(dir, 'en-us'))
  writeFileSync(join(dir, 'cmudict-en-us.dict'), '')
  writeFileSync(join(dir, 'en-us.lm.bin'), '')
  return dir
}

/** Asks for a recogniser on `platform` with a koffi whose native module is missing. */
function withMissingKoffi(platform: NodeJS.Platform) {
  const attempts: string[] = []
  const recognizer = pocketSphinx(modelDir(), {
    platform,
    loadLibrary: (path) => {
      attempts.push(path)
      throw new Error('Cannot find the native Koffi module; did you use the correct build?')
    },
  })
  return { recognizer, attempts }
}

describe('loading the recogniser', () => {
  it('a missing koffi native module gives "no recogniser" with the cause, not a throw', () => {
    const { recognizer, attempts } = withMissingKoffi('linux')
    expect(recognizer).toEqual({
      available: false,
      reason: 'libpocketsphinx could not be loaded (Cannot find the native Koffi module; did you use the correct build?)',
    })
    expect(attempts).toEqual(['libsphinxbase.so.3'])
  })

  it('is not even tried off Linux', () => {
    const { recognizer, attempts } = withMissingKoffi('darwin')
    expect(recognizer).toEqual({ available: false, reason: 'PocketSphinx is only wired up on Linux, not darwin' })
    expect(attempts).toEqual([])
  })
})
