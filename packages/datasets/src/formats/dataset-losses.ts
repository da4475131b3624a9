import { type CapabilityTarget, capability, reportLoss } from '../capabilities'
import type { Dataset, DatasetFormat } from '../model'
import type { ReportBuilder } from '../report'

/** The format whose own image and annotation fields a target keeps (`extra` of that format). */
function ownFormat(target: CapabilityTarget): DatasetFormat | undefined {
  return target === 'coco' || target === 'voc' ? target : undefined
}

/**
 * What a target cannot keep of the dataset as a whole and of its images (class list, ids,
 * metadata, DM links), computed from what the dataset holds against the capability table: every
 * writer reports these the same way, through this one function, before it writes.
 */
export function reportDatasetLosses(
  dataset: Dataset,
  report: ReportBuilder,
  target: CapabilityTarget,
): void {
  // Classes the target loses whole (DM v1 keeps no unused class) are reported once, as such,
  // not again for their ids, supercategories or keypoint schemas.
  const lost = new Set<number>()
  if (capability(target, 'category').mark !== '✓') {
    const used = new Set<number>()
    for (const img of dataset.images) for (const a of img.annotations) used.add(a.categoryId)
    for (const c of dataset.categories) {
      if (used.has(c.id)) continue
      lost.add(c.id)
      reportLoss(report, target, 'category', c.name)
    }
  }
  const cats = dataset.categories.filter((c) => !lost.has(c.id))
  const withSuper = cats.filter((c) => c.supercategory !== undefined && c.supercategory !== '')
  reportLoss(report, target, 'supercategory', undefined, withSuper.length)
  if (dataset.info !== undefined || (dataset.licenses?.length ?? 0) > 0) {
    reportLoss(report, target, 'info/licenses')
  }
  if (!dataset.images.every((img, i) => img.id === i + 1)) reportLoss(report, target, 'image id')
  // Ids become list positions 1..N; a target that numbers classes by first appearance instead
  // (DM v1) has its writer report them, from the order it writes.
  if (capability(target, 'class order').mark === '✓') {
    const moved = cats.filter((c, i) => c.id !== i + 1).length
    reportLoss(report, target, 'category id', undefined, moved)
  }
  const withKp = cats.filter((c) => c.keypoints !== undefined || c.skeleton !== undefined)
  reportLoss(report, target, 'keypoint names/skeleton', undefined, withKp.length)
  const own = ownFormat(target)
  for (const img of dataset.images) {
    if (img.extra !== undefined && img.extra.format !== own) {
      reportLoss(report, target, 'image metadata', img.fileName)
    }
    const links = img.links?.length ?? 0
    if (links > 0) reportLoss(report, target, 'DM relation/group', img.fileName, links)
  }
}
