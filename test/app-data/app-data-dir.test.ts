import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultAppDataDir, resolveAppDataDir } from '../../src-main/app-data/app-data-dir.js'

describe('the app data folder, as Electron names it', () => {
  it('follows each OS convention with the product name', () => {
    expect(defaultAppDataDir({ env: {}, platform: 'linux', home: '/home/ann' })).toBe(
      '/home/ann/.config/Voice Live Desktop',
    )
    expect(defaultAppDataDir({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/home/ann' })).toBe(
      '/x/Voice Live Desktop',
    )
    expect(defaultAppDataDir({ env: {}, platform: 'darwin', home: '/Users/ann' })).toBe(
      '/Users/ann/Library/Application Support/Voice Live Desktop',
    )
    expect(
      defaultAppDataDir({
        env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
        platform: 'win32',
        home: 'C:\\Users\\ann',
      }),
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\Voice Live Desktop')
  })

  it('lets VOICE_LIVE_CONFIG_DIR override it, resolved to an absolute path', () => {
    const where = { env: { VOICE_LIVE_CONFIG_DIR: 'portable/data' }, platform: 'linux' as const, home: '/home/ann' }
    expect(resolveAppDataDir(where)).toBe(resolve('portable/data'))
    expect(resolveAppDataDir({ ...where, env: { VOICE_LIVE_CONFIG_DIR: '  ' } })).toBe(
      '/home/ann/.config/Voice Live Desktop',
    )
  })
})
