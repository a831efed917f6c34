/**
 * The renderer's view of the bridge: one method per channel, derived from the contract.
 * The preload builds it over Electron IPC and exposes it as `window.voiceLive`; the browser
 * harness builds the same object over a loopback WebSocket.
 */
import { commandChannels, eventChannels, sendChannels } from './channels.js'
// Types only: the contract's values are schemas, which the preload and renderer must not bundle.
import type {
  CommandChannel,
  CommandRequest,
  CommandResponse,
  CommandResult,
  EventChannel,
  EventPayload,
  SendChannel,
  SendPayload,
} from './contract.js'

export type Unsubscribe = () => void

/** What a renderer-side transport must do: move (channel, payload) pairs, nothing more. */
export interface RendererTransport {
  invoke(channel: CommandChannel, payload: unknown): Promise<CommandResult<unknown>>
  send(channel: SendChannel, payload: unknown): void
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): Unsubscribe
}

export interface VoiceLiveBridge {
  readonly commands: {
    readonly [C in CommandChannel]: (request: CommandRequest<C>) => Promise<CommandResult<CommandResponse<C>>>
  }
  readonly sends: { readonly [C in SendChannel]: (payload: SendPayload<C>) => void }
  readonly events: {
    readonly [C in EventChannel]: (listener: (payload: EventPayload<C>) => void) => Unsubscribe
  }
}

const buildMethods = <C extends string, F>(channels: readonly C[], method: (channel: C) => F) =>
  Object.freeze(Object.fromEntries(channels.map((channel) => [channel, method(channel)]))) as {
    readonly [K in C]: F
  }

export function createRendererBridge(transport: RendererTransport): VoiceLiveBridge {
  // The casts below are the one place where the per-channel types meet the untyped transport.
  // Main validates every payload, so a lie here cannot get past it.
  return Object.freeze({
    commands: buildMethods(commandChannels, (channel) => (request: unknown) => transport.invoke(channel, request)),
    sends: buildMethods(sendChannels, (channel) => (payload: unknown) => transport.send(channel, payload)),
    events: buildMethods(
      eventChannels,
      (channel) => (listener: (payload: unknown) => void) => transport.subscribe(channel, listener),
    ),
  }) as unknown as VoiceLiveBridge
}
