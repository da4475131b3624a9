import fc from 'fast-check'
import { type CocoDoc, cocoArb } from './coco-arb'

/**
 * {@link cocoArb} with what most formats cannot hold, each present or not: `info` and
 * `licenses`, an image field (`license`), annotation `attributes`, an unknown annotation key,
 * and keypoints with their names and skeleton on one class.
 */
export const richCocoArb: fc.Arbitrary<CocoDoc & Record<string, unknown>> = fc
  .record({
    doc: cocoArb,
    info: fc.boolean(),
    license: fc.boolean(),
    attrs: fc.boolean(),
    score: fc.boolean(),
    keypoints: fc.boolean(),
  })
  .map(({ doc, info, license, attrs, score, keypoints }) => {
    const out = structuredClone(doc) as CocoDoc & Record<string, unknown>
    if (info) {
      out['info'] = { year: 2017, description: 'generated' }
      out['licenses'] = [{ id: 1, name: 'CC BY 4.0', url: 'https://example.org' }]
    }
    if (license && out.images[0] !== undefined) {
      ;(out.images[0] as Record<string, unknown>)['license'] = 1
    }
    const first = out.annotations.find((a) => a['iscrowd'] === 0)
    if (first !== undefined) {
      if (attrs) first['attributes'] = { occluded: true }
      if (score) first['score'] = 0.5
      if (keypoints) {
        const [x, y, w, h] = first['bbox'] as number[]
        first['keypoints'] = [x! + w! / 2, y! + h! / 2, 2, x!, y!, 1]
        first['num_keypoints'] = 2
        const cat = out.categories.find((c) => c.id === first['category_id'])!
        Object.assign(cat, { keypoints: ['centre', 'corner'], skeleton: [[1, 2]] })
      }
    }
    return out
  })
