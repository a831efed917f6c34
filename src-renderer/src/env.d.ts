import type { VoiceLiveBridge } from '../../src-shared/bridge/renderer-api.js'

declare global {
  interface Window {
    /** Exposed by the preload in the Electron app; absent in the browser harness. */
    readonly voiceLive?: VoiceLiveBridge
  }
}
