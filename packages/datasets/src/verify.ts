import type { DatasetChange } from './diff'
import type { DatasetReport } from './report'

/**
 * Which report subjects account for a difference in each subject the differ names. One loss
 * shows in several places: a polygon written as its box changes the box and the polygon lists,
 * a crowd region skipped takes its mask, flag and area along.
 */
export const EXPLAINED_BY: Readonly<Record<string, readonly string[]>> = {
  box: [
    'box',
    'polygon',
    'multi-ring polygon',
    'RLE mask',
    'oriented box',
    'crowd region',
    'annotation',
    'internal attr',
    'point',
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
    'point',
  ],
  keypoints: ['keypoints', 'keypoint', 'keypoint visibility', 'internal attr', 'point'],
  'oriented box': ['oriented box'],
  polyline: ['polyline'],
  point: ['point', 'keypoints'],
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
  image: ['image', 'image file name'],
  annotation: ['annotation', 'crowd region'],
}

/** The differences no entry of the report accounts for: what `--verify` fails on. */
export function unexplainedChanges(
  changes: readonly DatasetChange[],
  report: DatasetReport,
): DatasetChange[] {
  const said = new Set(report.losses.map((l) => l.subject))
  return changes.filter((c) => !(EXPLAINED_BY[c.subject] ?? [c.subject]).some((s) => said.has(s)))
}

/**
 * Report entries no difference backs (a loss claimed but not seen). Subjects the differ cannot
 * see (side channels, annotation ids) are not judged.
 */
export function unfoundedLosses(
  report: DatasetReport,
  changes: readonly DatasetChange[],
): string[] {
  const seen = new Set(changes.map((c) => c.subject))
  return report.losses
    .filter((l) => {
      const effects = Object.entries(EXPLAINED_BY)
        .filter(([, by]) => by.includes(l.subject))
        .map(([subject]) => subject)
      return effects.length > 0 && !effects.some((s) => seen.has(s))
    })
    .map((l) => `${l.kind} ${l.count} × ${l.subject}`)
}
