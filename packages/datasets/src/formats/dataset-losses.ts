import type { Dataset } from '../model'
import type { ReportBuilder } from '../report'

/**
 * What a format with a plain class list and file-named images (YOLO, VOC, DM) cannot keep of a
 * dataset as a whole: supercategories, `info`/`licenses`, and image ids other than 1..N in order.
 */
export function reportDatasetLosses(dataset: Dataset, report: ReportBuilder, format: string): void {
  const withSuper = dataset.categories.filter(
    (c) => c.supercategory !== undefined && c.supercategory !== '',
  )
  if (withSuper.length > 0) {
    report.loss(
      'dropped',
      'supercategory',
      `${format} classes have no supercategory`,
      undefined,
      withSuper.length,
    )
  }
  if (dataset.info !== undefined || (dataset.licenses?.length ?? 0) > 0) {
    report.loss('dropped', 'info/licenses', `${format} has no dataset metadata`)
  }
  if (!dataset.images.every((img, i) => img.id === i + 1)) {
    report.loss(
      'renumbered',
      'image id',
      `${format} identifies images by file name; ids are reassigned in file order`,
    )
  }
}
