import type { SessionState } from '../../../src-shared/session-model/session-model.js'

const describe = (state: SessionState): { readonly label: string; readonly detail: string } => {
  switch (state.status) {
    case 'idle':
      return { label: 'Ready', detail: 'Press Start to talk.' }
    case 'connecting':
      return { label: 'Connecting…', detail: state.step }
    case 'live':
      return {
        label: 'Live',
        detail: state.turnDetection === 'vad' ? 'Hands-free: just speak.' : 'Hold Space to talk.',
      }
    case 'reconnecting':
      return {
        label: `Reconnecting (attempt ${state.attempt})…`,
        detail: `${state.reason} Retrying in ${Math.ceil(state.retryInMs / 1000)} s.`,
      }
    case 'error':
      return { label: 'Error', detail: state.error.message }
  }
}

/** Who is signed in (Microsoft account profile), and whether a sign-in is needed and why. */
export interface SignedIn {
  readonly username: string | null
  readonly signInRequired: string | null
  readonly onSignIn: () => void
}

/**
 * The connection state, announced politely to screen readers; Retry appears when it may help.
 * `identity` names who the session connects as (e.g. the Azure CLI's signed-in account);
 * `account` is the Microsoft account profile's sign-in state.
 */
export function StatusBar({
  state,
  identity,
  onRetry,
  account,
}: {
  readonly state: SessionState
  readonly identity: string | null
  readonly onRetry: () => void
  readonly account?: SignedIn | undefined
}) {
  const { label, detail } = describe(state)
  return (
    <div className={`status status-${state.status}`}>
      {account ? (
        <div className="status-account" aria-label="Signed in">
          {account.username ? `Signed in as ${account.username}` : 'Not signed in'}
          {account.signInRequired || !account.username ? (
            <button
              type="button"
              className="secondary"
              title={account.signInRequired ?? undefined}
              onClick={account.onSignIn}
            >
              Sign in again
            </button>
          ) : null}
          {account.signInRequired ? <span className="status-detail">{account.signInRequired}</span> : null}
        </div>
      ) : null}
      <div role="status" aria-label="Connection" className="status-text">
        <span className="status-dot" aria-hidden="true" />
        <strong className="status-label">{label}</strong>
        <span className="status-detail" title={detail}>
          {detail}
        </span>
        {identity && state.status !== 'idle' ? <span className="status-identity">as {identity}</span> : null}
      </div>
      {state.status === 'connecting' || state.status === 'reconnecting' ? (
        <progress className="status-progress" aria-label="Connection progress" />
      ) : null}
      {state.status === 'error' && state.error.retryable ? (
        <button type="button" className="secondary" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}
