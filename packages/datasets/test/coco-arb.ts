import { join } from 'node:path'
import fc from 'fast-check'
import { pngStub, writeText } from './helpers'

export interface CocoDoc {
  images: { id: number; file_name: string; width: number; height: number }[]
  annotations: Record<string, unknown>[]
  categories: { id: number; name: string; supercategory?: string }[]
}

const SIZES: [number, number][] = [
  [640, 480],
  [500, 375],
  [100, 50],
]
const NAMES = ['person', 'bicycle', '사람', 'traffic light', 'café', 'a/b', 'dog', 'x"y']

/** A small COCO dataset with non-contiguous category ids, polygons (1–2 rings), boxes and crowd RLE. */
export const cocoArb: fc.Arbitrary<CocoDoc> = fc
  .record({
    catIds: fc.uniqueArray(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 4 }),
    names: fc.shuffledSubarray(NAMES, { minLength: 4, maxLength: 4 }),
    images: fc.array(
      fc.record({
        size: fc.constantFrom(...SIZES),
        anns: fc.array(
          fc.record({
            kind: fc.constantFrom('box', 'polygon', 'polygon2', 'crowd'),
            cat: fc.nat(3),
            seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
              minLength: 12,
              maxLength: 12,
            }),
            area: fc.integer({ min: 1, max: 5000 }),
          }),
          { maxLength: 4 },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ catIds, names, images }) => {
    const categories = catIds.map((id, i) => ({ id, name: names[i]!, supercategory: 'thing' }))
    const doc: CocoDoc = { images: [], annotations: [], categories }
    let annId = 100
    images.forEach((im, i) => {
      const [W, H] = im.size
      const id = i + 1
      doc.images.push({ id, file_name: `img_${i}.png`, width: W, height: H })
      for (const a of im.anns) {
        annId += 7
        const cat = catIds[a.cat % catIds.length]!
        const s = a.seed
        const x0 = Math.round(s[0]! * (W - 10) * 100) / 100
        const y0 = Math.round(s[1]! * (H - 10) * 100) / 100
        const w = Math.max(1, Math.round(s[2]! * (W - x0) * 100) / 100)
        const h = Math.max(1, Math.round(s[3]! * (H - y0) * 100) / 100)
        const ring = (dx: number): number[] => {
          const r = [x0 + dx, y0, x0 + w, y0 + h * s[4]!, x0 + w * s[5]!, y0 + h]
          return r.map((v) => Math.round(Math.min(v, W) * 100) / 100)
        }
        if (a.kind === 'box') {
          doc.annotations.push({
            id: annId,
            image_id: id,
            category_id: cat,
            bbox: [x0, y0, w, h],
            area: w * h,
            iscrowd: 0,
            segmentation: [],
          })
        } else if (a.kind === 'crowd') {
          const counts = [Math.floor(s[6]! * 10), 3, H * W - 3 - Math.floor(s[6]! * 10)]
          doc.annotations.push({
            id: annId,
            image_id: id,
            category_id: cat,
            bbox: [0, Math.floor(s[6]! * 10), 1, 3],
            area: 3,
            iscrowd: 1,
            segmentation: { size: [H, W], counts },
          })
        } else {
          const rings =
            a.kind === 'polygon'
              ? [ring(0)]
              : [ring(0), ring(0).map((v, k) => (k % 2 === 0 ? Math.max(0, v - 1) : v))]
          const xs = rings.flatMap((r) => r.filter((_, k) => k % 2 === 0))
          const ys = rings.flatMap((r) => r.filter((_, k) => k % 2 === 1))
          const bx = Math.min(...xs)
          const by = Math.min(...ys)
          doc.annotations.push({
            id: annId,
            image_id: id,
            category_id: cat,
            bbox: [bx, by, Math.max(...xs) - bx, Math.max(...ys) - by],
            area: a.area,
            iscrowd: 0,
            segmentation: rings,
          })
        }
      }
    })
    return doc
  })

/** Writes `doc` as `root/annotations/instances_<split>.json` with PNG stubs under `images/<split>/`. */
export function writeCoco(root: string, doc: CocoDoc, split = 'val'): void {
  writeText(join(root, 'annotations', `instances_${split}.json`), JSON.stringify(doc))
  for (const img of doc.images) {
    writeText(join(root, 'images', split, img.file_name), pngStub(img.width, img.height))
  }
}
