/**
 * Maps a request path to a file of the built renderer, refusing anything outside its folder.
 * Shared by the app:// protocol (Electron) and the browser harness's HTTP server.
 */
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', // module scripts and AudioWorklets need a JS type
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

export interface RendererFile {
  readonly body: Buffer
  readonly mimeType: string
}

/**
 * Resolves `pathname` (already URL-decoded or not) inside `rootDir`.
 * Returns null for traversal attempts, unknown file types and missing files.
 */
export async function readRendererFile(rootDir: string, pathname: string): Promise<RendererFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const root = resolve(rootDir)
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const file = resolve(root, relative)
  if (!file.startsWith(root + sep)) return null
  const mimeType = MIME_TYPES[extname(file).toLowerCase()]
  if (!mimeType) return null
  try {
    return { body: await readFile(file), mimeType }
  } catch {
    return null
  }
}
