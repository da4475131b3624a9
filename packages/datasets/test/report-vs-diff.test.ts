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
            fc.asyncProperty(arb, async (doc) => {
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
                tolerance: coordinateTolerance([
                  capabilityTarget(from),
                  capabilityTarget(to, task),
                ]),
              })
              expect(unexplainedChanges(changes, report), JSON.stringify(report.losses)).toEqual([])
              expect(unfoundedLosses(report, changes), JSON.stringify(changes)).toEqual([])
            }),
            runs,
          )
        })
      }
    }
  })
}
