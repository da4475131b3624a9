import fc from 'fast-check'
import { expect, test } from 'vitest'
import { formatFixed6 } from '../conventions'
import { ByteWriter, CLIP_SLACK } from './byte-writer'

test('polygon lines and fixed6 bytes are exactly formatFixed6 (ties to even included), values clipped into [0, 1]', () => {
  const w = new ByteWriter(8)
  const value = fc.oneof(
    fc.double({ min: -0.5, max: 1.5, noNaN: true }),
    fc.integer({ min: 0, max: 6000 }).map((x) => x / 640),
    fc.integer({ min: 0, max: 64000 }).map((x) => x / 100 / 640),
    fc.constantFrom(-1e-6, -5e-7, 1 + 5e-7, 1 + 1e-6, -2e-6, 1 + 2e-6),
  )
  fc.assert(
    fc.property(fc.array(value, { minLength: 2, maxLength: 40 }), fc.nat(99), (vals, cls) => {
      const ring = vals.length % 2 === 0 ? vals : vals.slice(1)
      const clipped = w.polygonLine(cls, ring, 1, 1)
      const text = w.take().toString('latin1')
      const clip = (v: number) => (v >= 0 && v <= 1 ? v : v > 1 ? 1 : 0)
      // -0 passes the range check and is written as 0.000000, as formatFixed6 writes it.
      expect(text).toBe(`${cls}${ring.map((v) => ` ${formatFixed6(clip(v))}`).join('')}\n`)
      // Counted only past one printed unit: closer values print the same clipped or not.
      expect(clipped).toBe(ring.filter((v) => !(v >= -CLIP_SLACK && v <= 1 + CLIP_SLACK)).length)
      for (const v of ring) {
        w.fixed6(v)
        expect(w.take().toString('latin1')).toBe(formatFixed6(v))
      }
    }),
    { numRuns: 2000 },
  )
})
