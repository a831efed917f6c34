/**
 * What the sandboxed preload and the renderer pull in at run time: the channel names and types, never the
 * contract's validators (zod stays in main). Bundled here with esbuild, the way electron-vite bundles
 * them, and checked by the modules the bundle reads.
 */
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const root = new URL('../..', import.meta.url).pathname

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    external: ['electron'],
    jsx: 'automatic',
    // The renderer's stylesheet and worklet URL are Vite's business, not this check's.
    plugins: [
      {
        name: 'vite-only-imports',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /\.css$|\?worker&url$/ }, (args) => ({ path: args.path, namespace: 'stub' }))
          pluginBuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default ""', loader: 'js' }))
        },
      },
    ],
  })
  return Object.keys(result.metafile.inputs)
}

describe('zod stays in main', () => {
  it('is not in the preload bundle', async () => {
    const inputs = await bundledInputs('src-preload/index.ts')
    expect(inputs).toContain('src-shared/bridge/channels.ts')
    expect(inputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([])
  })

  it('is not in the renderer bundle, the harness WebSocket client included', async () => {
    const inputs = [
      ...(await bundledInputs('src-renderer/src/main.tsx')),
      ...(await bundledInputs('src-renderer/src/bridge/websocket-bridge-client.ts')),
    ]
    expect(inputs).toContain('src-shared/bridge/wire-codec.ts')
    expect(inputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([])
  })
})
