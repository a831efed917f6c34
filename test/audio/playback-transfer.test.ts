/**
 * Playback chunks are handed to the worklet by transfer. Posted through a real MessageChannel, as
 * the pipeline posts them to its worklet's port: the bytes arrive intact and the sender's buffer is
 * detached (a structured clone would leave it intact, having copied it).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { playbackChunkPost } from '../../src-renderer/src/audio/playback-transfer.js'
import type { PlaybackCommand } from '../../src-renderer/src/audio/worklet-messages.js'

const ports: MessagePort[] = []
afterEach(() => ports.splice(0).forEach((port) => port.close()))

function deliver(post: ReturnType<typeof playbackChunkPost>): Promise<PlaybackCommand> {
  const { port1, port2 } = new MessageChannel()
  ports.push(port1, port2)
  const received = new Promise<PlaybackCommand>((resolve) => port2.once('message', resolve))
  port1.postMessage(post.message, post.transfer)
  return received
}

describe('playbackChunkPost', () => {
  it('transfers a chunk that has its buffer to itself (Electron IPC): no copy on either side', async () => {
    const pcm = new Uint8Array([1, 2, 3, 4, 5, 6])
    const received = await deliver(playbackChunkPost('item-1', pcm))
    expect(pcm.buffer.byteLength).toBe(0) // detached: moved, not cloned
    expect(received).toEqual({ type: 'chunk', itemId: 'item-1', pcm: new Uint8Array([1, 2, 3, 4, 5, 6]) })
  })

  it('copies a chunk out of a larger buffer (the harness wire frame) and moves only the chunk', async () => {
    const frame = new Uint8Array([9, 9, 9, 1, 2, 3, 4, 9])
    const pcm = frame.subarray(3, 7)
    const received = await deliver(playbackChunkPost('item-2', pcm))
    expect(frame.buffer.byteLength).toBe(8) // the frame is not taken away from its owner
    expect(received.type === 'chunk' && received.pcm.buffer.byteLength).toBe(4)
    expect(received).toMatchObject({ type: 'chunk', itemId: 'item-2', pcm: new Uint8Array([1, 2, 3, 4]) })
  })
})
