// Writes the example's dataset in COCO form: 32×32 grey PNG images on a noisy background, each
// with one or two shapes (a cross, a ring or a slash) in its own box, the boxes labelled with
// the shape. data/shapes/annotations/instances_<split>.json and data/shapes/images/<split>/.
// Seeded, so every run writes the same files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 32
const CLASSES = ['cross', 'ring', 'slash']
const SPLITS = { train: 90, val: 30 }
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
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1))

/** Draws shape `kind` filling the box at (x, y), `s` pixels square. */
function draw(px, kind, x, y, s) {
  const set = (i, j) => {
    px[(y + j) * SIZE + (x + i)] = int(170, 255)
  }
  const mid = Math.floor(s / 2)
  for (let k = 0; k < s; k++) {
    if (kind === 'cross') {
      set(k, mid)
      set(mid, k)
    } else if (kind === 'ring') {
      set(k, 0)
      set(k, s - 1)
      set(0, k)
      set(s - 1, k)
    } else set(k, k)
  }
}

/** One image: its pixels and its boxes `[x, y, w, h]` with class indices. */
function image() {
  const px = new Uint8Array(SIZE * SIZE)
  for (let i = 0; i < px.length; i++) px[i] = int(0, 80)
  const objects = []
  const count = int(1, 2)
  // Two objects go in the left and right halves so they never overlap.
  for (let n = 0; n < count; n++) {
    const s = int(9, 13)
    const x = count === 1 ? int(0, SIZE - s) : n * 16 + int(0, 16 - s)
    const y = int(0, SIZE - s)
    const label = int(0, CLASSES.length - 1)
    draw(px, CLASSES[label], x, y, s)
    objects.push({ label, bbox: [x, y, s, s] })
  }
  return { px, objects }
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
mkdirSync(join(root, 'annotations'), { recursive: true })
let annId = 0
for (const [split, count] of Object.entries(SPLITS)) {
  mkdirSync(join(root, 'images', split), { recursive: true })
  const coco = {
    images: [],
    annotations: [],
    categories: CLASSES.map((name, i) => ({ id: i + 1, name, supercategory: 'shape' })),
  }
  for (let n = 0; n < count; n++) {
    const { px, objects } = image()
    const file = `${split}_${String(n).padStart(3, '0')}.png`
    writeFileSync(join(root, 'images', split, file), png(px))
    const id = n + 1
    coco.images.push({ id, file_name: file, width: SIZE, height: SIZE })
    for (const o of objects) {
      coco.annotations.push({
        id: ++annId,
        image_id: id,
        category_id: o.label + 1,
        bbox: o.bbox,
        area: o.bbox[2] * o.bbox[3],
        iscrowd: 0,
      })
    }
  }
  writeFileSync(join(root, 'annotations', `instances_${split}.json`), `${JSON.stringify(coco)}\n`)
}
console.log(`wrote ${SPLITS.train + SPLITS.val} images (${annId} boxes) to ${root}`)
