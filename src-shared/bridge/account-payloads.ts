/**
 * Bridge payloads of the Microsoft account sign-in (src-main/auth/). The renderer sees who is
 * signed in and why a sign-in is needed, never a token: tokens stay in main.
 */
import { z } from 'zod'

export const accountSummarySchema = z.object({
  homeAccountId: z.string(),
  username: z.string(),
  name: z.string().nullable(),
})
export type AccountSummaryView = z.infer<typeof accountSummarySchema>

export const accountStatusSchema = z.object({
  /** The app registration in use; null = none configured (the UI shows the setup steps). */
  clientId: z.string().nullable(),
  /** Empty = Microsoft's `organizations`. */
  authority: z.string(),
  scope: z.string(),
  /** What to do when no client id is configured, including the `az ad app create …` command. */
  setupSteps: z.array(z.string()),
  registerCommand: z.string(),
  /** Where the token cache lives: encrypted on disk, or only in memory for this run (and why). */
  cache: z.object({
    persisted: z.boolean(),
    note: z.string().nullable(),
    /** Linux without a keyring: the user may agree to keep it with safeStorage's fixed key. */
    canAllowUnprotected: z.boolean(),
  }),
  accounts: z.array(accountSummarySchema),
  current: accountSummarySchema.nullable(),
  /** A browser sign-in is waiting for the user. */
  signingIn: z.boolean(),
  /** Set when a token could not be had without the user: "Sign in again" shows this reason. */
  signInRequired: z.string().nullable(),
  /** The last sign-in failure, as a message with a next step. */
  lastError: z.string().nullable(),
})
export type AccountStatus = z.infer<typeof accountStatusSchema>

export const accountConfigureSchema = z
  .object({
    clientId: z.string().max(128),
    /** A tenant id/domain, or an https authority URL; empty = organizations. */
    authority: z.string().max(2048),
    scope: z.string().max(512),
    allowUnprotectedCache: z.boolean().optional(),
  })
  .strict()
export type AccountConfigure = z.infer<typeof accountConfigureSchema>

export const accountSignInSchema = z.object({ selectAccount: z.boolean() }).strict()
export const accountChoiceSchema = z.object({ homeAccountId: z.string().max(1024) }).strict()
export const accountSignOutSchema = z.object({ homeAccountId: z.string().max(1024).nullable() }).strict()

export const voiceResourceSchema = z.object({
  name: z.string(),
  kind: z.string(),
  location: z.string(),
  subscriptionName: z.string(),
  resourceGroup: z.string(),
  endpoint: z.string(),
  entraReady: z.boolean(),
})
export const resourceDiscoverySchema = z.object({
  resources: z.array(voiceResourceSchema),
  problems: z.array(z.string()),
})
export type ResourceDiscovery = z.infer<typeof resourceDiscoverySchema>
