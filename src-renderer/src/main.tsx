import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.js'
import { connectBridge } from './bridge/connect-bridge.js'

const root = createRoot(document.getElementById('root') as HTMLElement)

connectBridge()
  .then((bridge) => {
    root.render(
      <StrictMode>
        <App bridge={bridge} />
      </StrictMode>,
    )
  })
  .catch((error: unknown) => {
    root.render(
      <p role="alert">Could not reach the app's main process: {error instanceof Error ? error.message : String(error)}</p>,
    )
  })
