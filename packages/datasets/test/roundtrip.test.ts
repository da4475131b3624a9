import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { convert, type DatasetReport, YOLO_TOLERANCE } from '../src/index'
import { type CocoDoc, cocoArb, writeCoco } from './coco-arb'
import { tempDir } from './helpers'

type Ann = Record<string, unknown> & {
  id: number
  image_id: number
  category_id: number
  bbox: number[]
}

function readBack(dir: string): CocoDoc {
  return JSON.parse(readFileSync(join(dir, 'annotations', 'instances_val.json'), 'utf8')) as CocoDoc
}

function lossCount(report: DatasetReport, subject: string, kind?: string): number {
  return report.losses
    .filter((l) => l.subject === subject && (kind === undefined || l.kind === kind))
    .reduce((n, l) => n + l.count, 0)
}

async function roundTrip(
  doc: CocoDoc,
  to: 'yolo' | 'voc' | 'dm_v1' | 'dm_v2' | 'coco',
  extra: Record<string, unknown> = {},
) {
  const dir = tempDir()
  writeCoco(join(dir, 'in'), doc)
  const there = await convert({
    from: 'coco',
    to,
    input: join(dir, 'in'),
    output: join(dir, 'mid'),
    ...extra,
  })
  const back = await convert({
    from: to,
    to: 'coco',
    input: join(dir, 'mid'),
    output: join(dir, 'back'),
  })
  return { there: there.report, back: back.report, out: readBack(join(dir, 'back')) }
}

const byName = (doc: CocoDoc) => new Map(doc.categories.map((c) => [c.id, c.name]))
const runs = { numRuns: 25 }

describe('round trips A → B → A keep everything B can hold', () => {
  test('COCO → COCO is byte-identical in content', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, async (doc) => {
        const { there, out } = await roundTrip(doc, 'coco')
        expect(there.losses).toEqual([])
        expect(out.categories).toEqual(doc.categories)
        expect(out.images).toEqual(doc.images)
        expect(out.annotations).toEqual(doc.annotations)
      }),
      runs,
    )
  })

  test('COCO → DM v2 → COCO: geometry, crowd RLE, area, ids and class order survive', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, async (doc) => {
        const { there, out } = await roundTrip(doc, 'dm_v2')
        const names = byName(doc)
        expect(out.categories.map((c) => c.name)).toEqual(doc.categories.map((c) => c.name))
        expect(lossCount(there, 'supercategory')).toBe(doc.categories.length)
        const outNames = byName(out)
        const strip = (a: Record<string, unknown>, n: Map<number, string>) => ({
          ...a,
          category_id: n.get(a['category_id'] as number),
        })
        // DM groups items by tool, so the order within an image is by tool; compare by id.
        const sorted = (xs: Record<string, unknown>[]) =>
          [...xs].sort((a, b) => (a['id'] as number) - (b['id'] as number))
        expect(sorted(out.annotations).map((a) => strip(a, outNames))).toEqual(
          sorted(doc.annotations).map((a) => strip(a, names)),
        )
        expect(out.images).toEqual(doc.images)
      }),
      runs,
    )
  })

  test('COCO → DM v1 → COCO: geometry and ids survive; what v1 cannot keep is reported', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, async (doc) => {
        const { there, out } = await roundTrip(doc, 'dm_v1')
        const anns = doc.annotations as Ann[]
        // v1 keeps no `_` attrs: extra rings come back as their own objects, crowd flags and
        // stored areas are gone; every such attr is counted in the report.
        const single = anns.filter(
          (a) => (a['segmentation'] as unknown[]).length <= 1 || !Array.isArray(a['segmentation']),
        )
        const byId = new Map(out.annotations.map((a) => [a['id'], a]))
        for (const a of single) expect(byId.get(a.id)?.['segmentation']).toEqual(a['segmentation'])
        const multi = anns.length - single.length
        const crowd = anns.filter((a) => a['iscrowd'] === 1).length
        expect(out.annotations.length).toBe(
          anns.length +
            anns.filter(
              (a) =>
                Array.isArray(a['segmentation']) && (a['segmentation'] as unknown[]).length > 1,
            ).length,
        )
        if (crowd + multi > 0)
          expect(lossCount(there, 'internal attr')).toBeGreaterThanOrEqual(crowd + multi)
      }),
      runs,
    )
  })

  test('COCO → YOLO (segment) → COCO: polygons within tolerance, category ids exact, crowd reported', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, async (doc) => {
        const { there, out } = await roundTrip(doc, 'yolo', { task: 'segment' })
        expect(out.categories.map((c) => [c.id, c.name])).toEqual(
          doc.categories.map((c) => [c.id, c.name]),
        )
        const anns = doc.annotations as Ann[]
        const crowd = anns.filter((a) => a['iscrowd'] === 1)
        expect(lossCount(there, 'crowd region', 'dropped')).toBe(crowd.length)
        const boxes = anns.filter((a) => (a['segmentation'] as unknown[]).length === 0)
        expect(lossCount(there, 'box', 'approximated')).toBe(boxes.length)
        const multi = anns.filter(
          (a) => a['iscrowd'] === 0 && (a['segmentation'] as unknown[]).length > 1,
        )
        expect(lossCount(there, 'multi-ring polygon')).toBe(multi.length)
        // Each ring came back as one annotation, in order, within tolerance.
        const expected = anns
          .filter((a) => a['iscrowd'] === 0)
          .flatMap((a) => {
            const seg = a['segmentation'] as number[][]
            const rings =
              seg.length > 0
                ? seg
                : [
                    [
                      a.bbox[0]!,
                      a.bbox[1]!,
                      a.bbox[0]! + a.bbox[2]!,
                      a.bbox[1]!,
                      a.bbox[0]! + a.bbox[2]!,
                      a.bbox[1]! + a.bbox[3]!,
                      a.bbox[0]!,
                      a.bbox[1]! + a.bbox[3]!,
                    ],
                  ]
            return rings.map((r) => ({ image: a.image_id, cat: a.category_id, ring: r }))
          })
        expect(out.annotations.length).toBe(expected.length)
        const sizes = new Map(doc.images.map((i) => [i.id, Math.max(i.width, i.height)]))
        out.annotations.forEach((a, k) => {
          const e = expected[k]!
          expect(a['image_id']).toBe(e.image)
          expect(a['category_id']).toBe(e.cat)
          const ring = (a['segmentation'] as number[][])[0]!
          const tol = YOLO_TOLERANCE * sizes.get(e.image)! + 1e-9
          expect(ring.length).toBe(e.ring.length)
          ring.forEach((v, i) => {
            expect(Math.abs(v - e.ring[i]!)).toBeLessThanOrEqual(tol)
          })
        })
      }),
      runs,
    )
  })

  test('COCO → YOLO (detect) → COCO: boxes within tolerance, polygons reported as dropped', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, async (doc) => {
        const { there, out } = await roundTrip(doc, 'yolo', { task: 'detect', crowd: 'keep' })
        const anns = doc.annotations as Ann[]
        expect(lossCount(there, 'polygon', 'dropped')).toBe(
          anns.filter((a) => a['iscrowd'] === 0 && (a['segmentation'] as unknown[]).length > 0)
            .length,
        )
        expect(lossCount(there, 'iscrowd flag')).toBe(anns.filter((a) => a['iscrowd'] === 1).length)
        expect(lossCount(there, 'RLE mask')).toBe(anns.filter((a) => a['iscrowd'] === 1).length)
        expect(out.annotations.length).toBe(anns.length)
        const sizes = new Map(doc.images.map((i) => [i.id, Math.max(i.width, i.height)]))
        out.annotations.forEach((a, k) => {
          const e = anns[k]!
          const tol = YOLO_TOLERANCE * sizes.get(e.image_id)! + 1e-9
          ;(a['bbox'] as number[]).forEach((v, i) => {
            expect(Math.abs(v - e.bbox[i]!)).toBeLessThanOrEqual(tol)
          })
        })
      }),
      runs,
    )
  })

  test('COCO → VOC → COCO: boxes exact, class names and order kept, the rest reported', async () => {
    await fc.assert(
      fc.asyncProperty(cocoArb, fc.constantFrom(0 as const, 1 as const), async (doc, vocOrigin) => {
        const dir = tempDir()
        writeCoco(join(dir, 'in'), doc)
        const there = await convert({
          from: 'coco',
          to: 'voc',
          input: join(dir, 'in'),
          output: join(dir, 'mid'),
          vocOrigin,
        })
        await convert({
          from: 'voc',
          to: 'coco',
          input: join(dir, 'mid'),
          output: join(dir, 'back'),
          vocOrigin,
        })
        const out = readBack(join(dir, 'back'))
        const anns = (doc.annotations as Ann[]).filter((a) => a['iscrowd'] === 0)
        expect(out.categories.map((c) => c.name)).toEqual(doc.categories.map((c) => c.name))
        // VOC stores corners: w comes back as (x + w) − x, exact for integers, within float
        // rounding otherwise (and origin 1 adds and subtracts 1).
        expect(out.annotations.length).toBe(anns.length)
        out.annotations.forEach((a, k) => {
          ;(a['bbox'] as number[]).forEach((v, i) => {
            expect(Math.abs(v - anns[k]!.bbox[i]!)).toBeLessThan(1e-9)
          })
        })
        const names = byName(doc)
        const outNames = byName(out)
        expect(out.annotations.map((a) => outNames.get(a['category_id'] as number))).toEqual(
          anns.map((a) => names.get(a.category_id)),
        )
        expect(lossCount(there.report, 'polygon')).toBe(
          anns.filter((a) => (a['segmentation'] as unknown[]).length > 0).length,
        )
        expect(lossCount(there.report, 'crowd region')).toBe(doc.annotations.length - anns.length)
      }),
      runs,
    )
  })
})
