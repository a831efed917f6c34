import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { decodeWireMessage, encodeWireMessage } from '../../src-shared/bridge/wire-codec.js'
import { createWebSocketTransport } from '../../src-main/harness/websocket-bridge-server.js'
import type { BridgeInbox, MainTransport } from '../../src-main/bridge/serve-bridge.js'

describe('wire codec', () => {
  it('carries PCM as raw bytes after a small JSON header', () => {
    const pcm = new Uint8Array(960).map((_, i) => i % 251)
    const frame = encodeWireMessage({
      envelope: { kind: 'event', channel: 'audio.playback-chunk' },
      payload: { itemId: 'item_1', pcm },
    })
    // The audio occupies the tail of the frame byte for byte: no JSON, no base64.
    expect(Buffer.from(frame.subarray(frame.byteLength - 960))).toEqual(Buffer.from(pcm))
    expect(frame.byteLength - 960).toBeLessThan(200)
    const decoded = decodeWireMessage(frame)
    expect(decoded.envelope).toEqual({ kind: 'event', channel: 'audio.playback-chunk' })
    expect(decoded.payload).toEqual({ itemId: 'item_1', pcm })
  })

  it('round-trips a bare frame and plain JSON payloads', () => {
    const mic = new Uint8Array([1, 0, 255, 127])
    expect(
      decodeWireMessage(encodeWireMessage({ envelope: { kind: 'send', channel: 'audio.mic-frame' }, payload: mic }))
        .payload,
    ).toEqual(mic)
    const state = { status: 'live', sessionId: 's', turnDetection: 'vad' }
    expect(
      decodeWireMessage(encodeWireMessage({ envelope: { kind: 'event', channel: 'session.state' }, payload: state }))
        .payload,
    ).toEqual(state)
  })

  it('says exactly what is wrong with a malformed frame', () => {
    const good = encodeWireMessage({
      envelope: { kind: 'send', channel: 'audio.mic-frame' },
      payload: new Uint8Array(4),
    })
    expect(() => decodeWireMessage(new Uint8Array(2))).toThrow(/shorter than its 4-byte header/)
    expect(() => decodeWireMessage(good.subarray(0, good.byteLength - 1))).toThrow(/runs past the end/)
    expect(() => decodeWireMessage(new Uint8Array([...good, 0]))).toThrow(/trailing bytes/)
    const garbage = new Uint8Array([3, 0, 0, 0, 0x7b, 0x7b, 0x7b])
    expect(() => decodeWireMessage(garbage)).toThrow(/not valid UTF-8 JSON/)
    const wrongShape = new TextEncoder().encode('{"envelope":{"kind":"launch"},"binary":[]}')
    expect(() => decodeWireMessage(new Uint8Array([wrongShape.length, 0, 0, 0, ...wrongShape]))).toThrow(
      /header is malformed/,
    )
    const framed = (header: string) => {
      const bytes = new TextEncoder().encode(header)
      return new Uint8Array([bytes.length, 0, 0, 0, ...bytes])
    }
    expect(() => decodeWireMessage(framed('{"envelope":{"kind":"command","channel":"app.info"},"binary":[]}'))).toThrow(
      /kind command lacks its fields/,
    )
    expect(() =>
      decodeWireMessage(framed('{"envelope":{"kind":"welcome"},"binary":[{"field":null,"length":-1}]}')),
    ).toThrow(/binary part needs/)
    expect(decodeWireMessage(framed('{"envelope":{"kind":"welcome"},"binary":[]}')).envelope).toEqual({
      kind: 'welcome',
    })
  })
})

describe('WebSocket transport', () => {
  let server: Server
  let transport: MainTransport
  afterEach(async () => {
    transport.close()
    await new Promise((resolve) => server.close(resolve))
  })

  async function start(token: string) {
    server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const rejected: string[] = []
    transport = createWebSocketTransport({
      server,
      token,
      allowedOrigin: () => origin,
      onRejected: (r) => rejected.push(r),
    })
    const received: { channel: string; payload: unknown }[] = []
    const inbox: BridgeInbox = {
      command: async (channel, payload) => ({ ok: true, value: { channel, payload } }),
      send: (channel, payload) => void received.push({ channel, payload }),
    }
    transport.listen(inbox)
    return { origin, url: `${origin.replace('http', 'ws')}/bridge`, rejected, received }
  }

  const open = (url: string, origin: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { origin })
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })
  const nextMessage = (ws: WebSocket) =>
    new Promise<ReturnType<typeof decodeWireMessage>>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(decodeWireMessage(data))),
    )
  const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))

  it('carries commands, sends and events once the page says hello with the token', async () => {
    const { url, origin, received } = await start('s3cret-token')
    const ws = await open(url, origin)
    ws.send(encodeWireMessage({ envelope: { kind: 'hello', token: 's3cret-token' } }))
    expect((await nextMessage(ws)).envelope).toEqual({ kind: 'welcome' })

    ws.send(encodeWireMessage({ envelope: { kind: 'command', id: 7, channel: 'session.stop' }, payload: {} }))
    const result = await nextMessage(ws)
    expect(result).toEqual({
      envelope: { kind: 'result', id: 7 },
      payload: { ok: true, value: { channel: 'session.stop', payload: {} } },
    })

    const frame = new Uint8Array(960).fill(9)
    ws.send(encodeWireMessage({ envelope: { kind: 'send', channel: 'audio.mic-frame' }, payload: frame }))
    const pcm = new Uint8Array([5, 6])
    const event = nextMessage(ws)
    await expect.poll(() => received.length).toBe(1)
    transport.emit('audio.playback-chunk', { itemId: 'a', pcm })
    expect((await event).payload).toEqual({ itemId: 'a', pcm })
    expect(received[0]?.payload).toEqual(frame)
    ws.close()
  })

  it('refuses a wrong token, a message before hello, and a foreign origin', async () => {
    const { url, origin, rejected, received } = await start('right')
    const wrong = await open(url, origin)
    wrong.send(encodeWireMessage({ envelope: { kind: 'hello', token: 'wrong' } }))
    expect(await closed(wrong)).toBe(1008)

    const early = await open(url, origin)
    early.send(
      encodeWireMessage({ envelope: { kind: 'send', channel: 'audio.mic-frame' }, payload: new Uint8Array(2) }),
    )
    expect(await closed(early)).toBe(1008)

    const foreign = await open(url, 'https://evil.example')
    expect(await closed(foreign)).toBe(1008)

    const text = await open(url, origin)
    text.send('{"envelope":{"kind":"hello","token":"right"}}')
    expect(await closed(text)).toBe(1008)

    expect(received).toEqual([])
    expect(rejected.join('\n')).toMatch(
      /hello with the harness token[\s\S]*origin https:\/\/evil\.example[\s\S]*text frames/,
    )
    expect(rejected.join('\n')).not.toContain('right') // the token never reaches a log line
  })
  const closedWith = (ws: WebSocket) =>
    new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )

  it('refuses a token of another length, longer or shorter, at the token check', async () => {
    const { url, origin, received } = await start('right-token')
    for (const token of ['right-token-and-more', 'right', '']) {
      const ws = await open(url, origin)
      const closing = closedWith(ws)
      ws.send(encodeWireMessage({ envelope: { kind: 'hello', token } }))
      expect(await closing, token).toEqual({
        code: 1008,
        reason: 'the first message must be a hello with the harness token',
      })
    }
    expect(received).toEqual([])
  })

  it('refuses a page that sends no Origin header', async () => {
    const { url, rejected } = await start('right')
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url) // ws sends no Origin unless told to
      socket.once('open', () => resolve(socket))
      socket.once('error', reject)
    })
    expect(await closedWith(ws)).toEqual({ code: 1008, reason: 'origin (none) is not the harness page' })
    expect(rejected).toEqual(['origin (none) is not the harness page'])
  })

  it('closes a page that says no hello within 5 s, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { url, origin, rejected } = await start('right')
      const ws = await open(url, origin)
      const closing = closedWith(ws)
      vi.advanceTimersByTime(4_999)
      expect(rejected).toEqual([])
      vi.advanceTimersByTime(1)
      expect(rejected).toEqual(['no hello within 5 s'])
      vi.useRealTimers()
      expect(await closing).toEqual({ code: 1008, reason: 'no hello within 5 s' })
    } finally {
      vi.useRealTimers()
    }
  })

  it('a page that said hello in time is not closed by the hello timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { url, origin, rejected } = await start('right')
      const ws = await open(url, origin)
      const welcome = nextMessage(ws)
      ws.send(encodeWireMessage({ envelope: { kind: 'hello', token: 'right' } }))
      expect((await welcome).envelope).toEqual({ kind: 'welcome' })
      vi.advanceTimersByTime(10_000)
      expect(rejected).toEqual([])
      expect(ws.readyState).toBe(WebSocket.OPEN)
      ws.close()
    } finally {
      vi.useRealTimers()
    }
  })
})
