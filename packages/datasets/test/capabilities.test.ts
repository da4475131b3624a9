import { expect, test } from 'vitest'
import {
  CAPABILITY_TARGETS,
  type CapabilitySubject,
  capability,
  lossKindOf,
  reportLoss,
} from '../src/capabilities'
import { ReportBuilder } from '../src/report'

const SUBJECTS: CapabilitySubject[] = [
  'coordinates',
  'box',
  'polygon',
  'polygon without box',
  'mask without box',
  'multi-ring polygon',
  'RLE mask',
  'iscrowd flag',
  'area',
  'keypoints',
  'keypoint names/skeleton',
  'oriented box',
  'polyline',
  'point',
  'DM relation/group',
  'image class',
  'attributes',
  'category id',
  'category',
  'class order',
  'supercategory',
  'image id',
  'info/licenses',
  'image metadata',
  'annotation metadata',
]

test('every lossy cell gives the reason a report prints', () => {
  for (const subject of SUBJECTS) {
    for (const target of CAPABILITY_TARGETS) {
      const cell = capability(target, subject)
      if (lossKindOf(cell.mark) !== undefined)
        expect(cell.reason, `${subject} → ${target}`).toBeTruthy()
    }
  }
})

test('a report says exactly what the cell says, and nothing for a kept one', () => {
  const report = new ReportBuilder('coco', 'yolo')
  reportLoss(report, 'yolo:segment', 'multi-ring polygon', 'a.png#1')
  reportLoss(report, 'yolo:segment', 'polygon', 'a.png#2')
  reportLoss(report, 'coco', 'image metadata', 'a.png')
  expect(report.report.losses).toEqual([
    {
      kind: 'approximated',
      subject: 'multi-ring polygon',
      count: 1,
      reason: capability('yolo:segment', 'multi-ring polygon').reason,
      examples: ['a.png#1'],
    },
    {
      kind: 'dropped',
      subject: 'image metadata',
      count: 1,
      reason: 'COCO keeps only its own image fields',
      examples: ['a.png'],
    },
  ])
  // Refining rows report under the subject they refine.
  reportLoss(report, 'yolo:detect', 'polygon without box', 'b.png#3')
  expect(report.report.losses.at(-1)).toMatchObject({ kind: 'approximated', subject: 'polygon' })
})
