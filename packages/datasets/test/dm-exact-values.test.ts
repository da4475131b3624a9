import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/index'
import { tempDir, writeText } from './helpers'

/** A DM v1 file with one rotated box and one segmentation, written with few decimals. */
const V1 = {
  annotations: {
    image_1: [
      { id: 'box1', tool: 'bounding_box', classification: { class: 'car' } },
      { id: 'seg1', tool: 'segmentation', classification: { class: 'road' } },
    ],
  },
  annotationsData: {
    image_1: [
      { id: 'box1', coordinate: { x: 242, y: 225, width: 88.5, height: 41.25, rotation: 0.5693 } },
      { id: 'seg1', pixel_indices: [0, 1, 2, 641, 642] },
    ],
  },
  extra: {},
  relations: {},
  annotationGroups: {},
}

type V2Item = { id: string; attrs: { name: string; value: unknown }[]; data: unknown }

test('DM v1 → v2 moves a rotated box and a segmentation digit for digit, with no image present', async () => {
  const root = tempDir()
  writeText(join(root, 'in', 'json', 'a.json'), JSON.stringify(V1))
  const output = join(root, 'v2')
  const { report } = await convert({ from: 'dm_v1', to: 'dm_v2', input: join(root, 'in'), output })
  const text = readFileSync(join(output, 'json', 'a.json'), 'utf8')
  expect(text).not.toMatch(/\d\.\d*0000000\d|\d\.\d*9999999\d/)
  const v2 = JSON.parse(text) as { images: Record<string, V2Item[]>[] }
  const box = v2.images[0]!['bounding_box']![0]!
  expect(box.data).toEqual([242, 225, 88.5, 41.25])
  expect(box.attrs[0]).toEqual({ name: 'rotation', value: 0.5693 })
  expect(v2.images[0]!['segmentation']![0]!.data).toEqual([0, 1, 2, 641, 642])
  // The only thing said is true: no image to transfer. Nothing was lost.
  expect(report.losses.filter((l) => l.subject !== 'image file name')).toEqual([])
  // And back to v1: the same coordinates.
  const back = join(root, 'v1')
  await convert({ from: 'dm_v2', to: 'dm_v1', input: output, output: back })
  const v1 = JSON.parse(readFileSync(join(back, 'json', 'a.json'), 'utf8')) as typeof V1
  expect(v1.annotationsData.image_1).toEqual(
    expect.arrayContaining([
      { id: 'box1', coordinate: { x: 242, y: 225, width: 88.5, height: 41.25, rotation: 0.5693 } },
      { id: 'seg1', pixel_indices: [0, 1, 2, 641, 642] },
    ]),
  )
})

test('DM segmentation with no image size to COCO: dropped and reported, not an error', async () => {
  const root = tempDir()
  writeText(join(root, 'in', 'json', 'a.json'), JSON.stringify(V1))
  const { report } = await convert({
    from: 'dm_v1',
    to: 'coco',
    input: join(root, 'in'),
    output: join(root, 'c'),
  })
  expect(report.losses).toContainEqual(
    expect.objectContaining({ kind: 'dropped', subject: 'annotation', examples: ['a.jpg#seg1'] }),
  )
  expect(report.written.annotations).toBe(1)
})
