import { checkGeometry } from './checks'
import { type ReadOptions, readContext } from './convert'
import { wrapSystemError } from './errors'
import { normalizeFormat, readDataset } from './formats'
import { locateImage } from './images'
import { fileNameProblem } from './io/output-names'
import type { Dataset } from './model'
import { annotationPlace, type DatasetReport, imageKey, ReportBuilder } from './report'

export interface ValidateOptions extends Omit<ReadOptions, 'onError'> {
  /** Check that every image file exists (default true). */
  checkImages?: boolean | undefined
}

export interface ValidateResult {
  /** True when nothing was skipped and no referential problem was found. */
  ok: boolean
  report: DatasetReport
}

/** Warning codes `validateDataset` treats as problems (the others are informational). */
export const VALIDATION_PROBLEMS = new Set([
  'BOX_OUTSIDE_IMAGE',
  'ZERO_AREA_BOX',
  'NEGATIVE_SIZE_BOX',
  'SIZE_MISMATCH',
  'DUPLICATE_FILE_NAME',
  'DUPLICATE_ANNOTATION_ID',
  'UNKNOWN_CATEGORY',
  'UNSAFE_FILE_NAME',
])

/**
 * Checks a dataset against its format's schema (every file, every item: bad items are collected,
 * not fatal) and then its references: every annotation's image exists, category ids are defined,
 * boxes lie inside the image, file names are unique per split.
 */
export async function validateDataset(options: ValidateOptions): Promise<ValidateResult> {
  const format = normalizeFormat(options.from)
  const builder = new ReportBuilder(format)
  const ctx = readContext(options, builder, 'skip')
  const dataset = await readDataset(format, options.input, ctx).catch((error: unknown) => {
    throw wrapSystemError(error)
  })
  checkReferences(dataset, builder, options.checkImages ?? true)
  // The same rules a conversion applies; sizes matter where the format stores them.
  checkGeometry(dataset, builder, format !== 'dm_v1' && format !== 'dm_v2')
  const problems = builder.report.warnings.filter((w) => VALIDATION_PROBLEMS.has(w.code))
  const ok =
    builder.report.skipped.count === 0 &&
    problems.length === 0 &&
    builder.report.missingImages.count === 0
  return { ok, report: builder.report }
}

/** Referential checks on a dataset already read; findings go into the report as warnings. */
export function checkReferences(
  dataset: Dataset,
  report: ReportBuilder,
  checkImages: boolean,
): void {
  const categoryIds = new Set(dataset.categories.map((c) => c.id))
  const names = new Set<string>()
  for (const img of dataset.images) {
    const key = `${img.split}/${img.fileName}`
    if (names.has(key)) report.warn('DUPLICATE_FILE_NAME', 'two images share a file name', key)
    // The rule every conversion refuses with DATASET_PATH_ERROR, said here before one is tried.
    const unsafe = fileNameProblem(img.fileName)
    if (unsafe !== undefined) {
      report.warn('UNSAFE_FILE_NAME', `file name ${unsafe}: a conversion refuses it`, img.fileName)
    }
    names.add(key)
    if (checkImages && locateImage(dataset, img) === undefined) {
      report.missingImage(imageKey(img), img.fileName)
    }
    for (let i = 0; i < img.annotations.length; i++) {
      const ann = img.annotations[i]!
      if (!categoryIds.has(ann.categoryId)) {
        report.warn(
          'UNKNOWN_CATEGORY',
          `category ${ann.categoryId} is not defined`,
          annotationPlace(img.fileName, ann, i),
        )
      }
    }
  }
}
