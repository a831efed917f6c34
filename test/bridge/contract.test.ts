import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { commandChannels, eventChannels, sendChannels } from '../../src-shared/bridge/channels.js'
import { bridgeContract, type CommandResult } from '../../src-shared/bridge/contract.js'
import { createRendererBridge, type RendererTransport } from '../../src-shared/bridge/renderer-api.js'
import { serveBridge, type BridgeHandlers, type BridgeInbox, type MainTransport } from '../../src-main/bridge/serve-bridge.js'

/** A transport that hands the test the inbox serveBridge registers. */
function loopbackTransport() {
  let inbox: BridgeInbox | null = null
  const emitted: { channel: string; payload: unknown }[] = []
  const transport: MainTransport = {
    listen: (target) => (inbox = target),
    emit: (channel, payload) => emitted.push({ channel, payload }),
    close: () => undefined,
  }
  return { transport, emitted, inbox: () => inbox as BridgeInbox }
}

/** Handlers for every channel, generated from the contract so this test never lists channels. */
function recordingHandlers(calls: { channel: string; payload: unknown }[]): BridgeHandlers {
  const commands = Object.fromEntries(
    commandChannels.map((channel) => [
      channel,
      async (request: unknown) => {
        calls.push({ channel, payload: request })
        if (channel === 'app.info') throw new Error('handler failed on purpose')
        return {}
      },
    ]),
  )
  const sends = Object.fromEntries(sendChannels.map((channel) => [channel, (payload: unknown) => calls.push({ channel, payload })]))
  return { commands, sends } as unknown as BridgeHandlers
}

describe('bridge contract', () => {
  it('gives every channel a runtime validator', () => {
    for (const channel of commandChannels) {
      expect(bridgeContract.commands[channel].request, channel).toBeInstanceOf(z.ZodType)
      expect(bridgeContract.commands[channel].response, channel).toBeInstanceOf(z.ZodType)
    }
    for (const channel of sendChannels) expect(bridgeContract.sends[channel], channel).toBeInstanceOf(z.ZodType)
    for (const channel of eventChannels) expect(bridgeContract.events[channel], channel).toBeInstanceOf(z.ZodType)
  })

  it('derives one renderer method per channel, and nothing else', async () => {
    const seen: string[] = []
    const transport: RendererTransport = {
      invoke: async (channel) => {
        seen.push(`invoke ${channel}`)
        return { ok: true, value: {} }
      },
      send: (channel) => void seen.push(`send ${channel}`),
      subscribe: (channel) => {
        seen.push(`subscribe ${channel}`)
        return () => undefined
      },
    }
    const bridge = createRendererBridge(transport)
    expect(Object.keys(bridge.commands).sort()).toEqual([...commandChannels].sort())
    expect(Object.keys(bridge.sends).sort()).toEqual([...sendChannels].sort())
    expect(Object.keys(bridge.events).sort()).toEqual([...eventChannels].sort())
    for (const method of Object.values(bridge.commands)) await (method as (r: unknown) => Promise<unknown>)({})
    for (const method of Object.values(bridge.sends)) (method as (p: unknown) => void)(new Uint8Array(2))
    for (const method of Object.values(bridge.events)) (method as (l: () => void) => void)(() => undefined)
    expect(seen).toEqual([
      ...commandChannels.map((c) => `invoke ${c}`),
      ...sendChannels.map((c) => `send ${c}`),
      ...eventChannels.map((c) => `subscribe ${c}`),
    ])
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.commands)).toBe(true)
  })

  it('routes valid messages to their handler and turns handler errors into values', async () => {
    const calls: { channel: string; payload: unknown }[] = []
    const loop = loopbackTransport()
    serveBridge(loop.transport, recordingHandlers(calls))
    const frame = new Uint8Array(960)
    loop.inbox().send('audio.mic-frame', frame)
    expect(calls).toEqual([{ channel: 'audio.mic-frame', payload: frame }])
    const result = await loop.inbox().command('app.info', {})
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'handler failed on purpose' } })
  })

  it('rejects malformed payloads and unknown channels with a specific reason', async () => {
    const calls: { channel: string; payload: unknown }[] = []
    const rejected: string[] = []
    const loop = loopbackTransport()
    serveBridge(loop.transport, recordingHandlers(calls), { onRejected: (channel, reason) => rejected.push(`${channel}: ${reason}`) })
    const inbox = loop.inbox()

    const wrongType: CommandResult<unknown> = await inbox.command('shell.open-external', { url: 42 })
    expect(wrongType.ok).toBe(false)
    if (!wrongType.ok) {
      expect(wrongType.error.code).toBe('invalid_payload')
      expect(wrongType.error.message).toMatch(/shell\.open-external.*url/)
    }
    const extraField = await inbox.command('session.stop', { sneaky: true })
    expect(extraField.ok ? 'accepted' : extraField.error.code).toBe('invalid_payload')
    const unknown = await inbox.command('fs.read', { path: '/etc/passwd' })
    expect(unknown.ok ? 'accepted' : unknown.error.code).toBe('unknown_channel')

    inbox.send('audio.mic-frame', new Uint8Array(961)) // half a sample
    inbox.send('audio.mic-frame', 'not audio')
    inbox.send('audio.mic-frame', new Uint8Array(100_000)) // far beyond a frame
    inbox.send('nope', {})
    expect(calls).toEqual([])
    expect(rejected).toHaveLength(7)
    expect(rejected.join('\n')).toMatch(/whole number of 2-byte samples/)
    expect(rejected.join('\n')).toMatch(/larger than 9600 bytes/)
  })
})

vi.mock('electron', () => import('../support/electron-fake.js'))

describe('preload', () => {
  it('exposes exactly the contract as window.voiceLive and forwards over ipcRenderer', async () => {
    const electron = await import('../support/electron-fake.js')
    await import('../../src-preload/index.js')
    const exposed = electron.contextBridge.exposed.get('voiceLive') as ReturnType<typeof createRendererBridge>
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['voiceLive'])
    expect(Object.keys(exposed.commands).sort()).toEqual([...commandChannels].sort())
    expect(Object.keys(exposed).sort()).toEqual(['commands', 'events', 'sends'])

    await exposed.commands['session.stop']({})
    const frame = new Uint8Array([1, 2, 3, 4])
    exposed.sends['audio.mic-frame'](frame)
    expect(electron.ipcRenderer.invoked).toEqual([{ channel: 'session.stop', payload: {} }])
    expect(electron.ipcRenderer.sent).toEqual([{ channel: 'audio.mic-frame', payload: frame }])

    const received: unknown[] = []
    const unsubscribe = exposed.events['session.state']((state) => received.push(state))
    const fakeEvent = { sender: electron.ipcRenderer }
    electron.ipcRenderer.emitter.emit('session.state', fakeEvent, { status: 'idle' })
    unsubscribe()
    electron.ipcRenderer.emitter.emit('session.state', fakeEvent, { status: 'live' })
    // The page gets the payload only, never the IPC event (which would leak ipcRenderer).
    expect(received).toEqual([{ status: 'idle' }])
  })
})
