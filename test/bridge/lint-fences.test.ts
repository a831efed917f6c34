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
