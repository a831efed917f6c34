/**
 * Which account the Azure CLI is signed in with, for the app's status bar: `az account show
 * --output json` reports it as `user.name` (an e-mail for a person, an app id for a service
 * principal). Nothing secret crosses: that command prints no token, and its argv is fixed.
 */
import { exec } from 'node:child_process'
import { z } from 'zod'

const accountSchema = z.object({ user: z.object({ name: z.string().min(1).max(256) }) })

/** Run from a system folder, as @azure/identity does, so a stray `az` in the current folder is never run. */
const safeWorkingDir = (): string =>
  process.platform === 'win32' ? (process.env['SystemRoot'] ?? 'C:\\Windows') : '/bin'

/** The signed-in user's name, or null when `az` is missing, not signed in, slow or says nothing usable. */
export function azureCliAccountName(timeoutMs = 20_000): Promise<string | null> {
  return new Promise((resolve) => {
    // A shell, as @azure/identity uses: on Windows `az` is a .cmd that execFile cannot start.
    exec('az account show --output json', { cwd: safeWorkingDir(), timeout: timeoutMs }, (error, stdout) => {
      if (error) return resolve(null)
      try {
        const parsed = accountSchema.safeParse(JSON.parse(stdout))
        resolve(parsed.success ? parsed.data.user.name : null)
      } catch {
        resolve(null)
      }
    })
  })
}
