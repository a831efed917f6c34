import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../src-shared/bridge/payloads.js'
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'

export function App({ bridge }: { readonly bridge: VoiceLiveBridge }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void bridge.commands['app.info']({}).then((result) => {
      if (result.ok) setInfo(result.value)
    })
  }, [bridge])
  return (
    <main>
      <h1>Voice Live</h1>
      <div role="status" aria-label="Connection">
        {info ? `Ready (${info.transport}, v${info.version})` : 'Starting…'}
      </div>
    </main>
  )
}
