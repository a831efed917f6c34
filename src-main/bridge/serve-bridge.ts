/**
 * Main-process side of the bridge: validates every renderer message against the contract and
 * routes it to a typed handler. Transports (Electron IPC, the harness WebSocket) check the
 * sender and move bytes; this module checks the payload. Nothing else in main touches channels.
 */
import type { z } from 'zod'
import {
  bridgeContract,
  type CommandChannel,
  type CommandResponse,
  type CommandResult,
  type EventChannel,
  type EventPayload,
  type SendChannel,
} from '../../src-shared/bridge/contract.js'

type Contract = typeof bridgeContract

export type CommandHandlers = {
  readonly [C in CommandChannel]: (
    request: z.output<Contract['commands'][C]['request']>,
  ) => Promise<CommandResponse<C>>
}
export type SendHandlers = {
  readonly [C in SendChannel]: (payload: z.output<Contract['sends'][C]>) => void
}
export interface BridgeHandlers {
  readonly commands: CommandHandlers
  readonly sends: SendHandlers
}

/** Where a transport delivers what a trusted renderer sent. */
export interface BridgeInbox {
  command(channel: string, payload: unknown): Promise<CommandResult<unknown>>
  send(channel: string, payload: unknown): void
}

/** A way to carry the contract between main and one renderer. */
export interface MainTransport {
  listen(inbox: BridgeInbox): void
  emit(channel: EventChannel, payload: unknown): void
  close(): void
}

export interface BridgeEmitter {
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void
}

export interface ServeBridgeOptions {
  /** Told about every rejected message, for the log. Never receives payload contents. */
  readonly onRejected?: (channel: string, reason: string) => void
}

const isCommandChannel = (channel: string): channel is CommandChannel =>
  Object.hasOwn(bridgeContract.commands, channel)
const isSendChannel = (channel: string): channel is SendChannel => Object.hasOwn(bridgeContract.sends, channel)

/** A short, specific reason, e.g. `url: Invalid input: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

export function serveBridge(
  transport: MainTransport,
  handlers: BridgeHandlers,
  options: ServeBridgeOptions = {},
): BridgeEmitter {
  const reject = (channel: string, reason: string): void => options.onRejected?.(channel, reason)

  transport.listen({
    async command(channel, payload) {
      if (!isCommandChannel(channel)) {
        reject(channel, 'unknown command channel')
        return { ok: false, error: { code: 'unknown_channel', message: `Unknown command "${channel}".` } }
      }
      const parsed = bridgeContract.commands[channel].request.safeParse(payload)
      if (!parsed.success) {
        const message = `Invalid request for "${channel}": ${describeIssues(parsed.error)}`
        reject(channel, message)
        return { ok: false, error: { code: 'invalid_payload', message } }
      }
      try {
        // The handler map is indexed by the same channel the schema came from.
        const handler = handlers.commands[channel] as (request: unknown) => Promise<unknown>
        return { ok: true, value: await handler(parsed.data) }
      } catch (error) {
        return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } }
      }
    },
    send(channel, payload) {
      if (!isSendChannel(channel)) return reject(channel, 'unknown send channel')
      const parsed = bridgeContract.sends[channel].safeParse(payload)
      if (!parsed.success) return reject(channel, describeIssues(parsed.error))
      const handler = handlers.sends[channel] as (payload: unknown) => void
      handler(parsed.data)
    },
  })

  return {
    emit(channel, payload) {
      transport.emit(channel, payload)
    },
  }
}
