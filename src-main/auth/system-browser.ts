/**
 * Opening the sign-in page in the user's browser from plain Node (CLI, harness). As many
 * command-line tools do, `BROWSER` names a command that gets the URL as its one argument (no
 * shell: the URL is never parsed by one). Otherwise the OS default browser opens it.
 * The URL carries no secret (PKCE sends only the challenge), so passing it in argv is safe.
 * The Electron app uses `shell.openExternal` instead.
 */
import { spawn } from 'node:child_process'

export type OpenBrowser = (url: string) => Promise<void>

/** The command that opens `url` in the default browser on this OS. */
export function defaultBrowserCommand(platform: NodeJS.Platform = process.platform): {
  command: string
  args: string[]
} {
  if (platform === 'darwin') return { command: 'open', args: [] }
  // `start` is a cmd built-in; rundll32 opens a URL without a shell parsing it.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] }
  return { command: 'xdg-open', args: [] }
}

/** Opens sign-in URLs with `BROWSER` when set, else the OS default. Only https URLs are opened. */
export function systemBrowser(env: Readonly<Record<string, string | undefined>> = process.env): OpenBrowser {
  return (url) => {
    if (!url.startsWith('https://')) return Promise.reject(new Error('only https sign-in pages are opened'))
    const custom = env.BROWSER?.trim()
    const { command, args } = custom ? { command: custom, args: [] } : defaultBrowserCommand()
    return new Promise<void>((resolve, reject) => {
      const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true, env: { ...process.env } })
      child.once('error', (error) =>
        reject(
          new Error(`could not start the browser "${command}" (${error.message}); set BROWSER to a browser command`),
        ),
      )
      child.once('spawn', () => {
        child.unref()
        resolve()
      })
    })
  }
}
