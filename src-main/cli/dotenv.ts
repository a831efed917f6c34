/**
 * `.env` reading as the quickstart does (python-dotenv's `load_dotenv()`): KEY=VALUE lines,
 * optional `export `, quotes, `#` comments. Values already in the environment win.
 */
import { readFileSync } from 'node:fs'

export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line)
    if (!match) continue
    const key = match[1]!
    let value = match[2]!
    const quote = value[0]
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote))
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"')
    } else {
      value = value.replace(/\s+#.*$/, '').trim()
    }
    out[key] = value
  }
  return out
}

/** The `.env` file's values, or an empty map when there is no such file. */
export function readDotenv(path: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {}
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  return parseDotenv(text)
}
