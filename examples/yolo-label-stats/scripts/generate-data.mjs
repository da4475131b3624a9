#!/usr/bin/env node
// Regenerates data/: a small deterministic YOLO detection dataset (labels only), with a few
// deliberate faults (an unknown class, an out-of-range value, a short line) and empty files,
// so label-stats has something real to find. Run: node scripts/generate-data.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', 'data')
const classes = ['person', 'car', 'bicycle', 'dog', 'traffic light']
// mulberry32: small, fast and the same on every machine.
let seed = 20240601
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
// Typical sizes per class (w, h as fractions of the image), so k-means has structure to find.
const shapes = [
  [0.12, 0.35],
  [0.3, 0.2],
  [0.2, 0.18],
  [0.15, 0.12],
  [0.04, 0.1],
]
rmSync(root, { recursive: true, force: true })
mkdirSync(join(root, 'labels'), { recursive: true })
writeFileSync(join(root, 'classes.txt'), `${classes.join('\n')}\n`)
for (let i = 0; i < 160; i++) {
  const lines = []
  const n = i % 23 === 0 ? 0 : 1 + Math.floor(rand() * 8)
  for (let j = 0; j < n; j++) {
    const c = Math.floor(rand() * rand() * classes.length)
    const [bw, bh] = shapes[c]
    const w = Math.min(0.95, bw * (0.6 + rand() * 0.8))
    const h = Math.min(0.95, bh * (0.6 + rand() * 0.8))
    const x = w / 2 + rand() * (1 - w)
    const y = h / 2 + rand() * (1 - h)
    lines.push([c, x, y, w, h].map((v, k) => (k === 0 ? v : v.toFixed(6))).join(' '))
  }
  if (i === 7) lines.push('9 0.5 0.5 0.1 0.1')
  if (i === 42) lines.push('1 0.5 1.2 0.1 0.1')
  if (i === 99) lines.push('2 0.5 0.5')
  writeFileSync(
    join(root, 'labels', `img_${String(i).padStart(4, '0')}.txt`),
    lines.join('\n') + (lines.length ? '\n' : ''),
  )
}
