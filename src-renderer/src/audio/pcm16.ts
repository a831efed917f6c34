/** PCM16 little-endian conversions, written byte by byte so they allocate nothing and ignore alignment. */

/** Writes `sample` (-1..1, clipped) as PCM16 LE at sample index `index` of `bytes`. */
export function writePcm16(bytes: Uint8Array, index: number, sample: number): void {
  const clipped = sample > 1 ? 1 : sample < -1 ? -1 : sample
  const value = Math.round(clipped < 0 ? clipped * 32768 : clipped * 32767)
  bytes[index * 2] = value & 0xff
  bytes[index * 2 + 1] = (value >> 8) & 0xff
}

/** Reads sample `index` of PCM16 LE `bytes` as an integer, -32768..32767. */
export function readInt16(bytes: Uint8Array, index: number): number {
  return ((bytes[index * 2]! | (bytes[index * 2 + 1]! << 8)) << 16) >> 16
}

/** Reads sample `index` of PCM16 LE `bytes` as -1..1. */
export function readPcm16(bytes: Uint8Array, index: number): number {
  return readInt16(bytes, index) / 32768
}
