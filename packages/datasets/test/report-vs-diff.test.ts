import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readContext } from '../src/convert'
import { type DatasetChange, diffDatasets } from '../src/diff'
import {
  convert,
  type DatasetFormat,
  type DatasetReport,
  readDataset,
  YOLO_TOLERANCE,
} from '../src/index'
import { ReportBuilder } from '../src/report'
import { cocoArb, writeCoco } from './coco-arb'
import { tempDir } from './helpers'

const FORMATS: DatasetFormat[] = ['coco', 'yolo', 'voc', 'dm_v2', 'dm_v1']

/**
 * Which report subjects can explain a difference in each subject. A polygon written as its box
 * changes the box and the polygon lists; a crowd region skipped removes its mask, flag and area.
 */
const EXPLAINED_BY: Record<string, string[]> = {
  box: [
    'box',
    'polygon',
    'multi-ring polygon',
    'RLE mask',
    'oriented box',
    'crowd region',
    'annotation',
    'internal attr',
  ],
  polygon: [
    'polygon',
    'multi-ring polygon',
    'box',
    'oriented box',
    'RLE mask',
    'crowd region',
    'internal attr',
  ],
  'RLE mask': ['RLE mask', 'crowd region', 'mask hole'],
  'iscrowd flag': ['iscrowd flag', 'crowd region', 'internal attr'],
  area: [
    'area',
    'crowd region',
    'internal attr',
    'multi-ring polygon',
    'polygon',
    'RLE mask',
    'box',
    'oriented box',
    'annotation',
  ],
  keypoints: ['keypoints', 'keypoint', 'keypoint visibility', 'internal attr'],
  'oriented box': ['oriented box'],
  polyline: ['polyline'],
  point: ['point'],
  attributes: ['attributes', 'attribute value'],
  'annotation metadata': ['annotation metadata'],
  'image class': ['image class'],
  'category id': ['category id'],
  category: ['category'],
  supercategory: ['supercategory'],
  'keypoint names/skeleton': ['keypoint names/skeleton'],
  'info/licenses': ['info/licenses'],
  'image id': ['image id'],
  'image metadata': ['image metadata'],
  'DM relation/group': ['DM relation/group'],
  image: ['image'],
  annotation: ['annotation', 'crowd region'],
}

/** Every difference the differ found is named by the report. */
function unexplained(changes: DatasetChange[], report: DatasetReport): DatasetChange[] {
  const said = new Set(report.losses.map((l) => l.subject))
  return changes.filter((c) => !(EXPLAINED_BY[c.subject] ?? [c.subject]).some((s) => said.has(s)))
}

/** Report entries that no difference backs: a loss said but not seen. */
function unfounded(report: DatasetReport, changes: DatasetChange[]): string[] {
  const seen = new Set(changes.map((c) => c.subject))
  return report.losses
    .filter((l) => {
      const effects = Object.entries(EXPLAINED_BY)
        .filter(([, by]) => by.includes(l.subject))
        .map(([subject]) => subject)
      // Subjects the differ cannot see (internal side channels, ids of annotations) are not judged.
      return effects.length > 0 && !effects.some((s) => seen.has(s))
    })
    .map((l) => `${l.kind} ${l.count} × ${l.subject}`)
}

async function read(format: DatasetFormat, input: string) {
  const report = new ReportBuilder(format)
  return readDataset(format, input, readContext({ from: format, input }, report, 'fail'))
}

// Modest by default to keep the suite fast; RUNS=40 makes a deeper local run.
const runs = { numRuns: Number(process.env['RUNS'] ?? 6) }

describe('every source × target: the report names every change, and only changes', () => {
  for (const from of FORMATS) {
    for (const to of FORMATS) {
      test(`${from} → ${to}`, async () => {
        await fc.assert(
          fc.asyncProperty(cocoArb, async (doc) => {
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
              })
            }
            const before = await read(from, source)
            const { report } = await convert({ from, to, input: source, output: join(dir, 'out') })
            const after = await read(to, join(dir, 'out'))
            const yolo = from === 'yolo' || to === 'yolo'
            const changes = diffDatasets(before, after, {
              tolerance: (side) => (yolo ? YOLO_TOLERANCE * side : 0) + 1e-9,
            })
            expect(unexplained(changes, report), JSON.stringify(report.losses)).toEqual([])
            expect(unfounded(report, changes), JSON.stringify(changes)).toEqual([])
          }),
          runs,
        )
      })
    }
  }
})
