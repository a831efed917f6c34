/**
 * Fault switches, so tests and benchmarks can ask the local engine to misbehave the ways the real
 * service (or the network) does. Validated with zod because they also come from the command line.
 */
import { z } from 'zod'

export const engineFaultsSchema = z
  .object({
    /** Refuse every WebSocket upgrade with this HTTP status. */
    refuse: z.union([z.literal(401), z.literal(403), z.literal(404), z.literal(429)]).optional(),
    /** Destroy the socket (no close frame) after this many audio deltas of the first response. */
    dropAfterAudioDeltas: z.number().int().positive().optional(),
    /** Close every session with `code` this many seconds after it opens. */
    closeAfter: z.object({ seconds: z.number().nonnegative(), code: z.union([z.literal(1011), z.literal(4008)]) }).strict().optional(),
    /** Send an `error` event (server_error) right after `session.created`. */
    errorEvent: z.boolean().optional(),
    /** Send a text frame that is not JSON right after `session.created`. */
    malformedJson: z.boolean().optional(),
    /** Send a valid event larger than 1 MiB (the official SDK's limit) right after `session.created`. */
    oversizedFrame: z.boolean().optional(),
    /** Delay before the first delta of each response, and random extra delay per audio chunk. */
    latencyMs: z.number().nonnegative().optional(),
    jitterMs: z.number().nonnegative().optional(),
  })
  .strict()

export type EngineFaults = z.infer<typeof engineFaultsSchema>

/** Size of the oversized frame: just over the SDK's 1 MiB `maxPayload`. */
export const OVERSIZED_FRAME_BYTES = 1024 * 1024 + 4096

export const CLOSE_REASONS: Record<1011 | 4008, string> = {
  1011: 'Internal server error (injected fault)',
  4008: 'Session exceeded maximum duration (injected fault)',
}
