/**
 * `voicelive auth login|status|logout`: Microsoft account sign-in for the CLI (and, through the
 * shared config folder, the same cached accounts the app sees when it runs under plain Node).
 *
 *   login [--tenant T] [--client-id ID] [--authority URL] [--scope S]   prints `signed in as <user>`
 *   status                                                             the cached accounts; exit 3 if none
 *   logout [--all]                                                     removes the account(s)
 *
 * Exit codes: 0 ok, 2 usage/config, 3 sign-in failed or no account. A sign-in failure is one stderr
 * line with the authority's error code and text, and the next step. No token is ever printed.
 */
import { parseArgs } from 'node:util'
import { AuthOptionError, resolveScope, type AuthOptionValues } from '../auth/auth-options.js'
import type { MicrosoftSignIn } from '../auth/microsoft-sign-in.js'
import { SIGN_IN_TIMEOUT_VARIABLE, openNodeSignIn } from '../auth/node-sign-in.js'
import { SignInError, toSignInError } from '../auth/sign-in-errors.js'
import type { CliIo } from './chat-args.js'

export const AUTH_USAGE = `Usage: voicelive auth <login|status|logout> [options]

  login   sign in with a Microsoft account in the browser and cache the account
  status  print the cached account(s); exit 3 when there is none
  logout  remove the current account (the one chat --entra uses; --all: every cached account)

Options (they win over the environment):
  --client-id ID     your app registration (public client, redirect http://localhost)  [VOICE_LIVE_CLIENT_ID]
  --tenant T         tenant id or domain (default organizations)                        [VOICE_LIVE_TENANT]
  --authority URL    any https authority instead of a tenant (sovereign cloud, another
                     OpenID Connect provider)                                           [VOICE_LIVE_AUTHORITY]
  --scope S          token scope (default https://ai.azure.com/.default; the legacy
                     https://cognitiveservices.azure.com/.default also works)           [VOICE_LIVE_SCOPE]
  --all              logout: remove every cached account

The browser: the BROWSER command when set (it gets the URL as its one argument), else the OS
default. The sign-in waits 5 minutes for the browser [${SIGN_IN_TIMEOUT_VARIABLE}=seconds]; Ctrl+C cancels.
The account cache lives in the config folder [VOICE_LIVE_CONFIG_DIR], encrypted with a key in the
OS keyring, or readable only by you where no keyring answers.

Exit codes: 0 ok, 2 usage/config, 3 sign-in failed (cancelled, timed out, consent, client) or no account.`

const EXIT_OK = 0
const EXIT_USAGE = 2
const EXIT_AUTH = 3

export async function authCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  let flags: AuthOptionValues & { all?: boolean | undefined; help?: boolean | undefined }
  try {
    const { values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        tenant: { type: 'string' },
        'client-id': { type: 'string' },
        authority: { type: 'string' },
        scope: { type: 'string' },
        all: { type: 'boolean' },
      },
    })
    flags = { ...values, clientId: values['client-id'] }
  } catch (error) {
    io.stderr(`voicelive auth: ${(error as Error).message.split('\n')[0]} (see voicelive auth --help)`)
    return EXIT_USAGE
  }
  if (flags.help || sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(AUTH_USAGE)
    return sub === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (sub !== 'login' && sub !== 'status' && sub !== 'logout') {
    io.stderr(`voicelive auth: unknown command "${sub}" (expected login, status or logout)`)
    return EXIT_USAGE
  }
  if (flags.all && sub !== 'logout') {
    io.stderr('voicelive auth: --all only goes with logout')
    return EXIT_USAGE
  }
  let signIn: MicrosoftSignIn
  let scope: string
  try {
    scope = resolveScope(flags, io.env)
    signIn = await openNodeSignIn({
      values: flags,
      env: io.env,
      warn: (line) => io.stderr(`voicelive auth: ${line}`),
      cache: 'file',
      requireClientId: sub === 'login',
    })
  } catch (error) {
    if (!(error instanceof AuthOptionError)) throw error
    io.stderr(`voicelive auth ${sub}: ${error.message}`)
    return EXIT_USAGE
  }
  try {
    if (sub === 'login') return await login(signIn, scope, io)
    if (sub === 'status') return await status(signIn, io)
    return await logout(signIn, flags.all ?? false, io)
  } catch (error) {
    const failure = error instanceof SignInError ? error : toSignInError(error)
    io.stderr(`voicelive auth ${sub}: ${failure.message}`)
    return EXIT_AUTH
  }
}

async function login(signIn: MicrosoftSignIn, scope: string, io: CliIo): Promise<number> {
  const interrupt = new AbortController()
  const onSignal = () => interrupt.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const { account } = await signIn.signIn({ scopes: [scope], signal: interrupt.signal })
    io.stdout(`signed in as ${account.username}`)
    return EXIT_OK
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

async function status(signIn: MicrosoftSignIn, io: CliIo): Promise<number> {
  const accounts = await signIn.accounts()
  if (accounts.length === 0) {
    io.stderr('voicelive auth status: no account is signed in (run "voicelive auth login")')
    return EXIT_AUTH
  }
  for (const account of accounts) {
    const name = account.name ? ` (${account.name})` : ''
    io.stdout(`${account.username}${name}  tenant ${account.tenantId}  at ${account.environment}`)
  }
  return EXIT_OK
}

async function logout(signIn: MicrosoftSignIn, all: boolean, io: CliIo): Promise<number> {
  const accounts = await signIn.accounts()
  if (accounts.length === 0) {
    io.stdout('no account was signed in')
    return EXIT_OK
  }
  // Without --all: the current account, the one `chat --entra` uses.
  const removed = await signIn.signOut(all ? undefined : accounts[0]?.homeAccountId)
  for (const username of removed) io.stdout(`signed out ${username}`)
  return EXIT_OK
}
