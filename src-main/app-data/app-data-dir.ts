/**
 * Where the app keeps its data (settings, presets, token cache, logs, exports).
 *
 * The Electron app, the `voicelive` CLI and the browser harness must all find the same folder, so
 * the CLI and the app see the same presets and the same signed-in account. Electron puts
 * `app.getPath('userData')` at `<appData>/<productName>`; this computes that same path under plain
 * Node. `VOICE_LIVE_CONFIG_DIR` overrides it for all three (portable use, tests); the Electron
 * adapter passes it to `app.setPath('userData', …)` before `ready`.
 */
import { homedir } from 'node:os'
import { join, resolve, win32, posix } from 'node:path'

/** package.json `productName`: Electron names the userData folder after it. */
export const PRODUCT_NAME = 'Voice Live Desktop'

export const CONFIG_DIR_VARIABLE = 'VOICE_LIVE_CONFIG_DIR'

export interface AppDataEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly platform: NodeJS.Platform
  readonly home: string
}

const here = (): AppDataEnvironment => ({ env: process.env, platform: process.platform, home: homedir() })

/** Electron's default userData folder for this app, computed without Electron. */
export function defaultAppDataDir(where: AppDataEnvironment = here()): string {
  const { env, platform, home } = where
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return posix.join(env.XDG_CONFIG_HOME || posix.join(home, '.config'), PRODUCT_NAME)
}

/** The folder every host uses: `VOICE_LIVE_CONFIG_DIR` when set (resolved), else Electron's default. */
export function resolveAppDataDir(where: AppDataEnvironment = here()): string {
  const override = where.env[CONFIG_DIR_VARIABLE]?.trim()
  return override ? resolve(override) : defaultAppDataDir(where)
}

/** A file or folder inside the app's data folder. */
export function appDataPath(...parts: string[]): string {
  return join(resolveAppDataDir(), ...parts)
}
