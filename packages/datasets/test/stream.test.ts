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
