import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/index'
import type { DatasetReport } from '../src/report'
import { unexplainedChanges } from '../src/verify'
import { pngStub, tempDir, writeText } from './helpers'

function cocoInput(root: string): string {
  const input = join(root, 'in')
  writeText(
    join(input, 'annotations', 'instances_train.json'),
    JSON.stringify({
      images: [{ id: 1, file_name: 'a.png', width: 100, height: 50 }],
      annotations: [
        {
          id: 3,
          image_id: 1,
          category_id: 4,
          bbox: [10, 10, 30, 20],
          area: 321,
          iscrowd: 0,
          segmentation: [[10, 10, 40, 10, 40, 30]],
        },
      ],
      categories: [{ id: 4, name: 'cat', supercategory: 'animal' }],
    }),
  )
  writeText(join(input, 'images', 'train', 'a.png'), pngStub(100, 50))
  return input
}

test('verify passes every target when the report accounts for each difference', async () => {
  for (const to of ['coco', 'yolo', 'voc', 'dm_v2', 'dm_v1'] as const) {
    const root = tempDir()
    const result = await convert({
      from: 'coco',
      to,
      input: cocoInput(root),
      output: join(root, 'o'),
      verify: true,
    })
    expect(result.verified, to).toBeDefined()
    if (to !== 'coco') expect(result.verified!.length, to).toBeGreaterThan(0)
    else expect(result.verified).toEqual([])
  }
})

test('a difference the report does not name fails verify', () => {
  const report = {
    losses: [{ kind: 'dropped', subject: 'supercategory', count: 1, reason: '', examples: [] }],
  }
  const changes = [
    { subject: 'supercategory', count: 1, examples: ['cat'] },
    { subject: 'polygon', count: 1, examples: ['a.png'] },
  ]
  expect(unexplainedChanges(changes, report as unknown as DatasetReport)).toEqual([changes[1]])
})

test('verify is refused where the whole dataset is never in memory', async () => {
  const root = tempDir()
  const output = join(root, 'o')
  await expect(
    convert({
      from: 'coco',
      to: 'yolo',
      input: cocoInput(root),
      output,
      verify: true,
      streaming: 'always',
    }),
  ).rejects.toMatchObject({ code: 'DATASET_OPTION_ERROR' })
  expect(existsSync(output)).toBe(false)
})
