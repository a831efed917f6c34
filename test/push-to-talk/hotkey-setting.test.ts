/**
 * The global key as a setting: a key that would fire while typing is refused with the reason,
 * a good one is stored in canonical form, survives a restart, and the desktop shell is told.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src-main/app-services/index.js'
import { formatHotkey, type Hotkey } from '../../src-shared/hotkey/hotkey.js'

describe('the global push-to-talk key setting', () => {
  const opened: AppServices[] = []
  const dir = mkdtempSync(join(tmpdir(), 'ptt-hotkey-'))
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.dispose()
  })
  const open = () => {
    const services = createAppServices({ transportKind: 'harness', appVersion: 'test', userDataDir: dir })
    opened.push(services)
    return services
  }

  it('defaults to Control+Alt+Space, refuses a bare letter, stores and announces a good key', async () => {
    const services = open()
    const followed: Hotkey[] = []
    services.pushToTalk.followHotkey((hotkey) => followed.push(hotkey))
    const commands = services.handlers.commands
    expect((await commands['settings.get']({})).pushToTalkHotkey).toBe('Control+Alt+Space')
    await expect(commands['settings.update']({ pushToTalkHotkey: 'k' })).rejects.toThrow(
      'This key cannot be the push-to-talk key: K alone would fire while you type',
    )
    const view = await commands['settings.update']({ pushToTalkHotkey: 'ctrl+shift+f9' })
    expect(view.pushToTalkHotkey).toBe('Control+Shift+F9')
    expect(followed.map(formatHotkey)).toEqual(['Control+Alt+Space', 'Control+Shift+F9'])
    await services.dispose()
    opened.length = 0

    expect((await open().handlers.commands['settings.get']({})).pushToTalkHotkey).toBe('Control+Shift+F9')
    rmSync(dir, { recursive: true, force: true })
  })
})
