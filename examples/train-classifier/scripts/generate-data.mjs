// Writes the example's dataset: 12×12 grey PNG images of a bright stroke (horizontal, vertical or
// diagonal) at a random place on a noisy background, in the YOLO classification layout
// data/shapes/<split>/<class>/<n>.png. Seeded, so every run writes the same files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 12
const CLASSES = ['diagonal', 'horizontal', 'vertical']
const SPLITS = { train: 40, val: 15 }
const root = join(import.meta.dirname, '..', 'data', 'shapes')

let seed = 20261208
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

function image(kind) {
  const px = new Uint8Array(SIZE * SIZE)
  for (let i = 0; i < px.length; i++) px[i] = Math.floor(random() * 90)
  const at = 2 + Math.floor(random() * (SIZE - 4))
  const from = Math.floor(random() * 3)
  const length = SIZE - 3 - Math.floor(random() * 3)
  for (let k = 0; k < length; k++) {
    const [x, y] =
      kind === 'horizontal'
        ? [from + k, at]
        : kind === 'vertical'
          ? [at, from + k]
          : [from + k, Math.min(SIZE - 1, from + k)]
    px[y * SIZE + x] = 170 + Math.floor(random() * 85)
  }
  return px
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
function png(px) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  const raw = Buffer.alloc(SIZE * (SIZE + 1))
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE + 1)] = 0 // filter: none
    raw.set(px.subarray(y * SIZE, (y + 1) * SIZE), y * (SIZE + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

rmSync(root, { recursive: true, force: true })
for (const [split, count] of Object.entries(SPLITS)) {
  for (const kind of CLASSES) {
    const dir = join(root, split, kind)
    mkdirSync(dir, { recursive: true })
    for (let n = 0; n < count; n++) {
      writeFileSync(join(dir, `${kind}_${String(n).padStart(3, '0')}.png`), png(image(kind)))
    }
  }
}
console.log(`wrote ${CLASSES.length * (SPLITS.train + SPLITS.val)} images to ${root}`)
