/**
 * Stand-ins for the Azure CLI (`az`) and the Azure Developer CLI (`azd`) to put first on PATH.
 * They print what the real tools print (`az account get-access-token --output json`, `az account
 * show --output json`, `azd auth token --output json`) and fail the way the real ones do when
 * nobody is signed in. Each records its argv, one line per run, so tests can check what was asked
 * for. Plain `sh` scripts: no Node start-up per call.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'

const AZ = `#!/bin/sh
here=$(dirname "$0")
printf '%s\\n' "$*" >> "$here/az.calls"
case "$1 $2" in
  "account get-access-token"|"account show")
    file="$here/az-$2.json"
    if [ -f "$file" ]; then cat "$file"; exit 0; fi
    echo "ERROR: Please run 'az login' to setup account." >&2
    exit 1 ;;
esac
echo "ERROR: 'fake az' does not know: $*" >&2
exit 2
`

const AZD = `#!/bin/sh
here=$(dirname "$0")
printf '%s\\n' "$*" >> "$here/azd.calls"
if [ "$1 $2" = "auth token" ]; then
  if [ -f "$here/azd-token.json" ]; then cat "$here/azd-token.json"; exit 0; fi
  echo 'ERROR: not logged in, run \`azd auth login\` to login' >&2
  exit 1
fi
echo "ERROR: fake azd does not know: $*" >&2
exit 2
`

export interface FakeSignIn {
  readonly token: string
  /** Seconds from now until the token expires. */
  readonly expiresInS: number
  /** What `az account show` reports as user.name. */
  readonly user?: string
}

export class FakeAzureTools {
  readonly binDir = mkdtempSync(path.join(tmpdir(), 'fake-azure-tools-'))

  constructor() {
    for (const [name, script] of [
      ['az', AZ],
      ['azd', AZD],
    ] as const) {
      writeFileSync(path.join(this.binDir, name), script)
      chmodSync(path.join(this.binDir, name), 0o755)
    }
  }

  /** PATH with these tools first. */
  path(rest = process.env['PATH'] ?? ''): string {
    return `${this.binDir}${path.delimiter}${rest}`
  }

  /** `az login`: get-access-token answers with this token, account show with this user. */
  azSignIn(signIn: FakeSignIn): void {
    const expires = Math.floor(Date.now() / 1000) + signIn.expiresInS
    const expiresOn = new Date(expires * 1000).toISOString().replace('T', ' ').replace('Z', '000')
    this.write('az-get-access-token.json', {
      accessToken: signIn.token,
      expiresOn,
      expires_on: expires,
      subscription: '00000000-0000-0000-0000-000000000001',
      tenant: '00000000-0000-0000-0000-0000000000aa',
      tokenType: 'Bearer',
    })
    this.write('az-show.json', {
      environmentName: 'AzureCloud',
      id: '00000000-0000-0000-0000-000000000001',
      isDefault: true,
      name: 'Test subscription',
      state: 'Enabled',
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      user: { name: signIn.user ?? 'dev@contoso.com', type: 'user' },
    })
  }

  /** `azd auth login`. */
  azdSignIn(signIn: FakeSignIn): void {
    this.write('azd-token.json', {
      token: signIn.token,
      expiresOn: new Date(Date.now() + signIn.expiresInS * 1000).toISOString(),
    })
  }

  /** Nobody is signed in to either tool. */
  signOut(): void {
    for (const file of ['az-get-access-token.json', 'az-show.json', 'azd-token.json']) {
      rmSync(path.join(this.binDir, file), { force: true })
    }
  }

  /** The argv of every run of `tool` so far, one string each. */
  calls(tool: 'az' | 'azd'): string[] {
    const file = path.join(this.binDir, `${tool}.calls`)
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
  }

  clearCalls(): void {
    for (const tool of ['az', 'azd']) rmSync(path.join(this.binDir, `${tool}.calls`), { force: true })
  }

  remove(): void {
    rmSync(this.binDir, { recursive: true, force: true })
  }

  private write(name: string, json: unknown): void {
    writeFileSync(path.join(this.binDir, name), JSON.stringify(json, null, 2))
  }
}

/**
 * Fake tools first on PATH for the calling test file (or describe block), signed out and with no
 * calls recorded before each test. @azure/identity runs the tools with this process's PATH; each
 * test file runs in its own worker process, so the change stays inside it.
 */
export function useFakeAzureTools(): FakeAzureTools {
  const tools = new FakeAzureTools()
  const original = process.env['PATH']
  beforeAll(() => {
    process.env['PATH'] = tools.path(original)
  })
  afterAll(() => {
    process.env['PATH'] = original
    tools.remove()
  })
  beforeEach(() => {
    tools.signOut()
    tools.clearCalls()
  })
  return tools
}
