import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  boxToVoc,
  decimalAdd,
  decimalMul,
  formatFixed6,
  ringsArea,
  ringsExtent,
  vocToBox,
} from './conventions'

describe('formatFixed6', () => {
  test('rounds exact binary ties to even, as Python %.6f', () => {
    // toFixed rounds these up; Python (and synapse-sdk output) rounds to even.
    expect((5 / 640).toFixed(6)).toBe('0.007813')
    expect(formatFixed6(5 / 640)).toBe('0.007812')
    expect(formatFixed6(25 / 640)).toBe('0.039062')
    expect(formatFixed6(15 / 640)).toBe('0.023438') // 0.0234375: tie, 7 is odd → up
    expect(formatFixed6(0.0000005)).toBe((0.0000005).toFixed(6)) // not an exact tie in binary
  })

  test('edges: 0, 1, a box touching the border, values past 1', () => {
    expect(formatFixed6(0)).toBe('0.000000')
    expect(formatFixed6(-0)).toBe('0.000000')
    expect(formatFixed6(1)).toBe('1.000000')
    expect(formatFixed6(640 / 640)).toBe('1.000000')
    expect(formatFixed6(0.9999995)).toBe((0.9999995).toFixed(6))
    expect(formatFixed6(0.99999999)).toBe('1.000000')
    expect(formatFixed6(12.5)).toBe('12.500000')
    expect(formatFixed6(-5 / 640)).toBe('-0.007812')
  })

  test('agrees with toFixed everywhere except exact ties', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4, noNaN: true }), (v) => {
        const tie = Number.isInteger(v * 128) && (v * 128 * 15625) % 2 === 1
        if (!tie) expect(formatFixed6(v)).toBe(v.toFixed(6))
      }),
      { numRuns: 20000 },
    )
  })

  test('every integer pixel position of common widths matches the half-even rule', () => {
    for (const w of [640, 1280, 1920, 4000, 6000, 512, 1024]) {
      for (let x = 0; x <= w; x++) {
        const v = x / w
        const out = formatFixed6(v)
        const units = v * 1e6
        const floor = Math.floor(units)
        // On a tie the last digit is even.
        if (units - floor === 0.5 && Number.isInteger(v * 128))
          expect(Number(out.slice(-1)) % 2).toBe(0)
        expect(Math.abs(Number(out) - v)).toBeLessThanOrEqual(0.5e-6 + 1e-12)
      }
    }
  })
})

describe('VOC origin', () => {
  test('origin 0: no offset', () => {
    expect(vocToBox(0, 0, 10, 20, 0)).toEqual([0, 0, 10, 20])
    expect(boxToVoc([0, 0, 10, 20], 0)).toEqual([0, 0, 10, 20])
  })
  test('origin 1: the devkit convention, inclusive max', () => {
    // Pixels 1..10 inclusive are the continuous span [0, 10].
    expect(vocToBox(1, 1, 10, 20, 1)).toEqual([0, 0, 10, 20])
    expect(boxToVoc([0, 0, 10, 20], 1)).toEqual([1, 1, 10, 20])
  })
  test('float coordinates survive both ways', () => {
    const box = vocToBox(48.5, 45.70000076293945, 100.25, 200, 1)
    expect(boxToVoc(box, 1)).toEqual([48.5, 45.70000076293945, 100.25, 200])
  })
  test('zero-area box stays zero-area', () => {
    expect(vocToBox(5, 5, 5, 5, 0)).toEqual([5, 5, 0, 0])
  })
  test('widths and corners of decimal coordinates are exact decimals', () => {
    expect(334.13 - 302.53).not.toBe(31.6)
    expect(0.3 - 0.1).not.toBe(0.2)
    expect(vocToBox(302.53, 0.1, 334.13, 0.3, 0)).toEqual([302.53, 0.1, 31.6, 0.2])
    expect(vocToBox(302.53, 1.1, 334.13, 1.3, 1)).toEqual([301.53, 0.1, 32.6, 1.2])
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(boxToVoc([302.53, 0.1, 31.6, 0.2], 0)).toEqual([302.53, 0.1, 334.13, 0.3])
    expect(boxToVoc([301.53, 0.1, 32.6, 1.2], 1)).toEqual([302.53, 1.1, 334.13, 1.3])
  })
  test('box areas are exact decimal products', () => {
    expect(31.6 * 101.72).not.toBe(3214.352)
    expect(decimalMul(31.6, 101.72)).toBe(3214.352)
    expect(decimalMul(1.1, 1.1)).toBe(1.21)
    expect(decimalMul(0.1, 0.2)).toBe(0.02)
    expect(decimalMul(640, 480)).toBe(307200)
    expect(decimalMul(-1.5, 0.25)).toBe(-0.375)
    // Beyond 6 decimals, or digits past 2^53: the float product.
    expect(decimalMul(0.1234567, 3)).toBe(0.1234567 * 3)
    expect(decimalMul(123456.123456, 654321.654321)).toBe(123456.123456 * 654321.654321)
    expect(decimalMul(Number.NaN, 2)).toBeNaN()
  })
  test('numbers with more than 6 decimals keep float arithmetic', () => {
    expect(decimalAdd(45.70000076293945, -1)).toBe(45.70000076293945 - 1)
    expect(decimalAdd(0.1234567, 0.2)).toBe(0.1234567 + 0.2)
    expect(decimalAdd(0.1, 0.2)).toBe(0.3)
    expect(decimalAdd(1e300, 1)).toBe(1e300)
    expect(decimalAdd(-0.000001, 0.000003)).toBe(0.000002)
  })
  test('random 6-decimal boxes go through VOC and back unchanged', () => {
    let seed = 7
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    for (let i = 0; i < 20000; i++) {
      const d = [0, 1, 2, 6][i % 4]!
      const f = (v: number): number => Math.round(v * 10 ** d) / 10 ** d
      const box: [number, number, number, number] = [
        f(rnd() * 4000),
        f(rnd() * 4000),
        f(rnd() * 900),
        f(rnd() * 900),
      ]
      for (const origin of [0, 1] as const) {
        expect(vocToBox(...boxToVoc(box, origin), origin)).toEqual(box)
      }
    }
  })
})

test('ring extent and area', () => {
  expect(ringsExtent([[0, 0, 4, 0, 4, 3]])).toEqual([0, 0, 4, 3])
  expect(ringsArea([[0, 0, 4, 0, 4, 3, 0, 3]])).toBe(12)
  expect(ringsExtent([])).toEqual([0, 0, 0, 0])
  // Extents are exact decimal differences (0.3 − 0.1 is 0.19999999999999998 in floats).
  expect(ringsExtent([[0.1, 0.1, 0.3, 0.1, 0.3, 0.7]])).toEqual([0.1, 0.1, 0.2, 0.6])
})
