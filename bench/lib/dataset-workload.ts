/**
 * Deterministic dataset workloads for the `dataset-*` benchmarks (spec: the shared reference
 * `dataset-formats.md` §5). Files are made at benchmark time under `bench/.data/` (git-ignored),
 * never committed; each generated file's SHA-256 is checked against the value below, so a changed
 * generator cannot silently change what the figures measure.
 *
 * W1 "COCO-val-like": 5,000 images, 36,781 annotations over 4,952 images (48 background), the 80
 * COCO category ids (1..90 with gaps), polygons of 8–57 vertices at 2-decimal precision (8% with
 * two rings), 1% crowd regions as uncompressed RLE whose counts sum to H×W, non-contiguous
 * annotation ids. PRNG mulberry32, seed 20170901.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { jpegStub } from '@synapse/datasets/testing'

export const DATA_DIR = join(import.meta.dirname, '..', '.data')

/** SHA-256 of the generated files; a mismatch fails the benchmark. */
export const EXPECTED_SHA256: Record<string, string> = {
  w1: 'a2f3fef2d468573f7c4c7eb618535804bb780e1b329b609f8a8af02ffa28893f',
  w2: '85688352d051f0ebc053fd79306e10f6ee201791a342a4d76fd6dc678a279a77',
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// The 80 COCO categories: real ids (1..90 with gaps) and names.
const COCO_CATEGORIES: [number, string, string][] = [
  [1, 'person', 'person'],
  [2, 'bicycle', 'vehicle'],
  [3, 'car', 'vehicle'],
  [4, 'motorcycle', 'vehicle'],
  [5, 'airplane', 'vehicle'],
  [6, 'bus', 'vehicle'],
  [7, 'train', 'vehicle'],
  [8, 'truck', 'vehicle'],
  [9, 'boat', 'vehicle'],
  [10, 'traffic light', 'outdoor'],
  [11, 'fire hydrant', 'outdoor'],
  [13, 'stop sign', 'outdoor'],
  [14, 'parking meter', 'outdoor'],
  [15, 'bench', 'outdoor'],
  [16, 'bird', 'animal'],
  [17, 'cat', 'animal'],
  [18, 'dog', 'animal'],
  [19, 'horse', 'animal'],
  [20, 'sheep', 'animal'],
  [21, 'cow', 'animal'],
  [22, 'elephant', 'animal'],
  [23, 'bear', 'animal'],
  [24, 'zebra', 'animal'],
  [25, 'giraffe', 'animal'],
  [27, 'backpack', 'accessory'],
  [28, 'umbrella', 'accessory'],
  [31, 'handbag', 'accessory'],
  [32, 'tie', 'accessory'],
  [33, 'suitcase', 'accessory'],
  [34, 'frisbee', 'sports'],
  [35, 'skis', 'sports'],
  [36, 'snowboard', 'sports'],
  [37, 'sports ball', 'sports'],
  [38, 'kite', 'sports'],
  [39, 'baseball bat', 'sports'],
  [40, 'baseball glove', 'sports'],
  [41, 'skateboard', 'sports'],
  [42, 'surfboard', 'sports'],
  [43, 'tennis racket', 'sports'],
  [44, 'bottle', 'kitchen'],
  [46, 'wine glass', 'kitchen'],
  [47, 'cup', 'kitchen'],
  [48, 'fork', 'kitchen'],
  [49, 'knife', 'kitchen'],
  [50, 'spoon', 'kitchen'],
  [51, 'bowl', 'kitchen'],
  [52, 'banana', 'food'],
  [53, 'apple', 'food'],
  [54, 'sandwich', 'food'],
  [55, 'orange', 'food'],
  [56, 'broccoli', 'food'],
  [57, 'carrot', 'food'],
  [58, 'hot dog', 'food'],
  [59, 'pizza', 'food'],
  [60, 'donut', 'food'],
  [61, 'cake', 'food'],
  [62, 'chair', 'furniture'],
  [63, 'couch', 'furniture'],
  [64, 'potted plant', 'furniture'],
  [65, 'bed', 'furniture'],
  [67, 'dining table', 'furniture'],
  [70, 'toilet', 'furniture'],
  [72, 'tv', 'electronic'],
  [73, 'laptop', 'electronic'],
  [74, 'mouse', 'electronic'],
  [75, 'remote', 'electronic'],
  [76, 'keyboard', 'electronic'],
  [77, 'cell phone', 'electronic'],
  [78, 'microwave', 'appliance'],
  [79, 'oven', 'appliance'],
  [80, 'toaster', 'appliance'],
  [81, 'sink', 'appliance'],
  [82, 'refrigerator', 'appliance'],
  [84, 'book', 'indoor'],
  [85, 'clock', 'indoor'],
  [86, 'vase', 'indoor'],
  [87, 'scissors', 'indoor'],
  [88, 'teddy bear', 'indoor'],
  [89, 'hair drier', 'indoor'],
  [90, 'toothbrush', 'indoor'],
]

const WIDTHS = [640, 480, 500, 612]
const HEIGHTS = [480, 427, 426, 640, 375, 612]
export const W1_IMAGES = 5000
export const W1_ANNOTATIONS = 36781
const ANNOTATED_IMAGES = 4952

export interface W1 {
  info: Record<string, unknown>
  licenses: Record<string, unknown>[]
  images: { id: number; license: number; file_name: string; width: number; height: number }[]
  annotations: Record<string, unknown>[]
  categories: { supercategory: string; id: number; name: string }[]
}

const r2 = (v: number): number => Math.round(v * 100) / 100

/** Builds W1 in memory, deterministically. */
export function makeW1(): W1 {
  const rand = mulberry32(20170901)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const images: W1['images'] = []
  let imageId = 0
  for (let i = 0; i < W1_IMAGES; i++) {
    imageId += 1 + Math.floor(rand() * 200)
    images.push({
      id: imageId,
      license: 1 + Math.floor(rand() * 8),
      file_name: `${String(imageId).padStart(12, '0')}.jpg`,
      width: pick(WIDTHS),
      height: pick(HEIGHTS),
    })
  }
  // Which images get annotations, and how many: every annotated image one, the rest at random.
  const order = images.map((_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  const annotated = order.slice(0, ANNOTATED_IMAGES).sort((a, b) => a - b)
  const perImage = new Map<number, number>(annotated.map((i) => [i, 1]))
  for (let k = ANNOTATED_IMAGES; k < W1_ANNOTATIONS; k++) {
    const i = annotated[Math.floor(rand() * annotated.length)]!
    perImage.set(i, perImage.get(i)! + 1)
  }
  const annotations: Record<string, unknown>[] = []
  let annId = 0
  for (const i of annotated) {
    const img = images[i]!
    const W = img.width
    const H = img.height
    for (let n = perImage.get(i)!; n > 0; n--) {
      annId += 1 + Math.floor(rand() * 40)
      const cat = COCO_CATEGORIES[Math.floor(rand() * COCO_CATEGORIES.length)]![0]
      if (rand() < 0.01) {
        // Crowd: a rectangle as uncompressed column-major RLE.
        const w = 1 + Math.floor(rand() * (W / 3))
        const h = 1 + Math.floor(rand() * (H / 3))
        const x0 = Math.floor(rand() * (W - w))
        const y0 = Math.floor(rand() * (H - h))
        const counts = [x0 * H + y0]
        for (let c = 0; c < w; c++) {
          counts.push(h)
          if (c < w - 1) counts.push(H - h)
        }
        counts.push(H * W - (x0 * H + y0) - (w - 1) * H - h)
        annotations.push({
          segmentation: { counts, size: [H, W] },
          area: w * h,
          iscrowd: 1,
          image_id: img.id,
          bbox: [x0, y0, w, h],
          category_id: cat,
          id: 900000000 + annId,
        })
        continue
      }
      const rings = rand() < 0.08 ? 2 : 1
      const segmentation: number[][] = []
      for (let r = 0; r < rings; r++) {
        const cx = rand() * W
        const cy = rand() * H
        const rx = 2 + rand() * Math.min(cx, W - cx, W / 4)
        const ry = 2 + rand() * Math.min(cy, H - cy, H / 4)
        const k = 8 + Math.floor(rand() * 50)
        const ring: number[] = []
        for (let v = 0; v < k; v++) {
          const t = (v / k) * Math.PI * 2
          const j = 0.7 + 0.3 * rand()
          ring.push(
            r2(Math.min(W, Math.max(0, cx + rx * j * Math.cos(t)))),
            r2(Math.min(H, Math.max(0, cy + ry * j * Math.sin(t)))),
          )
        }
        segmentation.push(ring)
      }
      let minX = Infinity
      let minY = Infinity
      let maxX = -Infinity
      let maxY = -Infinity
      let area = 0
      for (const ring of segmentation) {
        let s = 0
        const m = ring.length / 2
        for (let v = 0; v < m; v++) {
          const x = ring[2 * v]!
          const y = ring[2 * v + 1]!
          minX = Math.min(minX, x)
          minY = Math.min(minY, y)
          maxX = Math.max(maxX, x)
          maxY = Math.max(maxY, y)
          const w = (v + 1) % m
          s += x * ring[2 * w + 1]! - ring[2 * w]! * y
        }
        area += Math.abs(s) / 2
      }
      annotations.push({
        segmentation,
        area: r2(area),
        iscrowd: 0,
        image_id: img.id,
        bbox: [minX, minY, r2(maxX - minX), r2(maxY - minY)],
        category_id: cat,
        id: annId,
      })
    }
  }
  return {
    info: { description: 'synthetic COCO-val-like workload', version: '1.0', year: 2017 },
    licenses: Array.from({ length: 8 }, (_, i) => ({
      id: i + 1,
      name: `license ${i + 1}`,
      url: '',
    })),
    images,
    annotations,
    categories: COCO_CATEGORIES.map(([id, name, supercategory]) => ({ supercategory, id, name })),
  }
}

export function sha256File(path: string): string {
  const hash = createHash('sha256')
  const fd = openSync(path, 'r')
  const buf = Buffer.allocUnsafe(16 << 20)
  try {
    let pos = 0
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n === 0) break
      hash.update(buf.subarray(0, n))
      pos += n
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** Checks (or, when unknown, records) a generated file's SHA-256. */
export function checkSha(name: string, path: string): string {
  const sha = sha256File(path)
  const expected = EXPECTED_SHA256[name]
  if (expected !== undefined && expected !== sha) {
    throw new Error(`workload ${name} changed: sha256 ${sha}, expected ${expected}`)
  }
  return sha
}

/** `bench/.data/w1/annotations/instances_val2017.json`, made once. Returns the file path. */
export function ensureW1(): { file: string; root: string; doc: W1 | undefined } {
  const root = join(DATA_DIR, 'w1')
  const file = join(root, 'annotations', 'instances_val2017.json')
  if (existsSync(file)) return { file, root, doc: undefined }
  const doc = makeW1()
  mkdirSync(join(root, 'annotations'), { recursive: true })
  writeFileSync(`${file}.tmp`, JSON.stringify(doc))
  renameSync(`${file}.tmp`, file)
  return { file, root, doc }
}

/** W3: header-only JPEG stubs for every W1 image, in `dir`. */
export function writeImageStubs(
  dir: string,
  images: readonly { file_name: string; width: number; height: number }[],
): void {
  mkdirSync(dir, { recursive: true })
  for (const img of images) writeFileSync(join(dir, img.file_name), jpegStub(img.width, img.height))
}

/** W1's images (reads the generated file when the document is not at hand). */
export function w1Images(file: string): W1['images'] {
  return (JSON.parse(readFileSync(file, 'utf8')) as W1).images
}

/**
 * W2: W1 ×24 (120,000 images, 882,744 annotations, ≈550 MB), written piecewise: the whole text is
 * longer than V8's maximum string. Images and ids are shifted per copy so every id stays unique.
 */
export function ensureW2(): string {
  const file = join(DATA_DIR, 'w2', 'annotations', 'instances_train.json')
  if (existsSync(file)) return file
  const { file: w1File } = ensureW1()
  const doc = JSON.parse(readFileSync(w1File, 'utf8')) as W1
  mkdirSync(join(DATA_DIR, 'w2', 'annotations'), { recursive: true })
  const tmp = `${file}.tmp`
  rmSync(tmp, { force: true })
  const fd = openSync(tmp, 'w')
  const out = (s: string): void => {
    writeSync(fd, s)
  }
  const COPIES = 24
  const imageShift = 1_000_000
  const annShift = 1_000_000_000
  out(`{"info":${JSON.stringify(doc.info)},"licenses":${JSON.stringify(doc.licenses)},"images":[`)
  let first = true
  for (let c = 0; c < COPIES; c++) {
    let chunk = ''
    for (const img of doc.images) {
      const id = img.id + c * imageShift
      chunk += `${first ? '' : ','}${JSON.stringify({ ...img, id, file_name: `${String(id).padStart(12, '0')}.jpg` })}`
      first = false
    }
    out(chunk)
  }
  out('],"annotations":[')
  first = true
  for (let c = 0; c < COPIES; c++) {
    let chunk = ''
    for (const a of doc.annotations) {
      const shifted = {
        ...a,
        image_id: (a['image_id'] as number) + c * imageShift,
        id: (a['id'] as number) + c * annShift,
      }
      chunk += `${first ? '' : ','}${JSON.stringify(shifted)}`
      first = false
      if (chunk.length > 8 << 20) {
        out(chunk)
        chunk = ''
      }
    }
    out(chunk)
  }
  out(`],"categories":${JSON.stringify(doc.categories)}}`)
  closeSync(fd)
  renameSync(tmp, file)
  return file
}
