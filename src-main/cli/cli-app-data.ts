import { homedir } from 'node:os'
import { resolveAppDataDir } from '../app-data/app-data-dir.js'

/** The app's data folder as the CLI sees it: `VOICE_LIVE_CONFIG_DIR` from the CLI's environment, else the app's own. */
export function cliAppDataDir(env: NodeJS.ProcessEnv): string {
  return resolveAppDataDir({ env, platform: process.platform, home: homedir() })
}
