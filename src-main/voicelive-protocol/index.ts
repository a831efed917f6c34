/** Pure Voice Live protocol: wire events, summaries, URL/headers, session config, close codes. */
export * from './events.js'
export * from './summary.js'
