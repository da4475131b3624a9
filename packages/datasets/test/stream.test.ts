import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { convert } from '../src/convert'
import { convertCocoToYoloStreaming } from '../src/formats/coco/stream'
import { ReportBuilder } from '../src/report'
import { tempDir, writeText } from './helpers'

test('streaming with a tiny buffer (many flushes, appends) and shuffled annotations writes what the in-memory path writes', async () => {
  const dir = tempDir()
  const images = Array.from({ length: 6 }, (_, i) => ({
    id: 10 + i,
    file_name: `i${i}.jpg`,
    width: 64 + i,
    height: 48,
  }))
  const annotations: Record<string, unknown>[] = []
  for (let k = 0; k < 40; k++) {
    const img = images[(k * 7) % images.length]!
    const x = (k * 3) % 50
    annotations.push({
      id: 1000 + k,
      image_id: img.id,
      category_id: k % 3 === 0 ? 5 : 9,
      bbox: [x, 2, 10, 10],
      area: 100,
      iscrowd: 0,
      segmentation: [[x, 2, x + 10, 2, x + 10, 12, x, 12]],
    })
  }
  const file = writeText(
    join(dir, 'instances_train.json'),
    JSON.stringify({
      images,
      annotations,
      categories: [
        { id: 9, name: 'b' },
        { id: 5, name: 'a' },
      ],
    }),
  )
  await convert({
    from: 'coco',
    to: 'yolo',
    input: file,
    output: join(dir, 'mem'),
    task: 'segment',
    images: 'none',
  })
  const report = new ReportBuilder('coco', 'yolo')
  await convertCocoToYoloStreaming({
    input: file,
    out: join(dir, 'str'),
    task: 'segment',
    crowd: 'skip',
    report,
    onError: 'fail',
    bufferLimit: 64,
  })
  const labels = readdirSync(join(dir, 'mem', 'labels')).sort()
  expect(labels).toHaveLength(6)
  expect(readdirSync(join(dir, 'str', 'labels')).sort()).toEqual(labels)
  for (const f of labels) {
    const mem = readFileSync(join(dir, 'mem', 'labels', f), 'utf8')
      .split('\n')
      .sort()
    const str = readFileSync(join(dir, 'str', 'labels', f), 'utf8')
      .split('\n')
      .sort()
    expect(str).toEqual(mem)
  }
  expect(report.report.written.annotations).toBe(40)
})

/** A small COCO file with every kind of field, its keys in the order given. */
function cocoDoc(order: string[]): Record<string, unknown> {
  const parts: Record<string, unknown> = {
    info: { description: 'streamed', year: 2026 },
    licenses: [{ id: 1, name: 'CC-BY' }],
    images: [
      { id: 3, file_name: 'a.jpg', width: 64, height: 48, license: 1 },
      { id: 7, file_name: 'b.jpg', width: 32, height: 32 },
    ],
    annotations: [
      {
        id: 11,
        image_id: 3,
        category_id: 5,
        bbox: [1.5, 2, 10, 10],
        area: 100,
        iscrowd: 0,
        segmentation: [[1.5, 2, 11.5, 2, 11.5, 12]],
      },
      {
        id: 12,
        image_id: 7,
        category_id: 9,
        bbox: [0, 0, 2, 3],
        area: 5,
        iscrowd: 1,
        segmentation: { size: [32, 32], counts: [0, 3, 29, 3, 989] },
      },
      {
        id: 13,
        image_id: 3,
        category_id: 9,
        bbox: [20, 20, 5, 5],
        area: 25,
        iscrowd: 0,
        segmentation: [],
      },
    ],
    categories: [
      { id: 9, name: 'b', supercategory: 's' },
      { id: 5, name: 'a' },
    ],
  }
  return Object.fromEntries(order.map((k) => [k, parts[k]]))
}

function filesOf(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`
      if (e.isDirectory()) walk(join(dir, e.name), r)
      else out[r] = readFileSync(join(dir, e.name), 'utf8')
    }
  }
  walk(root, '')
  return out
}

test('a streamed COCO file converts to every other target as the in-memory read does, in any key order', async () => {
  for (const order of [
    ['info', 'licenses', 'images', 'annotations', 'categories'],
    ['annotations', 'categories', 'info', 'images', 'licenses'],
  ]) {
    const dir = tempDir()
    const file = writeText(join(dir, 'instances_val.json'), JSON.stringify(cocoDoc(order)))
    for (const to of ['coco', 'voc', 'dm_v2', 'dm_v1'] as const) {
      const run = (streaming: 'never' | 'always') =>
        convert({
          from: 'coco',
          to,
          input: file,
          output: join(dir, `${to}-${streaming}`),
          images: 'none',
          streaming,
        })
      const mem = await run('never')
      const str = await run('always')
      expect(filesOf(join(dir, `${to}-always`))).toEqual(filesOf(join(dir, `${to}-never`)))
      expect(str.report.read).toEqual(mem.report.read)
      expect(str.report.losses).toEqual(mem.report.losses)
    }
  }
})

test('streamed reads report bad elements where they are and go on under skip', async () => {
  const dir = tempDir()
  const doc = cocoDoc(['images', 'categories', 'annotations'])
  const text = JSON.stringify(doc).replace('"image_id":7', '"image_id":70')
  const file = writeText(join(dir, 'instances.json'), text)
  const r = await convert({
    from: 'coco',
    to: 'coco',
    input: file,
    output: join(dir, 'out'),
    images: 'none',
    streaming: 'always',
    onError: 'skip',
  })
  expect(r.report.skipped.count).toBe(1)
  expect(r.report.skipped.errors[0]).toMatchObject({ code: 'DATASET_REFERENCE_ERROR' })
  expect(r.report.read.annotations).toBe(2)
  const failed = await convert({
    from: 'coco',
    to: 'coco',
    input: file,
    output: join(dir, 'out2'),
    images: 'none',
    streaming: 'always',
  }).catch((e: unknown) => e)
  expect(failed).toMatchObject({
    code: 'DATASET_REFERENCE_ERROR',
    jsonPath: '$.annotations[1].image_id',
  })
})
