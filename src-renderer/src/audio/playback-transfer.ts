/**
 * A playback chunk on its way to the worklet is transferred, not structured-cloned: the worklet
 * takes over the bytes without a copy on the renderer's main thread. The chunk's buffer must hold
 * just the chunk: Electron IPC delivers each chunk in a buffer of its own, which is handed over as
 * it is; the harness decodes chunks as views into a larger wire frame, so those are copied out
 * first (cloning the view would copy the whole frame anyway). The pipeline is the chunk's only
 * listener: after this, the bridge's copy is detached.
 */
import type { PlaybackCommand } from './worklet-messages.js'

export interface WorkletPost {
  readonly message: PlaybackCommand
  readonly transfer: ArrayBuffer[]
}

export function playbackChunkPost(itemId: string, pcm: Uint8Array): WorkletPost {
  const { buffer } = pcm
  const own =
    buffer instanceof ArrayBuffer && pcm.byteOffset === 0 && pcm.byteLength === buffer.byteLength
      ? new Uint8Array(buffer)
      : pcm.slice()
  return { message: { type: 'chunk', itemId, pcm: own }, transfer: [own.buffer] }
}
