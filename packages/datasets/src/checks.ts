import { ringsExtent } from './conventions'
import { DatasetError } from './errors'
import { maskBox } from './mask-box'
import type { Annotation, Dataset, DatasetFormat, ImageRecord } from './model'
import { annotationPlace, type ReportBuilder } from './report'

/*
 * The checks every conversion and `validateDataset` make the same way, in one place: an input
 * with no images, images whose size is unknown, boxes reaching outside their image. Each is
 * decided here once; writers only add what their own format does about it (the YOLO writer clips
 * and drops, and reports that as a loss).
 */

/**
 * An input with no images is an error for every format, not an empty output: it is almost always
 * the wrong folder or format. Items skipped as bad input and label files without images are
 * named, as they are why nothing is left.
 */
export function requireImages(
  dataset: Dataset,
  input: string,
  format: DatasetFormat,
  report: ReportBuilder,
): void {
  if (dataset.images.length > 0) return
  const r = report.report
  const why: string[] = []
  if (r.skipped.count > 0) why.push(`${r.skipped.count} bad items skipped`)
  if (r.missingImages.count > 0) why.push(`${r.missingImages.count} without their image file`)
  throw new DatasetError(
    'DATASET_LAYOUT_ERROR',
    `no images found reading it as ${format}${why.length > 0 ? ` (${why.join(', ')})` : ''}`,
    { file: input, details: { skipped: r.skipped.count, missingImages: r.missingImages.count } },
  )
}

/** The box an annotation covers, from whichever geometry it has (undefined for none). */
export function annotationBox(ann: Annotation): [number, number, number, number] | undefined {
  return (
    ann.bbox ??
    (ann.polygons ? ringsExtent(ann.polygons) : undefined) ??
    maskBox(ann) ??
    (ann.obb ? ringsExtent([ann.obb]) : undefined)
  )
}

const scratch: [number, number, number, number] = [0, 0, 0, 0]

/**
 * The box the checks judge: {@link annotationBox}, but a polygon's extent by plain comparisons
 * into a reused array. The exact-decimal widths `ringsExtent` computes are for writing; here
 * only the sign and the edges matter, and this runs over every polygon of every conversion.
 */
function checkedBox(ann: Annotation): readonly [number, number, number, number] | undefined {
  if (ann.bbox !== undefined || ann.polygons === undefined) return annotationBox(ann)
  let x0 = Number.POSITIVE_INFINITY
  let y0 = Number.POSITIVE_INFINITY
  let x1 = Number.NEGATIVE_INFINITY
  let y1 = Number.NEGATIVE_INFINITY
  for (const r of ann.polygons) {
    for (let k = 0; k + 1 < r.length; k += 2) {
      const x = r[k]!
      const y = r[k + 1]!
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  if (x0 > x1) return undefined
  scratch[0] = x0
  scratch[1] = y0
  scratch[2] = x1 - x0
  scratch[3] = y1 - y0
  return scratch
}

/**
 * Warns, with one code each: `SIZE_UNKNOWN` for an image with no size (when `sizes` says the
 * target or format stores one), `BOX_OUTSIDE_IMAGE`, `NEGATIVE_SIZE_BOX` and `ZERO_AREA_BOX`,
 * each example naming the annotation (`file#id`, or its position when it has no id).
 */
export function checkGeometry(dataset: Dataset, report: ReportBuilder, sizes: boolean): void {
  for (const img of dataset.images) {
    checkImageSize(img, report, sizes)
    const anns = img.annotations
    for (let i = 0; i < anns.length; i++) checkAnnotationBox(img, anns[i]!, i, report)
  }
}

/** `SIZE_UNKNOWN` for one image, when `sizes` says the target stores sizes. */
export function checkImageSize(img: ImageRecord, report: ReportBuilder, sizes: boolean): void {
  if (sizes && (img.width === undefined || img.height === undefined)) {
    report.warn(
      'SIZE_UNKNOWN',
      'image size unknown (not in the source, no readable image)',
      img.fileName,
    )
  }
}

/**
 * The box checks for one annotation (`index`: its position in the image, named when it has no
 * id). Also run annotation by annotation on the streamed COCO → YOLO path, which never holds a
 * dataset.
 */
export function checkAnnotationBox(
  img: ImageRecord,
  ann: Annotation,
  index: number,
  report: ReportBuilder,
): void {
  const box = checkedBox(ann)
  if (box === undefined) return
  const [x, y, w, h] = box
  if (w < 0 || h < 0) {
    report.warn(
      'NEGATIVE_SIZE_BOX',
      'box with negative width or height',
      annotationPlace(img.fileName, ann, index),
    )
  } else if (w === 0 || h === 0) {
    report.warn(
      'ZERO_AREA_BOX',
      'box with zero width or height',
      annotationPlace(img.fileName, ann, index),
    )
  }
  const W = img.width
  const H = img.height
  if (W !== undefined && H !== undefined && (x < 0 || y < 0 || x + w > W || y + h > H)) {
    report.warn(
      'BOX_OUTSIDE_IMAGE',
      'box reaches outside the image',
      annotationPlace(img.fileName, ann, index),
    )
  }
}
