#!/usr/bin/env node
// `npm run icons`: every platform's app icon from the one source, assets/icon.svg.
//   assets/icon.png             1024 px (the renderer's favicon source and the generic icon)
//   assets/icons/png/NxN.png    Linux (AppImage, deb): 16 … 1024 px
//   assets/icons/icon.ico       Windows: PNG-compressed 16 … 256 px entries
//   assets/icons/icon.icns      macOS: PNG entries from 16 to 1024 px (ic04 … ic10)
// Rasterised by Debian's Chromium through playwright-core (both already used by the tests, so no
// new tool and no network); the ICO and ICNS containers are written here in plain Node. Run it
// after changing icon.svg and commit the results.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const assets = resolve(import.meta.dirname, '../assets')
const svg = readFileSync(join(assets, 'icon.svg'), 'utf8')
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
})
const png = {}
try {
  const page = await browser.newPage()
  const source = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size })
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${source}" width="${size}" height="${size}" style="display:block"></body></html>`)
    await page.locator('img').evaluate((img) => img.decode())
    png[size] = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
  }
} finally {
  await browser.close()
}

mkdirSync(join(assets, 'icons', 'png'), { recursive: true })
writeFileSync(join(assets, 'icon.png'), png[1024])
for (const size of SIZES) writeFileSync(join(assets, 'icons', 'png', `${size}x${size}.png`), png[size])

// ICO: a directory of PNG images (Windows Vista and later read PNG entries); 256 is written as 0.
const icoSizes = [16, 24, 32, 48, 64, 128, 256]
const header = Buffer.alloc(6)
header.writeUInt16LE(1, 2) // type: icon
header.writeUInt16LE(icoSizes.length, 4)
let offset = 6 + 16 * icoSizes.length
const entries = icoSizes.map((size) => {
  const entry = Buffer.alloc(16)
  entry.writeUInt8(size === 256 ? 0 : size, 0)
  entry.writeUInt8(size === 256 ? 0 : size, 1)
  entry.writeUInt16LE(1, 4) // colour planes
  entry.writeUInt16LE(32, 6) // bits per pixel
  entry.writeUInt32LE(png[size].length, 8)
  entry.writeUInt32LE(offset, 12)
  offset += png[size].length
  return entry
})
writeFileSync(join(assets, 'icons', 'icon.ico'), Buffer.concat([header, ...entries, ...icoSizes.map((size) => png[size])]))

// ICNS: 'icns' + total length, then (type, length, PNG) chunks; types per Apple's IconFamily.
const icnsTypes = { ic04: 16, ic05: 32, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 }
const chunks = Object.entries(icnsTypes).map(([type, size]) => {
  const head = Buffer.alloc(8)
  head.write(type, 0, 'ascii')
  head.writeUInt32BE(8 + png[size].length, 4)
  return Buffer.concat([head, png[size]])
})
const icnsHead = Buffer.alloc(8)
icnsHead.write('icns', 0, 'ascii')
icnsHead.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4)
writeFileSync(join(assets, 'icons', 'icon.icns'), Buffer.concat([icnsHead, ...chunks]))

console.log(`icons: ${SIZES.length} PNGs, icon.ico (${icoSizes.length} sizes), icon.icns (${chunks.length} entries) in ${join(assets, 'icons')}`)
