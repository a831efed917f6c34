/**
 * App services behind the real bridge validation (`serveBridge`), driven as a renderer would:
 * `command(channel, payload)` answers with the `CommandResult`, `send` delivers a send, `events`
 * records every push.
 */
import type { EventChannel } from '../../src-shared/bridge/contract.js'
import type { AppServices } from '../../src-main/app-services/index.js'
import { serveBridge, type BridgeInbox } from '../../src-main/bridge/serve-bridge.js'

export function connect(services: AppServices) {
  let inbox: BridgeInbox | null = null
  const events: { channel: EventChannel; payload: unknown }[] = []
  services.attach(
    serveBridge(
      {
        listen: (target) => (inbox = target),
        emit: (channel, payload) => events.push({ channel, payload }),
        close: () => undefined,
      },
      services.handlers,
    ),
  )
  const command = async (channel: string, payload: unknown = {}) => {
    if (!inbox) throw new Error('bridge not listening')
    return inbox.command(channel, payload)
  }
  /** A renderer's fire-and-forget send, such as a mic frame. */
  const send = (channel: string, payload: unknown) => {
    if (!inbox) throw new Error('bridge not listening')
    inbox.send(channel, payload)
  }
  return { command, send, events }
}
