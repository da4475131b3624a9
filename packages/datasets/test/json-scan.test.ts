import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { DatasetError } from '../src/errors'
import { scanJsonTopLevel } from '../src/io/json-scan'
import { tempDir } from './helpers'

/** What the scanner should hand over: wanted arrays element by element, other wanted values whole. */
function expected(doc: Record<string, unknown>, want: Set<string>): [string, number, unknown][] {
  const out: [string, number, unknown][] = []
  for (const [k, v] of Object.entries(doc)) {
    if (!want.has(k)) continue
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        out.push([k, i, e])
      })
    } else out.push([k, -1, v])
  }
  return out
}

test('elements come out whole whatever the chunk size (escapes, nesting, unicode across boundaries)', async () => {
  const dir = tempDir()
  const key = fc.constantFrom('images', 'annotations', 'categories', 'info', 'x"y', '키', 'a\\b')
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        key,
        fc.oneof(
          fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
      ),
      fc.integer({ min: 1, max: 64 }),
      fc.boolean(),
      async (doc, chunk, pretty) => {
        const file = join(dir, 'doc.json')
        writeFileSync(file, JSON.stringify(doc, null, pretty ? 2 : 0))
        const want = new Set(['images', 'annotations', 'info', '키', 'x"y'])
        const got: [string, number, unknown][] = []
        const keys = await scanJsonTopLevel(
          file,
          (k) => want.has(k),
          (k, i, text) => got.push([k, i, JSON.parse(text)]),
          undefined,
          undefined,
          chunk,
        )
        expect(keys).toEqual(Object.keys(doc))
        // Compare with what JSON itself gives back (-0 is written as 0).
        expect(got).toEqual(expected(JSON.parse(JSON.stringify(doc)), want))
      },
    ),
    { numRuns: 300 },
  )
})

test('a truncated file is a located parse error', async () => {
  const dir = tempDir()
  const file = join(dir, 't.json')
  writeFileSync(file, '{"images": [{"id": 1}, {"id": 2')
  const error = await scanJsonTopLevel(
    file,
    () => true,
    () => {},
  ).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(DatasetError)
  expect((error as DatasetError).message).toMatch(/truncated/)
})
