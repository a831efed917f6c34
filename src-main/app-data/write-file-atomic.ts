import { rename, writeFile } from 'node:fs/promises'

/** Writes `path` through a temporary file and a rename, so a crash never leaves half a file
 * (half a settings file, preset or encrypted key). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, data, mode === undefined ? {} : { mode })
  await rename(temporary, path)
}
