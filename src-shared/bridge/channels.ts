/**
 * The bridge's channel names, as plain runtime values with no schema attached.
 * The preload and the renderer need only these names (to build one method per channel) and the
 * contract's types; importing the validators would put the schema library in their bundles. Main pairs each name
 * with its schema in `contract.ts`, whose tables must have exactly these keys (the type checker
 * refuses a missing or extra channel there).
 */

export const commandChannels = [
  'app.info',
  'session.start',
  'session.stop',
  'shell.open-external',
  'session.interrupt',
  'session.current',
  'settings.get',
  'settings.update',
  'export.transcript',
  'export.audio',
  'log.open',
  'preset.list',
  'preset.select',
  'preset.update',
  'preset.save',
  'preset.save-as',
  'preset.reset',
  'preset.create',
  'preset.rename',
  'preset.duplicate',
  'preset.delete',
  'preset.restore',
  'preset.import',
  'preset.export',
  'models.list',
  'account.status',
  'account.configure',
  'account.sign-in',
  'account.cancel-sign-in',
  'account.switch',
  'account.sign-out',
  'account.discover-resources',
] as const

export const sendChannels = ['audio.mic-frame', 'audio.playback-position', 'session.push-to-talk'] as const

export const eventChannels = [
  'session.state',
  'session.transcript',
  'session.turn-metrics',
  'session.protocol-event',
  'session.service-error',
  'session.identity',
  'audio.format',
  'audio.playback-chunk',
  'audio.playback-flush',
  'account.status',
  'preset.changed',
  'settings.changed',
  'push-to-talk.state',
] as const

export type CommandChannel = (typeof commandChannels)[number]
export type SendChannel = (typeof sendChannels)[number]
export type EventChannel = (typeof eventChannels)[number]
