import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname })

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`)
}

describe('lint fences around Electron and raw IPC', () => {
  it('forbids ipcMain outside the IPC transport', async () => {
    const code = "import { ipcMain } from 'electron'\nipcMain.handle('x', () => 1)\n"
    expect(await ruleIds(code, 'src-main/electron/tray.ts')).toEqual([
      expect.stringMatching(/no-restricted-imports: .*only the IPC transports touch ipcMain/),
    ])
    expect(await ruleIds(code, 'src-main/electron/ipc-transport.ts')).toEqual([])
  })

  it('forbids ipcRenderer outside the preload entry, including in the renderer', async () => {
    const code = "import { ipcRenderer } from 'electron'\nipcRenderer.send('x')\n"
    expect(await ruleIds(code, 'src-preload/index.ts')).toEqual([])
    expect((await ruleIds(code, 'src-preload/other.ts')).join()).toMatch(/only the IPC transports/)
    expect((await ruleIds(code, 'src-renderer/src/app/App.tsx')).join()).toMatch(/no-restricted-imports/)
  })

  it('keeps Electron out of pure modules and main code out of the renderer', async () => {
    const electron = "import { app } from 'electron'\nexport const name = app.getName()\n"
    expect((await ruleIds(electron, 'src-main/voice-session/voice-session.ts')).join()).toMatch(/keep this module testable under Node/)
    expect((await ruleIds(electron, 'src-shared/bridge/contract.ts')).join()).toMatch(/keep this module testable under Node/)
    expect(await ruleIds(electron, 'src-main/electron/electron-app.ts')).toEqual([])
    const reachIntoMain = "import { serveBridge } from '../../../src-main/bridge/serve-bridge.js'\nexport const s = serveBridge\n"
    expect((await ruleIds(reachIntoMain, 'src-renderer/src/app/App.tsx')).join()).toMatch(/only through the bridge/)
  })
})

describe('lint floors: imports point down only', () => {
  const importing = (from: string) => `import * as room from '${from}'\nexport const r = room\n`
  const refusal = async (from: string, file: string) => (await ruleIds(importing(from), file)).join()

  it('refuses an upward import, naming the floor it breaks', async () => {
    expect(await refusal('../app-services/index.js', 'src-main/voicelive-protocol/events.ts')).toMatch(/no-restricted-imports: .*floor\/protocol: /)
    expect(await refusal('../voice-session/index.js', 'src-main/voicelive-protocol/events.ts')).toMatch(/floor\/protocol/)
    expect(await refusal('../app-services/app-services.js', 'src-main/voice-session/voice-session.ts')).toMatch(/floor\/session-core/)
    expect(await refusal('../electron/electron-app.js', 'src-main/voice-session/voice-session.ts')).toMatch(/floor\/session-core/)
    expect(await refusal('../cli/voicelive.js', 'src-main/voice-session/voice-session.ts')).toMatch(/floor\/session-core/)
    expect(await refusal('../harness/harness.js', 'src-main/app-services/app-services.ts')).toMatch(/floor\/app-services/)
    expect(await refusal('../electron/electron-app.js', 'src-main/auth/account-service.ts')).toMatch(/floor\/app-services/)
    expect(await refusal('../cli/voicelive.js', 'src-main/presets/preset-store.ts')).toMatch(/floor\/app-services/)
    expect(await refusal('../app-services/index.js', 'src-main/app-data/move-aside.ts')).toMatch(/floor\/leaf-services/)
    expect(await refusal('../../src-main/voice-session/index.js', 'src-shared/bridge/contract.ts')).toMatch(/floor\/shared/)
  })

  it('keeps the engine apart and the PCM audio helpers a leaf', async () => {
    expect(await refusal('../voice-session/index.js', 'src-main/engine/server.ts')).toMatch(/floor\/engine-apart/)
    expect(await refusal('../app-services/index.js', 'src-main/engine/server.ts')).toMatch(/floor\/engine-apart/)
    expect(await refusal('../engine/server.js', 'src-main/voice-session/voice-session.ts')).toMatch(/floor\/session-core/)
    expect(await refusal('../engine/pcm16.js', 'src-main/pcm-audio/wav.ts')).toMatch(/floor\/pcm-audio/)
  })

  it('lets the renderer and the preload reach only src-shared', async () => {
    expect(await refusal('../../../src-preload/index.js', 'src-renderer/src/app/App.tsx')).toMatch(/floor\/renderer/)
    expect(await refusal('../src-main/harness/harness.js', 'src-preload/index.ts')).toMatch(/floor\/renderer/)
  })

  it('allows the imports that point down', async () => {
    expect(await refusal('../voicelive-protocol/events.js', 'src-main/voice-session/voice-session.ts')).toBe('')
    expect(await refusal('../voice-session/index.js', 'src-main/app-services/app-services.ts')).toBe('')
    expect(await refusal('../engine/server.js', 'src-main/app-services/app-services.ts')).toBe('')
    expect(await refusal('../app-services/index.js', 'src-main/harness/harness.ts')).toBe('')
    expect(await refusal('../voicelive-protocol/events.js', 'src-main/engine/server.ts')).toBe('')
    expect(await refusal('../pcm-audio/wav.js', 'src-main/engine/server.ts')).toBe('')
    expect(await refusal('./pcm16-samples.js', 'src-main/pcm-audio/wav.ts')).toBe('')
    expect(await refusal('../../../src-shared/bridge/channels.js', 'src-renderer/src/app/App.tsx')).toBe('')
    expect(await refusal('../src-shared/bridge/renderer-api.js', 'src-preload/index.ts')).toBe('')
  })
})
