import fc from 'fast-check'
import { expect, test } from 'vitest'
import { isCocoFile, isCocoImage } from '../src/formats/coco/fast-validate'
import { cocoFileSchema, cocoImageSchema } from '../src/formats/coco/schema'
import { isDmV2File } from '../src/formats/dm/fast-validate'
import { dmV2FileSchema } from '../src/formats/dm/schema'

// The fast checks skip zod on the hot path: each must accept exactly what its schema accepts.
const loose = fc.oneof(
  fc.integer({ min: -3, max: 5 }),
  fc.double(),
  fc.string({ maxLength: 3 }),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
)

test('isCocoImage accepts what cocoImageSchema accepts', () => {
  const image = fc.record(
    { id: loose, file_name: loose, width: loose, height: loose, license: loose },
    { requiredKeys: [] },
  )
  fc.assert(
    fc.property(fc.oneof(image, loose), (v) => {
      expect(isCocoImage(v)).toBe(cocoImageSchema.safeParse(v).success)
    }),
    { numRuns: 3000 },
  )
})

test('isCocoFile accepts what cocoFileSchema accepts', () => {
  const list = fc.oneof(loose, fc.array(loose, { maxLength: 2 }))
  const file = fc.record(
    { info: loose, licenses: list, images: list, annotations: list, categories: list },
    { requiredKeys: [] },
  )
  fc.assert(
    fc.property(fc.oneof(file, loose), (v) => {
      expect(isCocoFile(v)).toBe(cocoFileSchema.safeParse(v).success)
    }),
    { numRuns: 3000 },
  )
})

test('isDmV2File checks item ids as the schema does', () => {
  const id = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom('a-1', 'A_b9', '', 'x y', 'é', '1/2', '-', '_'),
  )
  fc.assert(
    fc.property(id, (itemId) => {
      const doc = { images: [{ polygon: [{ id: itemId, classification: 'c', data: [] }] }] }
      expect(isDmV2File(doc)).toBe(dmV2FileSchema.safeParse(doc).success)
    }),
    { numRuns: 2000 },
  )
})
