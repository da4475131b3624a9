import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert, type DatasetReport } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

const losses = (report: DatasetReport) =>
  report.losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`)

function coco(root: string, doc: unknown): string {
  const input = join(root, 'in')
  writeText(join(input, 'annotations', 'instances_train.json'), JSON.stringify(doc))
  return input
}

test('COCO → DM v1 reports a category no annotation uses as dropped (v1 has no class list)', async () => {
  const root = tempDir()
  const input = coco(root, {
    images: [{ id: 1, file_name: 'a.png', width: 10, height: 10 }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2], area: 4 }],
    categories: [
      { id: 1, name: 'cat' },
      { id: 2, name: 'unused' },
    ],
  })
  const { report } = await convert({ from: 'coco', to: 'dm_v1', input, output: join(root, 'v1') })
  expect(report.losses).toContainEqual(
    expect.objectContaining({
      kind: 'dropped',
      subject: 'category',
      count: 1,
      examples: ['unused'],
    }),
  )
  // The claim is true: reading v1 back knows one class.
  const back = await convert({
    from: 'dm_v1',
    to: 'coco',
    input: join(root, 'v1'),
    output: join(root, 'c'),
  })
  expect(back.report.read.categories).toBe(1)
  // v2 carries the full list in every file: nothing to report.
  const v2 = await convert({ from: 'coco', to: 'dm_v2', input, output: join(root, 'v2') })
  expect(losses(v2.report)).not.toContain('dropped 1 × category')
})

test('a two-ring COCO polygon to YOLO segment: two objects written, and the count says so', async () => {
  const root = tempDir()
  const input = coco(root, {
    images: [{ id: 1, file_name: 'a.png', width: 100, height: 100 }],
    annotations: [
      {
        id: 7,
        image_id: 1,
        category_id: 1,
        bbox: [0, 0, 30, 30],
        area: 100,
        iscrowd: 0,
        segmentation: [
          [0, 0, 10, 0, 10, 10],
          [20, 20, 30, 20, 30, 30],
        ],
      },
    ],
    categories: [{ id: 1, name: 'cat' }],
  })
  writeText(join(input, 'images', 'train', 'a.png'), pngStub(100, 100))
  const output = join(root, 'y')
  const { report } = await convert({ from: 'coco', to: 'yolo', task: 'segment', input, output })
  const lines = readFileSync(join(output, 'labels', 'train', 'a.txt'), 'utf8')
    .trim()
    .split('\n')
  expect(lines).toHaveLength(2)
  expect(report.read.annotations).toBe(1)
  expect(report.written.annotations).toBe(lines.length)
  expect(losses(report)).toContain('approximated 1 × multi-ring polygon')
  const back = await convert({ from: 'yolo', to: 'coco', input: output, output: join(root, 'c') })
  expect(back.report.read.annotations).toBe(report.written.annotations)
})

test('DM v2 → YOLO detect: a polygon written as its box is approximated, not dropped', async () => {
  const root = tempDir()
  const input = join(root, 'dm')
  writeText(
    join(input, 'json', 'a.json'),
    JSON.stringify({
      classification: { polygon: ['cat'], bounding_box: ['cat'] },
      images: [
        {
          polygon: [
            {
              id: 'p1',
              classification: 'cat',
              attrs: [],
              data: [
                [1, 1],
                [9, 1],
                [9, 5],
              ],
            },
          ],
          bounding_box: [{ id: 'b1', classification: 'cat', attrs: [], data: [2, 2, 4, 4] }],
        },
      ],
    }),
  )
  writeText(join(input, 'original_files', 'a.png'), pngStub(10, 10))
  const output = join(root, 'y')
  const { report } = await convert({ from: 'dm_v2', to: 'yolo', task: 'detect', input, output })
  const lines = readFileSync(join(output, 'labels', 'a.txt'), 'utf8')
    .trim()
    .split('\n')
  // Two items in the file, two objects written: the polygon's box and the box.
  expect(lines).toHaveLength(2)
  expect(report.read.annotations).toBe(2)
  expect(report.written.annotations).toBe(2)
  expect(losses(report)).toEqual(['approximated 1 × polygon'])
  expect(report.losses[0]!.examples).toEqual(['a.png#p1'])
})
