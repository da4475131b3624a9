import { capabilityTarget } from './capabilities'
import { checkGeometry, requireImages } from './checks'
import type { ReadContext, WriteContext } from './context'
import { DatasetError } from './errors'
import { readCoco } from './formats/coco/reader'
import { writeCoco } from './formats/coco/writer'
import { reportDatasetLosses } from './formats/dataset-losses'
import { readDm } from './formats/dm/reader'
import { writeDm } from './formats/dm/writer'
import { readVoc } from './formats/voc/reader'
import { writeVoc } from './formats/voc/writer'
import { readYolo } from './formats/yolo/reader'
import { writeYolo } from './formats/yolo/writer'
import { fillImageSizes } from './images'
import { checkOutputNames } from './io/output-names'
import type { Annotation, Dataset, DatasetFormat } from './model'
import { annotationPlace } from './report'

/** Format names accepted on input: the five formats plus the aliases people type. */
export type DatasetFormatName = DatasetFormat | 'pascal' | 'pascal_voc' | 'dm' | 'dm-v1' | 'dm-v2'

export const DATASET_FORMATS: readonly DatasetFormat[] = ['coco', 'yolo', 'voc', 'dm_v1', 'dm_v2']

/** `pascal` → `voc`, `dm`/`dm-v2` → `dm_v2`, `dm-v1` → `dm_v1`; anything else is an option error. */
export function normalizeFormat(name: string): DatasetFormat {
  const n = name.toLowerCase().replace('-', '_')
  if (n === 'pascal' || n === 'pascal_voc') return 'voc'
  if (n === 'dm') return 'dm_v2'
  if ((DATASET_FORMATS as readonly string[]).includes(n)) return n as DatasetFormat
  throw new DatasetError(
    'DATASET_OPTION_ERROR',
    `unknown format '${name}' (one of ${DATASET_FORMATS.join(', ')}, pascal, dm)`,
  )
}

/** Reads a dataset of any format into the hub model. DM readers accept v1 and v2 files alike. */
export async function readDataset(
  format: DatasetFormat,
  input: string,
  ctx: ReadContext,
): Promise<Dataset> {
  const dataset = await readUnchecked(format, input, ctx)
  requireImages(dataset, input, format, ctx.report)
  return dataset
}

function readUnchecked(format: DatasetFormat, input: string, ctx: ReadContext): Promise<Dataset> {
  switch (format) {
    case 'coco':
      return readCoco(input, ctx)
    case 'yolo':
      return readYolo(input, ctx)
    case 'voc':
      return readVoc(input, ctx)
    case 'dm_v1':
    case 'dm_v2':
      return readDm(input, ctx)
  }
}

/**
 * DM segmentations read without their image size are pixel indices with no grid: only DM can
 * hold them as they are. Every other target gets no such annotation, and the report says so.
 */
function dropSizelessMasks(dataset: Dataset, ctx: WriteContext): void {
  for (const img of dataset.images) {
    if (!hasPixelIndices(img.annotations)) continue
    img.annotations = img.annotations.filter((a, i) => {
      if (a.pixelIndices === undefined) return true
      ctx.report.loss(
        'dropped',
        'annotation',
        'a DM segmentation needs its image size to become a mask (no image, no _size attr)',
        annotationPlace(img.fileName, a, i),
      )
      return false
    })
  }
}

// A plain loop: this runs over every annotation of every conversion out of DM and not.
function hasPixelIndices(anns: readonly Annotation[]): boolean {
  for (let i = 0; i < anns.length; i++) if (anns[i]!.pixelIndices !== undefined) return true
  return false
}

/** Whether a target stores (COCO, VOC) or needs (YOLO boxes) each image's size. */
function targetKeepsSizes(format: DatasetFormat, ctx: WriteContext): boolean {
  if (format === 'yolo') return ctx.task !== 'classify'
  return format === 'coco' || format === 'voc'
}

/** Writes the hub model in `format` into the (temporary) folder `out`. */
export async function writeDataset(
  format: DatasetFormat,
  dataset: Dataset,
  out: string,
  ctx: WriteContext,
): Promise<void> {
  // Before any writer creates anything: a refused name leaves no file at all.
  checkOutputNames(dataset)
  if (format !== 'dm_v1' && format !== 'dm_v2') dropSizelessMasks(dataset, ctx)
  const sizes = targetKeepsSizes(format, ctx)
  if (sizes) await fillImageSizes(dataset, ctx.exif, ctx.report, ctx.signal)
  checkGeometry(dataset, ctx.report, sizes)
  if (format !== 'yolo' || ctx.task !== 'classify') {
    reportDatasetLosses(dataset, ctx.report, capabilityTarget(format, ctx.task))
  }
  switch (format) {
    case 'coco':
      return writeCoco(dataset, out, ctx)
    case 'yolo':
      return writeYolo(dataset, out, ctx)
    case 'voc':
      return writeVoc(dataset, out, ctx)
    case 'dm_v1':
      return writeDm(dataset, out, ctx, 'v1')
    case 'dm_v2':
      return writeDm(dataset, out, ctx, 'v2')
  }
}
