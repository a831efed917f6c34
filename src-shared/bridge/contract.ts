/**
 * The one bridge contract between the renderer and the main process.
 *
 * Three kinds of channel, each defined once here:
 *  - commands: renderer → main request/response (`invoke`), answered with a `CommandResult`;
 *  - sends:    renderer → main fire-and-forget, including the mic audio stream;
 *  - events:   main → renderer pushes, including the playback audio stream.
 *
 * The channel names live apart in `channels.ts` (no schemas), and these tables must have exactly those
 * keys. Main (`src-main/bridge/serve-bridge.ts`) validates with the schemas here; the preload
 * (`src-preload/index.ts`) and the renderer (`src-renderer/src/bridge/`) import only the names and,
 * type-only, this file, so zod stays out of their bundles and a channel cannot exist in one place
 * and be missing in another. Transports (Electron IPC, the
 * harness WebSocket) only move `(channel, payload)` pairs; they know nothing of the channels.
 */
import type { z } from 'zod'
import {
  appInfoSchema,
  emptyRequestSchema,
  emptyResponseSchema,
  exportTranscriptRequestSchema,
  micFrameSchema,
  modelCatalogueSchema,
  openExternalRequestSchema,
  playbackChunkSchema,
  playbackFlushSchema,
  playbackPositionSchema,
  pushToTalkSchema,
  pushToTalkStateSchema,
  savedFileSchema,
  serviceErrorSchema,
  sessionIdentitySchema,
  settingsUpdateSchema,
  settingsViewSchema,
} from './payloads.js'
import {
  audioFormatSchema,
  protocolEventSchema,
  sessionStateSchema,
  transcriptEntrySchema,
  turnMetricsSchema,
} from '../session-model/session-model.js'
import {
  presetDeletedSchema,
  presetExportRequestSchema,
  presetIdRequestSchema,
  presetImportRequestSchema,
  presetImportResultSchema,
  presetNameRequestSchema,
  presetRenameSchema,
  presetRestoreSchema,
  presetUpdateSchema,
  presetViewSchema,
} from './preset-payloads.js'
import {
  accountChoiceSchema,
  accountConfigureSchema,
  accountSignInSchema,
  accountSignOutSchema,
  accountStatusSchema,
  resourceDiscoverySchema,
} from './account-payloads.js'
import type { CommandChannel, EventChannel, SendChannel } from './channels.js'

export type { CommandChannel, EventChannel, SendChannel } from './channels.js'

interface CommandSpec<Req extends z.ZodType, Res extends z.ZodType> {
  readonly request: Req
  readonly response: Res
}
const command = <Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): CommandSpec<Req, Res> => ({ request, response })

const commands = {
  'app.info': command(emptyRequestSchema, appInfoSchema),
  'session.start': command(emptyRequestSchema, emptyResponseSchema),
  'session.stop': command(emptyRequestSchema, emptyResponseSchema),
  'shell.open-external': command(openExternalRequestSchema, emptyResponseSchema),
  'session.interrupt': command(emptyRequestSchema, emptyResponseSchema),
  /** The state now, for a window that opens (or reloads) while a session may be running. */
  'session.current': command(emptyRequestSchema, sessionStateSchema),
  'settings.get': command(emptyRequestSchema, settingsViewSchema),
  'settings.update': command(settingsUpdateSchema, settingsViewSchema),
  'export.transcript': command(exportTranscriptRequestSchema, savedFileSchema),
  'export.audio': command(emptyRequestSchema, savedFileSchema),
  'log.open': command(emptyRequestSchema, savedFileSchema),
  'preset.list': command(emptyRequestSchema, presetViewSchema),
  'preset.select': command(presetIdRequestSchema, presetViewSchema),
  /** Edits of the selected preset: kept as unsaved changes until `preset.save`. */
  'preset.update': command(presetUpdateSchema, presetViewSchema),
  'preset.save': command(emptyRequestSchema, presetViewSchema),
  'preset.save-as': command(presetNameRequestSchema, presetViewSchema),
  /** Drops the unsaved changes ("reset to defaults" for a built-in). */
  'preset.reset': command(emptyRequestSchema, presetViewSchema),
  'preset.create': command(presetNameRequestSchema, presetViewSchema),
  'preset.rename': command(presetRenameSchema, presetViewSchema),
  'preset.duplicate': command(presetIdRequestSchema, presetViewSchema),
  'preset.delete': command(presetIdRequestSchema, presetDeletedSchema),
  'preset.restore': command(presetRestoreSchema, presetViewSchema),
  'preset.import': command(presetImportRequestSchema, presetImportResultSchema),
  'preset.export': command(presetExportRequestSchema, savedFileSchema),
  'models.list': command(emptyRequestSchema, modelCatalogueSchema),
  // Microsoft account sign-in (src-main/auth/): status, setup, browser sign-in, accounts, resources.
  'account.status': command(emptyRequestSchema, accountStatusSchema),
  'account.configure': command(accountConfigureSchema, accountStatusSchema),
  'account.sign-in': command(accountSignInSchema, accountStatusSchema),
  'account.cancel-sign-in': command(emptyRequestSchema, emptyResponseSchema),
  'account.switch': command(accountChoiceSchema, accountStatusSchema),
  'account.sign-out': command(accountSignOutSchema, accountStatusSchema),
  'account.discover-resources': command(emptyRequestSchema, resourceDiscoverySchema),
} as const satisfies Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>

const sends = {
  'audio.mic-frame': micFrameSchema,
  'audio.playback-position': playbackPositionSchema,
  'session.push-to-talk': pushToTalkSchema,
} as const satisfies Record<SendChannel, z.ZodType>

const events = {
  'session.state': sessionStateSchema,
  'session.transcript': transcriptEntrySchema,
  'session.turn-metrics': turnMetricsSchema,
  'session.protocol-event': protocolEventSchema,
  'session.service-error': serviceErrorSchema,
  'session.identity': sessionIdentitySchema,
  'audio.format': audioFormatSchema,
  'audio.playback-chunk': playbackChunkSchema,
  'audio.playback-flush': playbackFlushSchema,
  'account.status': accountStatusSchema,
  'push-to-talk.state': pushToTalkStateSchema,
  /** The selected preset changed outside the window (the tray menu). */
  'preset.changed': presetViewSchema,
  /** Settings changed outside the window (the tray's talk mode). */
  'settings.changed': settingsViewSchema,
} as const satisfies Record<EventChannel, z.ZodType>

export const bridgeContract = { commands, sends, events } as const

type Contract = typeof bridgeContract

export type CommandRequest<C extends CommandChannel> = z.input<Contract['commands'][C]['request']>
export type CommandResponse<C extends CommandChannel> = z.output<Contract['commands'][C]['response']>
export type SendPayload<C extends SendChannel> = z.input<Contract['sends'][C]>
export type EventPayload<C extends EventChannel> = z.output<Contract['events'][C]>

/** Why the bridge refused or failed a command. */
export type BridgeFailureCode = 'unknown_channel' | 'invalid_payload' | 'forbidden_sender' | 'failed'

/**
 * Commands never reject across the bridge: errors are values, so their code and message survive
 * Electron's IPC and contextBridge (which keep only an Error's message).
 */
export type CommandResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: BridgeFailureCode; readonly message: string } }
