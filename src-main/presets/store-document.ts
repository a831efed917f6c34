/**
 * The presets store file, `presets.json` in the app's data folder: what is in it, its JSON schema
 * (electron-store/conf check it on every read and write) and its zod twin, which is the real gate
 * (it knows every preset field; the JSON schema only keeps the shape so conf refuses a stray write).
 *
 *   { "schemaVersion": 3, "lastUsedPresetId": "casual-chat", "presets": [user presets],
 *     "drafts": [{ "presetId": "…", "preset": {…} }], "settings": {the app's settings} }
 *
 * Built-ins are never stored: they come from the code, so an upgrade improves them. The settings
 * are the app's (connection, audio devices, …; never the API key, which lives in the OS keychain):
 * the store keeps them as an object and `app-services/settings-store.ts`, which owns their schema,
 * checks them, so this room does not depend on that one.
 */
import { z } from 'zod'
import { DEFAULT_PRESET_ID } from '../../src-shared/preset/built-in-presets.js'
import { presetIdSchema, presetSchema, type Preset } from '../../src-shared/preset/preset.js'

/** The store's format version; `store-migrations.ts` brings older files up to it. */
export const STORE_VERSION = 3

/** electron-store `name` / conf `configName`: both then use `<data folder>/presets.json`. */
export const STORE_NAME = 'presets'

export const savedPresetSchema = presetSchema.extend({ id: presetIdSchema })
export type SavedPreset = Preset & { readonly id: string }

export const storeDocumentSchema = z.object({
  schemaVersion: z.literal(STORE_VERSION),
  /** Before the presets, so a file cut short still says which one was selected. */
  lastUsedPresetId: presetIdSchema.default(DEFAULT_PRESET_ID),
  presets: z.array(savedPresetSchema),
  /** Unsaved edits, one per preset at most: kept across a restart and when another preset is
   * selected (from the tray, say), so no edit is ever dropped without the user saying so. */
  drafts: z.array(z.object({ presetId: presetIdSchema, preset: savedPresetSchema }).strict()).default([]),
  /** The app's settings, checked by their owner (settings-store.ts). */
  settings: z.record(z.string(), z.unknown()).default({}),
})
export type StoreDocument = z.infer<typeof storeDocumentSchema>

export const emptyStoreDocument = (): StoreDocument => ({
  schemaVersion: STORE_VERSION,
  lastUsedPresetId: DEFAULT_PRESET_ID,
  presets: [],
  drafts: [],
  settings: {},
})

/** Loose on purpose: it must accept every older preset format the migrations still read. */
const presetShape = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'integer', minimum: 1 },
  },
} as const

/** JSON Schema (draft 2020-12) of the top-level keys, in conf's `schema` option form. */
export const STORE_JSON_SCHEMA = {
  schemaVersion: { type: 'integer', minimum: 1 },
  presets: { type: 'array', items: presetShape },
  lastUsedPresetId: { type: 'string' },
  drafts: {
    type: 'array',
    items: { type: 'object', properties: { presetId: { type: 'string' }, preset: presetShape } },
  },
  settings: { type: 'object' },
} as const
