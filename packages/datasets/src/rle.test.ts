import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  decodeRleCounts,
  encodeRleCounts,
  pixelIndicesToRle,
  rleArea,
  rleBox,
  rleToPixelIndices,
} from './rle'

test('compressed RLE round-trips any counts, including large ones', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 34 }), { maxLength: 40 }), (counts) => {
      expect(decodeRleCounts(encodeRleCounts(counts))).toEqual(counts)
    }),
    { numRuns: 2000 },
  )
})

test('known encodings: small counts are one character each', () => {
  // Counts below 16 need one 5-bit group: char = count + 48.
  expect(encodeRleCounts([0, 1, 2])).toBe('012')
  expect(decodeRleCounts('012')).toEqual([0, 1, 2])
  // From the fourth count on, the difference to the count two places back is encoded.
  expect(decodeRleCounts(encodeRleCounts([5, 3, 5, 3]))).toEqual([5, 3, 5, 3])
})

test('malformed strings throw', () => {
  expect(() => decodeRleCounts('0\u0001')).toThrow()
  expect(() => decodeRleCounts('P')).toThrow(/ends inside/)
})

test('area, box and pixel indices of a column-major mask', () => {
  // 4 rows × 3 columns; foreground: column 1 rows 1..2.
  const rle = { size: [4, 3] as [number, number], counts: [5, 2, 5] }
  expect(rleArea(rle)).toBe(2)
  expect(rleBox(rle)).toEqual([1, 1, 1, 2])
  expect(rleToPixelIndices(rle)).toEqual([1 * 3 + 1, 2 * 3 + 1])
  expect(pixelIndicesToRle(rleToPixelIndices(rle), 4, 3)).toEqual(rle)
})

test('pixel indices ↔ RLE round trip', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
      (h, w, bits) => {
        const idx: number[] = []
        for (let i = 0; i < h * w; i++) if (bits[i]) idx.push(i)
        const rle = pixelIndicesToRle(idx, h, w)
        expect(rle.counts.reduce((a, b) => a + b, 0)).toBe(h * w)
        expect(rleToPixelIndices(rle)).toEqual(idx)
        expect(rleArea(rle)).toBe(idx.length)
      },
    ),
    { numRuns: 300 },
  )
})
