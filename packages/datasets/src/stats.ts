import { type ReadOptions, readContext } from './convert'
import { wrapSystemError } from './errors'
import { normalizeFormat, readDataset } from './formats'
import { hasMask } from './mask-box'
import type { Annotation } from './model'
import { type DatasetReport, ReportBuilder } from './report'

/** Annotation kinds counted by {@link datasetStats}. An annotation can count under several. */
export type AnnotationKind =
  | 'bbox'
  | 'polygon'
  | 'rle'
  | 'keypoints'
  | 'obb'
  | 'polyline'
  | 'point'
  | 'crowd'
  | 'imageClass'

export interface ClassStats {
  id: number
  name: string
  annotations: number
  images: number
  bySplit: Record<string, number>
}

export interface SplitStats {
  images: number
  annotations: number
  /** Images with no annotation. */
  background: number
}

export interface DatasetStats {
  images: number
  annotations: number
  categories: number
  splits: Record<string, SplitStats>
  classes: ClassStats[]
  kinds: Record<AnnotationKind, number>
}

/** Counts images, annotations per class and kind, per split. Bad items are skipped and reported. */
export async function datasetStats(
  options: Omit<ReadOptions, 'onError'> & { onError?: ReadOptions['onError'] },
): Promise<{ stats: DatasetStats; report: DatasetReport }> {
  const format = normalizeFormat(options.from)
  const builder = new ReportBuilder(format)
  const dataset = await readDataset(
    format,
    options.input,
    readContext(options, builder, options.onError ?? 'skip'),
  ).catch((error: unknown) => {
    throw wrapSystemError(error)
  })
  const kinds: Record<AnnotationKind, number> = {
    bbox: 0,
    polygon: 0,
    rle: 0,
    keypoints: 0,
    obb: 0,
    polyline: 0,
    point: 0,
    crowd: 0,
    imageClass: 0,
  }
  const classes = new Map<number, ClassStats>()
  for (const c of dataset.categories)
    classes.set(c.id, { id: c.id, name: c.name, annotations: 0, images: 0, bySplit: {} })
  const splits: Record<string, SplitStats> = {}
  let annotations = 0
  for (const img of dataset.images) {
    splits[img.split] ??= { images: 0, annotations: 0, background: 0 }
    const s = splits[img.split]!
    s.images++
    s.annotations += img.annotations.length
    if (img.annotations.length === 0) s.background++
    annotations += img.annotations.length
    const inImage = new Set<number>()
    for (const a of img.annotations) {
      countKinds(a, kinds)
      const c = classes.get(a.categoryId)
      if (c === undefined) continue
      c.annotations++
      c.bySplit[img.split] = (c.bySplit[img.split] ?? 0) + 1
      inImage.add(a.categoryId)
    }
    for (const id of inImage) classes.get(id)!.images++
  }
  return {
    stats: {
      images: dataset.images.length,
      annotations,
      categories: dataset.categories.length,
      splits,
      classes: [...classes.values()],
      kinds,
    },
    report: builder.report,
  }
}

function countKinds(a: Annotation, kinds: Record<AnnotationKind, number>): void {
  if (a.bbox !== undefined) kinds.bbox++
  if (a.polygons !== undefined) kinds.polygon++
  if (hasMask(a)) kinds.rle++
  if (a.keypoints !== undefined) kinds.keypoints++
  if (a.obb !== undefined) kinds.obb++
  if (a.polyline !== undefined) kinds.polyline++
  if (a.point !== undefined) kinds.point++
  if (a.iscrowd) kinds.crowd++
  if (a.imageClass) kinds.imageClass++
}

/** Stats as text for a terminal: totals, per split, per kind, then one line per class. */
export function formatDatasetStats(stats: DatasetStats): string {
  const lines = [
    `${stats.images} images, ${stats.annotations} annotations, ${stats.categories} categories`,
  ]
  for (const [split, s] of Object.entries(stats.splits)) {
    lines.push(
      `  split ${split === '' ? '(none)' : split}: ${s.images} images (${s.background} without annotations), ${s.annotations} annotations`,
    )
  }
  const kinds = Object.entries(stats.kinds)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
  if (kinds.length > 0) lines.push(`kinds: ${kinds.join(', ')}`)
  lines.push('classes:')
  const width = Math.max(4, ...stats.classes.map((c) => c.name.length))
  for (const c of stats.classes) {
    lines.push(
      `  ${String(c.id).padStart(4)}  ${c.name.padEnd(width)}  ${String(c.annotations).padStart(7)} annotations in ${c.images} images`,
    )
  }
  return lines.join('\n')
}
