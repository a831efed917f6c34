#!/usr/bin/env node
// The `voicelive` bin: load the TypeScript CLI through tsx, so it runs straight from a checkout.
import { register } from 'tsx/esm/api'

register()
const { run } = await import('../src-main/cli/voicelive.ts')
await run()
