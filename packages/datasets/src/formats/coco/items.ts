import type { ReadContext } from '../../context'
import { DatasetError } from '../../errors'
import { jsonPath } from '../../io/text-location'
import { parseWith } from '../../io/zod-error'
import type { Annotation, Category, Dataset, ImageRecord } from '../../model'
import type { ReportBuilder } from '../../report'
import { decodeRleCounts } from '../../rle'
import { isCocoAnnotation, isCocoImage } from './fast-validate'
import {
  type CocoAnnotation,
  cocoAnnotationSchema,
  cocoCategorySchema,
  cocoImageSchema,
} from './schema'

/*
 * One COCO item (category, image, annotation) into the hub model: the checks both the in-memory
 * reader and the streaming reader run, so the two cannot drift apart. Its own file, so that both
 * readers depend on it and not on each other.
 */

/** One COCO annotation file and the split it holds (`''` when there are no splits). */
export interface CocoSource {
  file: string
  split: string
}

const KNOWN_ANN_KEYS = new Set([
  'id',
  'image_id',
  'category_id',
  'bbox',
  'segmentation',
  'area',
  'iscrowd',
  'keypoints',
  'num_keypoints',
  'attributes',
])
const KNOWN_IMAGE_KEYS = new Set(['id', 'file_name', 'width', 'height'])

/**
 * Validates one COCO category and adds it, unless its id is known already (several split files
 * repeat the list); the same id under another name is an error. Shared with the streaming reader.
 */
export function addCocoCategory(
  item: unknown,
  file: string,
  path: (string | number)[],
  dataset: Dataset,
  categoryById: Map<number, Category>,
  report: ReportBuilder,
): void {
  const c = parseWith(cocoCategorySchema, item, file, path)
  const existing = categoryById.get(c.id)
  if (existing !== undefined) {
    if (existing.name !== c.name) {
      throw new DatasetError(
        'DATASET_SCHEMA_ERROR',
        `category id ${c.id} is '${existing.name}' elsewhere and '${c.name}' here`,
        { file, jsonPath: jsonPath(path) },
      )
    }
    return
  }
  const cat: Category = { id: c.id, name: c.name }
  if (c.supercategory !== undefined) cat.supercategory = c.supercategory
  if (c.keypoints !== undefined) cat.keypoints = c.keypoints
  if (c.skeleton !== undefined) {
    cat.skeleton = c.skeleton
    // COCO skeletons are 1-based; some tools write 0-based. Kept as written, but said.
    if (c.skeleton.some(([from, to]) => from === 0 || to === 0)) {
      report.warn(
        'SKELETON_ZERO_BASED',
        'skeleton uses vertex 0; COCO skeletons are 1-based',
        `${file} ${c.name}`,
      )
    }
  }
  categoryById.set(c.id, cat)
  dataset.categories.push(cat)
  report.report.read.categories++
}

/** Validates one COCO image and adds it; a repeated id is an error. Shared with the streaming reader. */
export function addCocoImage(
  item: unknown,
  source: CocoSource,
  path: (string | number)[],
  dataset: Dataset,
  imageById: Map<number, ImageRecord>,
  report: ReportBuilder,
): void {
  const file = source.file
  const raw = isCocoImage(item) ? item : parseWith(cocoImageSchema, item, file, path)
  if (imageById.has(raw.id)) {
    throw new DatasetError('DATASET_SCHEMA_ERROR', `duplicate image id ${raw.id}`, {
      file,
      jsonPath: jsonPath([...path, 'id']),
    })
  }
  const img: ImageRecord = {
    id: raw.id,
    fileName: raw.file_name.replaceAll('\\', '/'),
    split: source.split,
    annotations: [],
  }
  if (raw.width !== undefined && raw.width > 0) img.width = raw.width
  if (raw.height !== undefined && raw.height > 0) img.height = raw.height
  let extra: Record<string, unknown> | undefined
  for (const key of Object.keys(raw)) {
    if (!KNOWN_IMAGE_KEYS.has(key)) {
      extra ??= {}
      extra[key] = (raw as Record<string, unknown>)[key]
    }
  }
  if (extra !== undefined) img.extra = { format: 'coco', fields: extra }
  imageById.set(raw.id, img)
  dataset.images.push(img)
  report.report.read.images++
}

/** One element of `annotations` into its image's record, or its error into the sink. */
export function addCocoAnnotation(
  item: unknown,
  index: number,
  file: string,
  imageById: Map<number, ImageRecord>,
  categoryById: Map<number, Category>,
  seenIds: Set<number>,
  ctx: ReadContext,
): void {
  try {
    const path = ['annotations', index]
    const { raw, img } = resolveCocoAnnotation(item, file, path, imageById, categoryById)
    if (seenIds.has(raw.id)) {
      ctx.report.warn(
        'DUPLICATE_ANNOTATION_ID',
        'duplicate annotation id kept as a separate annotation',
        `${file}#${raw.id}`,
      )
    }
    seenIds.add(raw.id)
    img.annotations.push(cocoToAnnotation(raw, file, path))
    ctx.report.report.read.annotations++
  } catch (error) {
    ctx.errors.handle(error)
  }
}

/**
 * Validates one COCO annotation (the fast structural check first, zod for the error) and finds
 * its image; an unknown image or category id is an error. Shared with the streaming reader.
 */
export function resolveCocoAnnotation(
  item: unknown,
  file: string,
  path: (string | number)[],
  imageById: Map<number, ImageRecord>,
  categoryById: Map<number, Category>,
): { raw: CocoAnnotation; img: ImageRecord } {
  const raw = isCocoAnnotation(item) ? item : parseWith(cocoAnnotationSchema, item, file, path)
  const img = imageById.get(raw.image_id)
  if (img === undefined) {
    throw new DatasetError('DATASET_REFERENCE_ERROR', `unknown image_id ${raw.image_id}`, {
      file,
      jsonPath: jsonPath([...path, 'image_id']),
    })
  }
  if (!categoryById.has(raw.category_id)) {
    throw new DatasetError('DATASET_REFERENCE_ERROR', `unknown category_id ${raw.category_id}`, {
      file,
      jsonPath: jsonPath([...path, 'category_id']),
    })
  }
  return { raw, img }
}

/** One validated COCO annotation as a hub annotation; throws on inconsistent geometry. */
export function cocoToAnnotation(
  raw: CocoAnnotation,
  file: string,
  path: (string | number)[],
): Annotation {
  // Every field present from the start: one hidden class for all annotations keeps the writers'
  // property checks monomorphic.
  const ann: Annotation = {
    id: raw.id,
    categoryId: raw.category_id,
    bbox: undefined,
    polygons: undefined,
    rle: undefined,
    rleCompressed: undefined,
    keypoints: undefined,
    iscrowd: undefined,
    area: undefined,
    attrs: undefined,
    extra: undefined,
  }
  if (raw.bbox !== undefined) ann.bbox = raw.bbox
  const seg = raw.segmentation
  // Decide by the data's shape, not by `iscrowd` (tools emit RLE with iscrowd 0 and vice versa).
  if (Array.isArray(seg)) {
    for (let r = 0; r < seg.length; r++) {
      const ring = seg[r]!
      if (ring.length < 6 || ring.length % 2 !== 0) {
        throw new DatasetError(
          'DATASET_SCHEMA_ERROR',
          `polygon ring needs an even number of at least 6 values, has ${ring.length}`,
          { file, jsonPath: jsonPath([...path, 'segmentation', r]) },
        )
      }
    }
    if (seg.length > 0) ann.polygons = seg
  } else if (seg !== undefined) {
    const [h, w] = seg.size
    let counts: number[]
    if (typeof seg.counts === 'string') {
      try {
        counts = decodeRleCounts(seg.counts)
      } catch (cause) {
        throw new DatasetError(
          'DATASET_SCHEMA_ERROR',
          `invalid compressed RLE: ${(cause as Error).message}`,
          {
            file,
            jsonPath: jsonPath([...path, 'segmentation', 'counts']),
          },
        )
      }
      ann.rleCompressed = true
    } else {
      counts = seg.counts
    }
    let sum = 0
    for (const c of counts) sum += c
    if (sum !== h * w) {
      throw new DatasetError(
        'DATASET_SCHEMA_ERROR',
        `RLE counts sum to ${sum}, expected height × width = ${h * w}`,
        { file, jsonPath: jsonPath([...path, 'segmentation', 'counts']) },
      )
    }
    ann.rle = { size: [h, w], counts }
  }
  if (raw.iscrowd === 1 || raw.iscrowd === true) ann.iscrowd = true
  if (raw.area !== undefined) ann.area = raw.area
  if (raw.keypoints !== undefined && raw.keypoints.length > 0) {
    if (raw.keypoints.length % 3 !== 0) {
      throw new DatasetError('DATASET_SCHEMA_ERROR', 'keypoints length is not a multiple of 3', {
        file,
        jsonPath: jsonPath([...path, 'keypoints']),
      })
    }
    ann.keypoints = raw.keypoints
  }
  if (raw.attributes !== undefined) {
    ann.attrs = Object.entries(raw.attributes).map(([name, value]) => ({ name, value }))
  }
  let extra: Record<string, unknown> | undefined
  for (const key of Object.keys(raw)) {
    if (!KNOWN_ANN_KEYS.has(key)) {
      extra ??= {}
      extra[key] = (raw as Record<string, unknown>)[key]
    }
  }
  if (extra !== undefined) ann.extra = { format: 'coco', fields: extra }
  return ann
}
