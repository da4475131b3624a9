import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readContext } from '../src/convert'
import { diffDatasets } from '../src/diff'
import {
  capabilityTarget,
  convert,
  coordinateTolerance,
  type DatasetFormat,
  readDataset,
  type YoloTask,
} from '../src/index'
import { ReportBuilder } from '../src/report'
import { unexplainedChanges, unfoundedLosses } from '../src/verify'
import { cocoArb, writeCoco } from './coco-arb'
import { tempDir } from './helpers'
import { richCocoArb } from './rich-coco-arb'

const FORMATS: DatasetFormat[] = ['coco', 'yolo', 'voc', 'dm_v2', 'dm_v1']

/** Every format (YOLO's task inferred from the data), and YOLO's box-only tasks. */
const ENDS: { format: DatasetFormat; task?: YoloTask }[] = [
  ...FORMATS.map((format) => ({ format })),
  { format: 'yolo', task: 'detect' },
  { format: 'yolo', task: 'obb' },
]

async function read(format: DatasetFormat, input: string) {
  const report = new ReportBuilder(format)
  return readDataset(format, input, readContext({ from: format, input }, report, 'fail'))
}

/**
 * Writes `doc` as COCO, makes the source format from it (what that step loses is not judged),
 * converts source → target, reads both back and holds the report to the differ.
 */
async function reportMatchesDiff(
  doc: Parameters<typeof writeCoco>[1],
  from: DatasetFormat,
  fromTask: YoloTask | undefined,
  to: DatasetFormat,
  task: YoloTask | undefined,
): Promise<void> {
  const dir = tempDir()
  writeCoco(join(dir, 'coco'), doc)
  // The source is made from the generated COCO; what that step loses is not judged.
  const source = from === 'coco' ? join(dir, 'coco') : join(dir, 'source')
  if (from !== 'coco') {
    await convert({
      from: 'coco',
      to: from,
      input: join(dir, 'coco'),
      output: source,
      crowd: 'keep',
      task: fromTask,
    })
  }
  const before = await read(from, source)
  const { report } = await convert({
    from,
    to,
    input: source,
    output: join(dir, 'out'),
    task,
  })
  const after = await read(to, join(dir, 'out'))
  const changes = diffDatasets(before, after, {
    tolerance: coordinateTolerance([capabilityTarget(from), capabilityTarget(to, task)]),
  })
  expect(unexplainedChanges(changes, report), JSON.stringify(report.losses)).toEqual([])
  expect(unfoundedLosses(report, changes), JSON.stringify(changes)).toEqual([])
}

// Modest by default to keep the suite fast; RUNS=40 makes a deeper local run.
const runs = { numRuns: Number(process.env['RUNS'] ?? 6) }

for (const [name, arb] of [
  ['generated COCO', cocoArb],
  ['generated COCO with metadata, attributes and keypoints', richCocoArb],
] as const) {
  describe(`every source × target (${name}): the report names every change, and only changes`, () => {
    for (const { format: from, task: fromTask } of ENDS) {
      for (const { format: to, task } of ENDS) {
        const name = (f: string, t?: string) => (t === undefined ? f : `${f} ${t}`)
        test(`${name(from, fromTask)} → ${name(to, task)}`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (doc) => reportMatchesDiff(doc, from, fromTask, to, task)),
            runs,
          )
        })
      }
    }
  })
}

// Counterexamples the property tests found, kept so they stay fixed whatever the seed.
describe('found by the property tests', () => {
  const image = { id: 1, file_name: 'img_0.png', width: 640, height: 480 }
  test('YOLO → DM v1: ids kept by first appearance are not reported renumbered', async () => {
    await reportMatchesDiff(
      {
        images: [image],
        annotations: [
          {
            id: 107,
            image_id: 1,
            category_id: 1,
            bbox: [0, 0, 1, 1],
            area: 1,
            iscrowd: 0,
            segmentation: [],
          },
          {
            id: 114,
            image_id: 1,
            category_id: 2,
            bbox: [0, 0, 1, 1],
            area: 1,
            iscrowd: 0,
            segmentation: [],
          },
        ],
        categories: [
          { id: 2, name: 'dog', supercategory: 'thing' },
          { id: 1, name: 'café', supercategory: 'thing' },
        ],
      },
      'yolo',
      undefined,
      'dm_v1',
      undefined,
    )
  })

  test('COCO → YOLO obb: an area the written box implies is not reported dropped', async () => {
    await reportMatchesDiff(
      {
        images: [image],
        annotations: [
          {
            id: 107,
            image_id: 1,
            category_id: 1,
            bbox: [0, 0, 1, 1],
            area: 1,
            iscrowd: 0,
            segmentation: [
              [0, 0, 1, 0, 0, 1],
              [0, 0, 0, 0, 0, 1],
            ],
          },
        ],
        categories: [{ id: 1, name: 'x"y', supercategory: 'thing' }],
      },
      'coco',
      undefined,
      'yolo',
      'obb',
    )
  })
})
