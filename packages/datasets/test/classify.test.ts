import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert, datasetStats } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

function classifySet(): string {
  const root = tempDir()
  writeText(join(root, 'train', 'dog', 'd1.png'), pngStub(8, 8))
  writeText(join(root, 'train', 'cat', 'c1.png'), pngStub(8, 8))
  writeText(join(root, 'train', 'cat', 'c2.png'), pngStub(8, 8))
  writeText(join(root, 'val', 'dog', 'd2.png'), pngStub(8, 8))
  return root
}

test('classification folders are read (class order = sorted folder names) and written back alike', async () => {
  const root = classifySet()
  const { stats } = await datasetStats({ from: 'yolo', input: root })
  expect(stats.classes.map((c) => [c.name, c.annotations])).toEqual([
    ['cat', 2],
    ['dog', 2],
  ])
  expect(stats.kinds.imageClass).toBe(4)
  const out = join(tempDir(), 'cls')
  const r = await convert({ from: 'yolo', to: 'yolo', input: root, output: out })
  expect(r.task).toBe('classify')
  expect(r.report.losses).toEqual([])
  expect(readdirSync(join(out, 'train', 'cat')).sort()).toEqual(['c1.png', 'c2.png'])
  expect(existsSync(join(out, 'val', 'dog', 'd2.png'))).toBe(true)
})

test('image-level classes have no place in COCO and objects have none in classification folders: both reported', async () => {
  const root = classifySet()
  const dir = tempDir()
  const toCoco = await convert({ from: 'yolo', to: 'coco', input: root, output: join(dir, 'coco') })
  expect(toCoco.report.losses.map((l) => [l.subject, l.count])).toEqual([['image class', 4]])
  const coco = {
    images: [{ id: 1, file_name: 'a.png', width: 8, height: 8 }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0 }],
    categories: [{ id: 1, name: 'x' }],
  }
  writeText(join(dir, 'c', 'annotations', 'instances.json'), JSON.stringify(coco))
  writeText(join(dir, 'c', 'images', 'a.png'), pngStub(8, 8))
  const toCls = await convert({
    from: 'coco',
    to: 'yolo',
    task: 'classify',
    input: join(dir, 'c'),
    output: join(dir, 'cls'),
  })
  expect(toCls.report.losses.map((l) => [l.subject, l.count])).toEqual([
    ['object annotation', 1],
    ['image', 1],
  ])
})
