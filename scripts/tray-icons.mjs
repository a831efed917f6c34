#!/usr/bin/env node
/**
 * Draws the tray icons (assets/tray/*.png) from shapes, with no image library and no network:
 * `node scripts/tray-icons.mjs` rewrites them; test/electron/tray.test.ts checks the committed files
 * still match what this draws.
 *
 * One microphone per state, 16 px and 32 px (@2x):
 *   - `tray-<state>.png`: coloured, for Windows and Linux (grey idle, amber connecting, green
 *     listening, blue assistant speaking with sound waves, red push-to-talk held, red error badge);
 *   - `tray-<state>Template.png`: black + alpha only, for the macOS menu bar (it tints them for light
 *     and dark); the states differ by shape (outline, filled, waves, dot, ring, cross);
 *   - `tray-<state>.ico`: the coloured icon at 16, 24 and 32 px for Windows, which picks the size
 *     for the display's scaling from an ICO (Electron's advice for Windows tray icons).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { deflateSync } from 'node:zlib'

export const TRAY_STATES = ['idle', 'connecting', 'listening', 'speaking', 'held', 'error']

const COLOURS = {
  idle: [138, 143, 152],
  connecting: [214, 150, 30],
  listening: [46, 158, 91],
  speaking: [47, 125, 225],
  held: [217, 58, 58],
  error: [217, 58, 58],
}
const BLACK = [0, 0, 0]

// Shapes in unit coordinates (0..1 across the icon), as inside-tests.
const capsule = (x0, y0, x1, y1) => (x, y) => {
  const r = (x1 - x0) / 2
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return (x - (x0 + r)) ** 2 + (y - cy) ** 2 <= r * r
}
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const ring = (cx, cy, r, width, keep = () => true) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy)
  return d <= r + width / 2 && d >= r - width / 2 && keep(x, y)
}
const union = (...shapes) => (x, y) => shapes.some((shape) => shape(x, y))
const minus = (shape, hole) => (x, y) => shape(x, y) && !hole(x, y)

const body = capsule(0.36, 0.08, 0.64, 0.58)
const bodyOutline = minus(body, capsule(0.43, 0.15, 0.57, 0.51))
const stand = union(
  ring(0.5, 0.4, 0.25, 0.08, (_x, y) => y > 0.4),
  rect(0.46, 0.64, 0.54, 0.84),
  rect(0.32, 0.82, 0.68, 0.9),
)
const waves = union(
  ring(0.5, 0.33, 0.36, 0.07, (x, y) => x > 0.7 && Math.abs(y - 0.33) < 0.22),
  ring(0.5, 0.33, 0.47, 0.07, (x, y) => x > 0.8 && Math.abs(y - 0.33) < 0.3),
)
const badgeArea = disc(0.78, 0.76, 0.25)
const badge = disc(0.78, 0.76, 0.19)
const badgeRing = ring(0.78, 0.76, 0.15, 0.08)
const cross = union(
  (x, y) => Math.abs(x - 0.78 - (y - 0.76)) < 0.05 && Math.abs(x - 0.78) < 0.15,
  (x, y) => Math.abs(x - 0.78 + (y - 0.76)) < 0.05 && Math.abs(x - 0.78) < 0.15,
)

/** Layers, painted in order: [shape, colour] or [shape, null] to erase (a gap around a badge). */
function layers(state, template) {
  const ink = template ? BLACK : COLOURS[state]
  const mic = union(template && state === 'idle' ? bodyOutline : body, stand)
  const micInk = template ? BLACK : state === 'connecting' || state === 'error' ? COLOURS.idle : ink
  const base = [[mic, micInk]]
  switch (state) {
    case 'speaking':
      return [...base, [waves, ink]]
    case 'held':
      return [...base, [badgeArea, null], [badge, ink]]
    case 'connecting':
      return [...base, [badgeArea, null], [badgeRing, ink]]
    case 'error':
      return template
        ? [...base, [badgeArea, null], [cross, ink]]
        : [...base, [badgeArea, null], [badge, ink], [cross, null]]
    default:
      return base
  }
}

/** RGBA pixels, 4×4 supersampled so the edges are smooth at 16 px. */
function rasterize(size, paint) {
  const pixels = new Uint8Array(size * size * 4)
  const samples = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          if (!colour) continue
          r += colour[0]
          g += colour[1]
          b += colour[2]
          a += 1
        }
      }
      const at = (py * size + px) * 4
      if (a === 0) continue
      pixels.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((a / samples ** 2) * 255)], at)
    }
  }
  return pixels
}

function painter(state, template) {
  const stack = layers(state, template)
  return (x, y) => {
    let colour = null
    for (const [shape, ink] of stack) if (shape(x, y)) colour = ink
    return colour
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
/** A non-interlaced 8-bit RGBA PNG. */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8)
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** One icon's RGBA pixels. */
export const drawTrayIcon = (state, template, size) => rasterize(size, painter(state, template))

/** An ICO holding PNG images (Windows Vista and later read PNG entries). */
export function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i
    header.writeUInt8(size, entry) // width (0 would mean 256)
    header.writeUInt8(size, entry + 1)
    header.writeUInt16LE(1, entry + 4) // colour planes
    header.writeUInt16LE(32, entry + 6) // bits per pixel
    header.writeUInt32LE(png.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map(({ png }) => png)])
}

/** File name → bytes, for every state: PNGs in both styles at 1× and 2×, and a Windows ICO. */
export function renderTrayIcons() {
  const files = new Map()
  for (const state of TRAY_STATES) {
    const sizes = [16, 24, 32].map((size) => ({ size, png: encodePng(size, drawTrayIcon(state, false, size)) }))
    files.set(`tray-${state}.ico`, encodeIco(sizes))
    for (const template of [false, true]) {
      for (const [scale, size] of [['', 16], ['@2x', 32]]) {
        const name = `tray-${state}${template ? 'Template' : ''}${scale}.png`
        files.set(name, encodePng(size, drawTrayIcon(state, template, size)))
      }
    }
  }
  return files
}

export const TRAY_ICON_DIR = join(dirname(import.meta.dirname), 'assets', 'tray')

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(TRAY_ICON_DIR, { recursive: true })
  for (const [name, bytes] of renderTrayIcons()) writeFileSync(join(TRAY_ICON_DIR, name), bytes)
  console.log(`wrote ${TRAY_STATES.length * 5} icons to ${TRAY_ICON_DIR}`)
}
