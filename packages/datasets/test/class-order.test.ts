import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

// '\u{1F600}' sorts after '\uFF21' by code point (Python), before it by UTF-16 unit (JS sort).
const NAMES = ['zebra', 'mango', 'apple', '\u{1F600}', '\uFF21']
const USED = ['zebra', 'apple', '\u{1F600}', '\uFF21']

function dmInput(root: string): string {
  const input = join(root, 'dm')
  writeText(
    join(input, 'json', 'a.json'),
    JSON.stringify({
      classification: { bounding_box: NAMES },
      images: [
        {
          bounding_box: USED.map((c, i) => ({
            id: `b${i}`,
            classification: c,
            attrs: [],
            data: [i, i, 2, 2],
          })),
        },
      ],
    }),
  )
  writeText(join(input, 'original_files', 'a.png'), pngStub(10, 10))
  return input
}

const namesOf = (yaml: string) => [...yaml.matchAll(/^ {2}\d+: (.*)$/gm)].map((m) => m[1])

test('DM → YOLO keeps the source class list by default', async () => {
  const root = tempDir()
  const output = join(root, 'y')
  const { report } = await convert({ from: 'dm_v2', to: 'yolo', input: dmInput(root), output })
  expect(namesOf(readFileSync(join(output, 'data.yaml'), 'utf8'))).toEqual(NAMES)
  expect(report.losses.find((l) => l.subject === 'category')).toBeUndefined()
})

test("classOrder sorted gives synapse-sdk's ids: used names by code point, unused reported", async () => {
  const root = tempDir()
  const output = join(root, 'y')
  const { report } = await convert({
    from: 'dm_v2',
    to: 'yolo',
    input: dmInput(root),
    output,
    classOrder: 'sorted',
  })
  const yaml = readFileSync(join(output, 'data.yaml'), 'utf8')
  const order = ['apple', 'zebra', '\uFF21', '\u{1F600}']
  expect(yaml.indexOf('apple')).toBeLessThan(yaml.indexOf('zebra'))
  expect(yaml.indexOf('zebra')).toBeLessThan(yaml.indexOf('\uFF21'))
  expect(yaml.indexOf('\uFF21')).toBeLessThan(yaml.indexOf('\u{1F600}'))
  expect(yaml).not.toContain('mango')
  // Each box's class id is its name's place in the sorted list.
  const lines = readFileSync(join(output, 'labels', 'a.txt'), 'utf8')
    .trim()
    .split('\n')
  expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual(USED.map((n) => order.indexOf(n)))
  expect(report.losses).toContainEqual(
    expect.objectContaining({ kind: 'dropped', subject: 'category', examples: ['mango'] }),
  )
})

test('classOrder sorted with an explicit classes list is an option error', async () => {
  const root = tempDir()
  await expect(
    convert({
      from: 'dm_v2',
      to: 'yolo',
      input: dmInput(root),
      output: join(root, 'y'),
      classOrder: 'sorted',
      classes: ['apple'],
    }),
  ).rejects.toMatchObject({ code: 'DATASET_OPTION_ERROR' })
})
