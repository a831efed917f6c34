/**
 * Finds the bridge to main: the preload's `window.voiceLive` in the Electron app, or a loopback
 * WebSocket to the browser harness, whose URL carries a per-run token in the fragment.
 */
import type { VoiceLiveBridge } from '../../../src-shared/bridge/renderer-api.js'

export async function connectBridge(): Promise<VoiceLiveBridge> {
  if (window.voiceLive) return window.voiceLive
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (!token) throw new Error('No bridge: open the app, or the harness URL with its #token=…')
  const { connectWebSocketBridge } = await import('./websocket-bridge-client.js')
  return connectWebSocketBridge(token)
}
