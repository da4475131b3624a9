import fc from 'fast-check'
import { expect, test } from 'vitest'
import { JsonBytes, stringifyToBuffer } from '../src/io/json-writer'

const same = (v: unknown): void => {
  const want = JSON.stringify(v) as string | undefined
  expect(stringifyToBuffer(v).toString('utf8')).toBe(want ?? '')
  if (want !== undefined) expect(stringifyToBuffer(v).equals(Buffer.from(want, 'utf8'))).toBe(true)
}

/** Numbers as the converters make them: YOLO's 6 decimals × image sizes, pixels, areas, extremes. */
const numberArb = fc.oneof(
  fc.double(),
  fc.double({ min: -1e10, max: 1e10 }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e15, -1e15, 1e21, 1e-7, 1e-6, 999999999.999999, 2 ** 53, Number.NaN),
  fc
    .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 20_000 }))
    .map(([u, w]) => (u / 1e6) * w),
  fc
    .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 9 }))
    .map(([u, d]) => u / 10 ** d),
)

test('numbers print as JSON.stringify prints them', () => {
  fc.assert(
    fc.property(fc.array(numberArb, { maxLength: 50 }), (a) => {
      same(a)
      // The polygon fast path, with its fallback for numbers it does not print itself.
      const w = new JsonBytes()
      w.numbers(a)
      expect(w.bytes().toString('utf8')).toBe(JSON.stringify(a))
    }),
    { numRuns: 2000 },
  )
  for (const n of [0, 7, 10, 99, 100, 999, 1000, 1001, 99999, 100000, 999999, 1000000, 123456789]) {
    same([n, -n, n + 0.5, n + 0.000001, -(n + 0.25)])
  }
  for (let u = 0; u <= 1_000_000; u += 131) {
    for (const w of [1, 3, 640, 481, 1920, 4000]) {
      const x = (u / 1e6) * w
      expect(stringifyToBuffer(x).toString()).toBe(JSON.stringify(x))
    }
  }
})

test('any JSON-like value serializes to the bytes of JSON.stringify', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => same(v)),
    { numRuns: 1000 },
  )
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true }), (v) => same(v)),
    { numRuns: 1000 },
  )
})

test('strings, keys, undefined members and toJSON behave as in JSON.stringify', () => {
  same({ a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] })
  same({ 'k"ey': 'va\\lue\n', 사람: 'café', lone: '\ud800x', ctl: '\u0001\u007f' })
  same({
    d: new Date(0),
    e: { toJSON: (k: string) => `key:${k}` },
    f: [{ toJSON: () => undefined }],
  })
  same({ g: { toJSON: () => undefined }, h: 1 })
  same({ n: new Number(3), s: new String('x'), m: new Map([[1, 2]]) })
  same({ 2: 'two', 1: 'one', b: 'b', a: 'a' })
  same('x'.repeat(200_000))
  same({ big: Array.from({ length: 100_000 }, (_, i) => i * 0.125) })
  expect(() => stringifyToBuffer({ x: 1n })).toThrow(TypeError)
})
