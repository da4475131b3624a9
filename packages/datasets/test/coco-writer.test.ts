import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { WriteContext } from '../src/context'
import {
  annotationToCoco,
  isPlain,
  writeImage,
  writePlainAnnotation,
} from '../src/formats/coco/writer'
import { JsonBytes } from '../src/io/json-writer'
import type { Annotation, ImageRecord } from '../src/model'

const coord = fc.oneof(
  fc.double({ min: 0, max: 5000, noNaN: true }),
  fc.integer({ min: 0, max: 5000 }),
  fc
    .tuple(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(640, 480, 333))
    .map(([u, w]) => (u / 1e6) * w),
)
const annArb: fc.Arbitrary<Annotation> = fc
  .record(
    {
      id: fc.integer({ min: 1, max: 1e6 }),
      categoryId: fc.integer({ min: 1, max: 90 }),
      bbox: fc.tuple(coord, coord, coord, coord),
      polygons: fc.array(fc.array(coord, { minLength: 6, maxLength: 12 }), { maxLength: 3 }),
      area: coord,
      iscrowd: fc.boolean(),
      attrs: fc.constant<Annotation['attrs']>([]),
    },
    { requiredKeys: ['categoryId'] },
  )
  .map((a) => a as Annotation)

test('plain annotations are written as JSON.stringify writes annotationToCoco', () => {
  const img: ImageRecord = { id: 7, fileName: 'a.jpg', split: '', annotations: [] }
  const ctx = {} as WriteContext
  fc.assert(
    fc.property(annArb, fc.integer({ min: 1, max: 1e9 }), (ann, id) => {
      expect(isPlain(ann, img)).toBe(true)
      const w = new JsonBytes()
      writePlainAnnotation(w, ann, img, id)
      expect(w.bytes().toString()).toBe(JSON.stringify(annotationToCoco(ann, img, id, ctx)))
    }),
    { numRuns: 2000 },
  )
})

test('annotations with anything more are not plain', () => {
  const img: ImageRecord = { id: 1, fileName: 'a.jpg', split: '', annotations: [] }
  for (const extra of [
    { imageClass: true },
    { rle: { size: [2, 2], counts: [4] } },
    { obb: [0, 0, 1, 0, 1, 1, 0, 1] },
    { polyline: [0, 0, 1, 1] },
    { point: [1, 2] },
    { keypoints: [1, 2, 2] },
    { attrs: [{ name: 'a', value: 1 }] },
    { extra: { format: 'coco', fields: { x: 1 } } },
  ]) {
    expect(isPlain({ categoryId: 1, ...extra } as Annotation, img)).toBe(false)
  }
})

test('images are written as JSON.stringify writes their COCO object', () => {
  const imgArb = fc.record(
    {
      id: fc.integer({ min: 0, max: 1e9 }),
      fileName: fc.oneof(fc.string(), fc.constantFrom('a/b.jpg', 'é "q" \\ \n.png')),
      width: fc.oneof(fc.integer({ min: 1, max: 1e5 }), fc.double({ noNaN: true })),
      height: fc.integer({ min: 1, max: 1e5 }),
      extra: fc.oneof(
        fc.constant({ format: 'voc' as const, fields: { folder: 'x' } }),
        fc.record({
          format: fc.constant('coco' as const),
          fields: fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string())),
        }),
      ),
    },
    { requiredKeys: ['id', 'fileName'] },
  )
  fc.assert(
    fc.property(imgArb, (raw) => {
      const img = { ...raw, split: '', annotations: [] } as ImageRecord
      const o: Record<string, unknown> = { id: img.id, file_name: img.fileName }
      if (img.width !== undefined) o['width'] = img.width
      if (img.height !== undefined) o['height'] = img.height
      if (img.extra?.format === 'coco') Object.assign(o, img.extra.fields)
      const w = new JsonBytes()
      writeImage(w, img)
      expect(w.bytes().toString()).toBe(JSON.stringify(o))
    }),
    { numRuns: 1000 },
  )
})
