#!/usr/bin/env node
// The `voicelive` bin: runs the CLI built with the app (`npm run build` writes out/main/cli.js), so
// the installed package needs no TypeScript loader. From a checkout without a build, use
// `npm run voicelive -- …` (tsx, a dev dependency) or build first.
import { existsSync } from 'node:fs'

const built = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(built)) {
  process.stderr.write('voicelive: the CLI is not built yet. Run "npm run build" first, or "npm run voicelive -- <command>" from a checkout.\n')
  process.exit(1)
}
const { run } = await import(built.href)
await run()
