/**
 * Settings → Microsoft account: set-up steps when no client id is configured (with the
 * `az ad app create …` command to copy), the client id / tenant / scope, sign-in in the browser
 * (with Cancel), the accounts (switch, sign out), where the sign-in is kept, and "Find my
 * resources", which fills in the endpoint.
 */
import { useState } from 'react'
import type { AccountStatus, ResourceDiscovery } from '../../../src-shared/bridge/account-payloads.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'
import { Check, Field } from './controls.js'
import type { AccountModel } from './use-account.js'

const LEGACY_SCOPE = 'https://cognitiveservices.azure.com/.default'

interface AccountPanelProps {
  readonly bridge: VoiceLiveBridge
  readonly account: AccountModel
  readonly locked: boolean
  readonly onUseEndpoint: (endpoint: string) => void
}

/** The form starts from main's saved values, so it appears only once they are known. */
export function AccountPanel(props: AccountPanelProps) {
  const status = props.account.status
  if (!status) return <p className="hint">Loading the account…</p>
  return <AccountForm {...props} status={status} />
}

function AccountForm(props: AccountPanelProps & { readonly status: AccountStatus }) {
  const { bridge, account, locked, status } = props
  const [clientId, setClientId] = useState(status.clientId ?? '')
  const [authority, setAuthority] = useState(status.authority)
  const [scope, setScope] = useState(status.scope)
  const [copied, setCopied] = useState(false)
  const [resources, setResources] = useState<ResourceDiscovery | null>(null)
  const [discoveryError, setDiscoveryError] = useState('')
  const save = (allowUnprotectedCache?: boolean) =>
    account.run(
      bridge.commands['account.configure']({
        clientId,
        authority,
        scope,
        ...(allowUnprotectedCache === undefined ? {} : { allowUnprotectedCache }),
      }),
    )
  const discover = async () => {
    setDiscoveryError('')
    setResources(null)
    const result = await bridge.commands['account.discover-resources']({})
    if (result.ok) setResources(result.value)
    else setDiscoveryError(result.error.message)
  }

  return (
    <fieldset disabled={locked} className="account">
      <legend>Microsoft account</legend>
      {status.clientId === null ? (
        <div className="notice" role="note" aria-label="Sign-in set-up">
          <ol className="setup-steps">
            {status.setupSteps.map((step) => (
              <li key={step}>{step.replace(/^\d+\.\s*/, '')}</li>
            ))}
          </ol>
          <pre className="command" aria-label="Registration command">
            {status.registerCommand}
          </pre>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void navigator.clipboard.writeText(status.registerCommand).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy the command'}
          </button>
        </div>
      ) : null}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault()
          save()
        }}
      >
        <Field label="Client id (your app registration)">
          {(id) => <input id={id} value={clientId} autoComplete="off" onChange={(e) => setClientId(e.target.value)} />}
        </Field>
        <Field
          label="Tenant or authority"
          hint="A tenant id or domain, or any https authority URL. Empty: organizations."
        >
          {(id) => (
            <input
              id={id}
              value={authority}
              placeholder="organizations"
              onChange={(e) => setAuthority(e.target.value)}
            />
          )}
        </Field>
        <Field label="Token scope" hint={`Legacy resources: ${LEGACY_SCOPE}`}>
          {(id) => <input id={id} value={scope} onChange={(e) => setScope(e.target.value)} />}
        </Field>
        <div className="row">
          <button type="submit">Save sign-in settings</button>
          <button type="button" className="secondary" onClick={() => setScope(LEGACY_SCOPE)}>
            Use the legacy scope
          </button>
        </div>
      </form>

      {status.cache.note ? (
        <p className="hint" role="note">
          {status.cache.note}
        </p>
      ) : null}
      {status.cache.canAllowUnprotected ? (
        <Check
          label="Keep my sign-in on disk anyway (no OS keyring: protected only by a fixed key)"
          checked={false}
          onChange={(checked) => save(checked)}
        />
      ) : null}

      <div className="account-state" role="status" aria-label="Microsoft account">
        {status.current ? `Signed in as ${status.current.username}` : 'Not signed in'}
      </div>
      {status.signInRequired ? <p className="notice">Sign in again: {status.signInRequired}</p> : null}
      {status.lastError ? <p className="notice">{status.lastError}</p> : null}
      {account.error ? <p className="notice">{account.error}</p> : null}

      <div className="row">
        {status.signingIn ? (
          <>
            <span className="hint">Finish signing in in your browser…</span>
            <button
              type="button"
              className="secondary"
              onClick={() => void bridge.commands['account.cancel-sign-in']({})}
            >
              Cancel sign-in
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              disabled={status.clientId === null}
              onClick={() => account.run(bridge.commands['account.sign-in']({ selectAccount: false }))}
            >
              {status.current || status.signInRequired ? 'Sign in again' : 'Sign in'}
            </button>
            {status.current ? (
              <>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => account.run(bridge.commands['account.sign-in']({ selectAccount: true }))}
                >
                  Use another account
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    account.run(
                      bridge.commands['account.sign-out']({ homeAccountId: status.current?.homeAccountId ?? null }),
                    )
                  }
                >
                  Sign out
                </button>
              </>
            ) : null}
          </>
        )}
      </div>
      {status.accounts.length > 1 ? (
        <ul className="accounts" aria-label="Signed-in accounts">
          {status.accounts.map((item) => (
            <li key={item.homeAccountId}>
              {item.username}{' '}
              {item.homeAccountId === status.current?.homeAccountId ? (
                '(in use)'
              ) : (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => account.run(bridge.commands['account.switch']({ homeAccountId: item.homeAccountId }))}
                >
                  Use
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}

      {status.current ? (
        <div className="stack">
          <button type="button" className="secondary" onClick={() => void discover()}>
            Find my Voice Live resources
          </button>
          {discoveryError ? <p className="notice">{discoveryError}</p> : null}
          {resources ? (
            <ul className="resources" aria-label="Your resources">
              {resources.resources.map((resource) => (
                <li key={resource.endpoint}>
                  <strong>{resource.name}</strong> ({resource.kind}, {resource.location}, {resource.subscriptionName}){' '}
                  {resource.entraReady ? null : <em>needs a custom subdomain for sign-in</em>}
                  <button type="button" className="secondary" onClick={() => props.onUseEndpoint(resource.endpoint)}>
                    Use this resource
                  </button>
                </li>
              ))}
              {resources.problems.map((problem) => (
                <li key={problem} className="hint">
                  {problem}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  )
}
