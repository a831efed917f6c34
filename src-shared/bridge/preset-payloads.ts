/**
 * Bridge payloads of the `preset.*` commands (the Scenario picker, the preset manager, import and
 * export). Every command that changes presets answers with the whole `PresetView`, so the UI
 * simply shows what main says is there.
 */
import { z } from 'zod'
import { presetIdSchema, presetNameSchema, presetSchema } from '../preset/preset.js'

const savedPresetSchema = presetSchema.extend({ id: presetIdSchema })

export const presetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  builtIn: z.boolean(),
  /** It has unsaved edits, kept while another preset is selected (the picker marks it). */
  unsaved: z.boolean(),
})
export type PresetSummary = z.infer<typeof presetSummarySchema>

export const presetViewSchema = z.object({
  /** Built-ins first, then the user's presets, by display name. */
  presets: z.array(presetSummarySchema),
  selectedId: z.string(),
  /** The selected preset with its unsaved edits: what Start uses. */
  current: savedPresetSchema,
  /** There are edits not saved into the selected preset yet. */
  unsaved: z.boolean(),
  /** The selected preset is a built-in: read-only, "Save as new" or "Reset to defaults". */
  builtIn: z.boolean(),
})
export type PresetView = z.infer<typeof presetViewSchema>

export const presetIdRequestSchema = z.object({ id: presetIdSchema }).strict()
export const presetUpdateSchema = z.object({ preset: presetSchema }).strict()
export const presetNameRequestSchema = z.object({ name: presetNameSchema }).strict()
export const presetRenameSchema = z.object({ id: presetIdSchema, name: presetNameSchema }).strict()
/** Undo of a delete: the deleted preset goes back where it was. */
export const presetRestoreSchema = z
  .object({ preset: savedPresetSchema, index: z.number().int().min(0).max(10_000) })
  .strict()
export const presetDeletedSchema = z.object({ view: presetViewSchema, deleted: presetRestoreSchema })

/** The file's text; main checks its size (a clear problem, not a refused payload) and content. */
export const presetImportRequestSchema = z.object({ text: z.string().max(8 * 1024 * 1024) }).strict()
export const presetImportResultSchema = z.object({
  view: presetViewSchema,
  imported: z.array(z.string()),
  /** Every problem, `path: message`; non-empty means nothing was imported. */
  problems: z.array(z.string()),
})
/** No id: every saved preset. */
export const presetExportRequestSchema = z.object({ id: presetIdSchema.optional() }).strict()
