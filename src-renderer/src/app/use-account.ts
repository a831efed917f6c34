/** The Microsoft account as main reports it (who is signed in, why a sign-in is needed); never a token. */
import { useCallback, useEffect, useState } from 'react'
import type { AccountStatus } from '../../../src-shared/bridge/account-payloads.js'
import type { CommandResult } from '../../../src-shared/bridge/contract.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'

export interface AccountModel {
  readonly status: AccountStatus | null
  readonly error: string
  /** Run an account command; its answer (a status) replaces the shown one, a failure is shown. */
  readonly run: (command: Promise<CommandResult<AccountStatus>>) => void
}

export function useAccount(bridge: VoiceLiveBridge): AccountModel {
  const [status, setStatus] = useState<AccountStatus | null>(null)
  const [error, setError] = useState('')
  const run = useCallback((command: Promise<CommandResult<AccountStatus>>) => {
    setError('')
    void command.then((result) => (result.ok ? setStatus(result.value) : setError(result.error.message)))
  }, [])
  useEffect(() => {
    void bridge.commands['account.status']({}).then((result) => {
      if (result.ok) setStatus(result.value)
      else setError(result.error.message)
    })
    return bridge.events['account.status'](setStatus)
  }, [bridge])
  return { status, error, run }
}
