import { join } from 'node:path'
import { stringify } from 'yaml'
import {
  type CapabilitySubject,
  type CapabilityTarget,
  capabilityTarget,
  reportLoss,
} from '../../capabilities'
import type { WriteContext } from '../../context'
import { clip01, ringsExtent } from '../../conventions'
import { fillImageSizes, transferImages } from '../../images'
import { areaIsImplied, isAxisAligned } from '../../implied'
import { ByteWriter, CLIP_SLACK } from '../../io/byte-writer'
import { stripExtension, WriteBatch } from '../../io/fs'
import { rleOutlines } from '../../mask-outline'
import type { Annotation, Dataset, ImageRecord, YoloTask } from '../../model'
import type { ReportBuilder } from '../../report'
import { rleBox } from '../../rle'
import { groupBySplit, yoloSplitKey } from '../../splits'
import { reportDatasetLosses } from '../dataset-losses'
import { writeYoloClassify } from './classify'

/** `kpt_shape` for a pose dataset: declared, else the largest keypoint list of any category. */
export function poseShape(dataset: Dataset): [number, number] {
  if (dataset.kptShape !== undefined) return dataset.kptShape
  let k = 0
  for (const c of dataset.categories) k = Math.max(k, c.keypoints?.length ?? 0)
  if (k === 0) {
    for (const img of dataset.images) {
      for (const a of img.annotations) k = Math.max(k, (a.keypoints?.length ?? 0) / 3)
    }
  }
  return [k, 3]
}

/**
 * Formats one annotation as YOLO label lines for `task`, counting what does not fit. Shared by
 * the in-memory writer and the streaming COCO → YOLO path. Writes bytes, not strings (see
 * {@link ByteWriter}).
 */
export class YoloLineFormatter {
  private readonly index: Map<number, number>
  private readonly task: YoloTask
  private readonly kpt: [number, number]
  private readonly crowd: 'skip' | 'keep'
  private readonly report: ReportBuilder
  private readonly target: CapabilityTarget
  private out: ByteWriter = new ByteWriter(16)
  private clipped = 0
  private sx = 1
  private sy = 1
  private file = ''
  private ann: Annotation | undefined

  /** `file#id` of the annotation being formatted, built only when a report entry wants it. */
  private readonly whereFn = (): string => {
    const id = this.ann?.id
    return id === undefined ? this.file : `${this.file}#${id}`
  }

  constructor(dataset: Dataset, ctx: Pick<WriteContext, 'task' | 'crowd' | 'report'>) {
    this.index = new Map(dataset.categories.map((c, i) => [c.id, i]))
    this.task = ctx.task
    this.kpt = ctx.task === 'pose' ? poseShape(dataset) : [0, 3]
    this.crowd = ctx.crowd
    this.report = ctx.report
    this.target = capabilityTarget('yolo', ctx.task)
  }

  /** Reports `subject` as the capability table says this task treats it. */
  private lose(subject: CapabilitySubject): void {
    reportLoss(this.report, this.target, subject, this.whereFn)
  }

  /**
   * Appends the lines of `ann` (each ending in a newline) to `out`; returns how many. What the
   * task cannot hold is reported from the capability table; what is decided here is only which
   * geometry each task writes.
   */
  format(ann: Annotation, W: number, H: number, file: string, out: ByteWriter): number {
    const report = this.report
    this.file = file
    this.ann = ann
    if (ann.imageClass) {
      this.lose('image class')
      return 0
    }
    const cls = this.index.get(ann.categoryId)
    if (cls === undefined) {
      report.loss('dropped', 'annotation', 'category not in the class list', this.whereFn)
      return 0
    }
    if (ann.iscrowd) {
      // A policy, not a capability: Ultralytics skips crowd regions, so does the default.
      if (this.crowd === 'skip') {
        report.loss(
          'dropped',
          'crowd region',
          'YOLO has no crowd flag; crowd regions are skipped (crowd: keep writes them as objects)',
          this.whereFn,
        )
        return 0
      }
      this.lose('iscrowd flag')
    }
    if (ann.polyline !== undefined) this.lose('polyline')
    if (ann.point !== undefined) this.lose('point')
    if (ann.keypoints !== undefined && this.task !== 'pose') this.lose('keypoints')
    this.out = out
    this.clipped = 0
    this.sx = 1 / W
    this.sy = 1 / H
    const written =
      this.task === 'segment'
        ? this.segmentLines(ann, cls)
        : this.task === 'obb'
          ? this.obbLine(ann, cls)
          : this.boxLine(ann, cls)
    if (written === 0) {
      if (boxOf(ann) === undefined && ann.polyline === undefined && ann.point === undefined)
        report.loss('dropped', 'annotation', 'no geometry', this.whereFn)
      return 0
    }
    if (this.clipped > 0)
      report.loss(
        'clipped',
        'annotation',
        'coordinates outside the image clipped to [0, 1]',
        this.whereFn,
      )
    if (ann.attrs !== undefined && ann.attrs.length > 0) this.lose('attributes')
    if (!areaIsImplied(this.readBack(ann))) this.lose('area')
    if (ann.extra !== undefined) this.lose('annotation metadata')
    return written
  }

  /**
   * The geometry the written line reads back as, with the stored area: YOLO keeps no area, so
   * it survives only where the geometry written implies it (a polygon written as its box
   * implies the box's area, not the polygon's).
   */
  private readBack(ann: Annotation): Annotation {
    if (this.task === 'segment') return ann
    const area = ann.area
    if (this.task === 'obb' && ann.obb !== undefined && !isAxisAligned(ann.obb)) {
      return { categoryId: ann.categoryId, obb: ann.obb, ...(area !== undefined && { area }) }
    }
    const bbox = boxOf(ann)
    return {
      categoryId: ann.categoryId,
      ...(bbox !== undefined && { bbox }),
      ...(area !== undefined && { area }),
    }
  }

  /** detect and pose: one box line (pose adds the keypoints). */
  private boxLine(ann: Annotation, cls: number): number {
    const b = boxOf(ann)
    if (b === undefined) return 0
    // A shape with a box of its own loses the shape (the box is written); one without is
    // written as its extent, an approximation.
    const own = ann.bbox !== undefined
    if (ann.polygons) this.lose(own ? 'polygon' : 'polygon without box')
    if (ann.rle) this.lose(own || ann.polygons ? 'RLE mask' : 'mask without box')
    if (ann.obb && !isAxisAligned(ann.obb)) this.lose('oriented box')
    const out = this.out
    out.int(cls)
    this.box(b)
    if (this.task === 'pose') this.keypoints(ann.keypoints ?? [])
    out.byte(10)
    return 1
  }

  /** ` x y [v]` per keypoint slot of `kpt_shape`. */
  private keypoints(kp: readonly number[]): void {
    const [k, d] = this.kpt
    const out = this.out
    if (kp.length / 3 > k) {
      this.report.loss(
        'dropped',
        'keypoint',
        `kpt_shape holds ${k} keypoints`,
        this.whereFn,
        kp.length / 3 - k,
      )
    }
    for (let i = 0; i < k; i++) {
      this.value((kp[i * 3] ?? 0) * this.sx)
      this.value((kp[i * 3 + 1] ?? 0) * this.sy)
      if (d === 3) {
        out.byte(32)
        out.int(kp[i * 3 + 2] ?? 0)
      }
    }
    if (d === 2 && kp.some((v, i) => i % 3 === 2 && v !== 2 && v !== 0)) {
      this.report.loss(
        'dropped',
        'keypoint visibility',
        'kpt_shape [k, 2] has no visibility',
        this.whereFn,
      )
    }
  }

  /** segment: one line per polygon ring, per mask part, or the OBB or box as a polygon. */
  private segmentLines(ann: Annotation, cls: number): number {
    if (ann.polygons) {
      if (ann.polygons.length > 1) this.lose('multi-ring polygon')
      for (const r of ann.polygons) this.line(cls, r)
      return ann.polygons.length
    }
    if (ann.obb) {
      // An angle-0 OBB is a box, written as a box is: a 4-point polygon.
      this.lose(isAxisAligned(ann.obb) ? 'box' : 'oriented box')
      this.line(cls, ann.obb)
      return 1
    }
    if (ann.rle) {
      // Traced along pixel edges: filling the rings gives back the same pixels.
      const { rings, holes } = rleOutlines(ann.rle)
      if (rings.length === 0) {
        this.report.loss('dropped', 'RLE mask', 'the mask has no pixels', this.whereFn)
        return 0
      }
      this.lose('RLE mask')
      if (holes > 0)
        this.report.loss(
          'approximated',
          'mask hole',
          'filled: YOLO polygons have no holes',
          this.whereFn,
          holes,
        )
      for (const r of rings) this.line(cls, r)
      return rings.length
    }
    const b = boxOf(ann)
    if (b === undefined) return 0
    this.lose('box')
    this.line(cls, boxCorners(b))
    return 1
  }

  /** obb: the OBB's corners, or the axis-aligned box of any other shape. */
  private obbLine(ann: Annotation, cls: number): number {
    if (ann.obb) {
      this.line(cls, ann.obb)
      return 1
    }
    const b = boxOf(ann)
    if (b === undefined) return 0
    if (ann.polygons) this.lose('polygon')
    if (ann.rle) this.lose('RLE mask')
    this.line(cls, boxCorners(b))
    return 1
  }

  /** ` v` for one normalised value, clipped into [0, 1] (and counted). */
  private value(n: number): void {
    let v = n
    if (v < 0) {
      if (v < -CLIP_SLACK) this.clipped++
      v = 0
    } else if (v > 1) {
      if (v > 1 + CLIP_SLACK) this.clipped++
      v = 1
    }
    this.out.fixed6(v, true)
  }

  private line(cls: number, ring: readonly number[]): void {
    this.clipped += this.out.polygonLine(cls, ring, this.sx, this.sy)
  }

  /** ` cx cy w h`; the edges are clipped, not the centre, so a box keeps its visible part. */
  private box(b: readonly [number, number, number, number]): void {
    const x0 = b[0] * this.sx
    const y0 = b[1] * this.sy
    const x1 = (b[0] + b[2]) * this.sx
    const y1 = (b[1] + b[3]) * this.sy
    if (x0 < -CLIP_SLACK || y0 < -CLIP_SLACK || x1 > 1 + CLIP_SLACK || y1 > 1 + CLIP_SLACK) {
      this.clipped++
    }
    const cx0 = clip01(x0)
    const cy0 = clip01(y0)
    const cx1 = clip01(x1)
    const cy1 = clip01(y1)
    const out = this.out
    out.fixed6((cx0 + cx1) / 2, true)
    out.fixed6((cy0 + cy1) / 2, true)
    out.fixed6(cx1 - cx0, true)
    out.fixed6(cy1 - cy0, true)
  }
}

function boxOf(ann: Annotation): [number, number, number, number] | undefined {
  return (
    ann.bbox ??
    (ann.polygons ? ringsExtent(ann.polygons) : undefined) ??
    (ann.rle ? rleBox(ann.rle) : undefined) ??
    (ann.obb ? ringsExtent([ann.obb]) : undefined) ??
    (ann.keypoints ? keypointExtent(ann.keypoints) : undefined)
  )
}

function boxCorners(b: readonly [number, number, number, number]): number[] {
  const [x, y, w, h] = b
  return [x, y, x + w, y, x + w, y + h, x, y + h]
}

function keypointExtent(kp: readonly number[]): [number, number, number, number] | undefined {
  const pts: number[] = []
  for (let i = 0; i + 2 < kp.length; i += 3) if (kp[i + 2]! > 0) pts.push(kp[i]!, kp[i + 1]!)
  return pts.length === 0 ? undefined : ringsExtent([pts])
}

/** `data.yaml` text for the dataset's splits, class list, task and side channels. */
export function dataYamlText(dataset: Dataset, splits: readonly string[], task: YoloTask): string {
  const byKey: Record<'train' | 'val' | 'test', string[]> = { train: [], val: [], test: [] }
  for (const s of splits) byKey[yoloSplitKey(s)].push(s === '' ? 'images' : `images/${s}`)
  if (byKey.train.length === 0) byKey.train = [...byKey.val, ...byKey.test]
  if (byKey.val.length === 0) byKey.val = byKey.train
  const one = (xs: string[]): string | string[] => (xs.length === 1 ? xs[0]! : xs)
  const doc: Record<string, unknown> = { train: one(byKey.train), val: one(byKey.val) }
  if (byKey.test.length > 0) doc['test'] = one(byKey.test)
  doc['nc'] = dataset.categories.length
  doc['names'] = new Map(dataset.categories.map((c, i) => [i, c.name]))
  const side: Record<string, unknown> = { task }
  side['category_ids'] = dataset.categories.map((c) => c.id)
  if (task === 'pose') {
    const shape = poseShape(dataset)
    doc['kpt_shape'] = shape
    const withKp = dataset.categories.find((c) => c.keypoints !== undefined)
    if (withKp?.keypoints !== undefined) side['keypoints'] = withKp.keypoints
    if (withKp?.skeleton !== undefined) side['skeleton'] = withKp.skeleton
  }
  doc['synapse'] = side
  return `# Written by @synapse/datasets. \`synapse\` keeps what YOLO has no place for (Ultralytics ignores it).\n${stringify(doc, { flow: false })}`
}

/** Where an image's label file goes: `labels/<split>/<path without extension>.txt`. */
export function labelPath(out: string, img: ImageRecord): string {
  const dir = img.split === '' ? join(out, 'labels') : join(out, 'labels', img.split)
  return join(dir, `${stripExtension(img.fileName)}.txt`)
}

/** Writes `data.yaml`, `labels/<split>/*.txt` (an empty file for an image with no objects) and images. */
export async function writeYolo(dataset: Dataset, out: string, ctx: WriteContext): Promise<void> {
  if (ctx.task === 'classify') return writeYoloClassify(dataset, out, ctx)
  await fillImageSizes(dataset, ctx.exif, ctx.report)
  const fmt = new YoloLineFormatter(dataset, ctx)
  const splits = groupBySplit(dataset.images)
  await ctx.files.write(join(out, 'data.yaml'), dataYamlText(dataset, [...splits.keys()], ctx.task))
  let done = 0
  const total = dataset.images.length
  let imagesWritten = 0
  const bytes = new ByteWriter()
  const batch = new WriteBatch(ctx.files)
  for (const images of splits.values()) {
    for (const img of images) {
      if ((done & 255) === 0) ctx.signal?.throwIfAborted()
      const text = labelText(img, fmt, ctx, bytes)
      // A conversion owns its dataset: let written annotations go, so the collector does not
      // keep tracing millions of polygon numbers while the rest is written.
      if (ctx.consume) img.annotations = []
      done++
      if (text === undefined) continue
      imagesWritten++
      await batch.add(labelPath(out, img), text)
      if ((done & 255) === 0) ctx.progress?.(done, total, 'write')
    }
  }
  await batch.flush()
  ctx.progress?.(total, total, 'write')
  ctx.report.report.written.images = imagesWritten
  await transferImages(
    dataset,
    (img) => join(out, 'images', img.split, img.fileName),
    ctx.images,
    ctx,
  )
}

function labelText(
  img: ImageRecord,
  fmt: YoloLineFormatter,
  ctx: WriteContext,
  out: ByteWriter,
): Buffer | undefined {
  const W = img.width
  const H = img.height
  if (W === undefined || H === undefined) {
    ctx.report.loss(
      'dropped',
      'image',
      'size unknown (no size in the source and no readable image)',
      img.fileName,
    )
    if (img.annotations.length > 0) {
      ctx.report.loss(
        'dropped',
        'annotation',
        'image size unknown',
        img.fileName,
        img.annotations.length,
      )
    }
    return undefined
  }
  for (const ann of img.annotations) {
    // Counted as the objects the labels hold (one per line), which is what reading them back
    // gives: a polygon with two rings is two YOLO objects, and the report says so.
    ctx.report.report.written.annotations += fmt.format(ann, W, H, img.fileName, out)
  }
  return out.take()
}

/** What YOLO cannot keep of the dataset as a whole: the streaming path's share of the table. */
export function reportCategoryLosses(
  dataset: Dataset,
  ctx: Pick<WriteContext, 'report' | 'task'>,
): void {
  reportDatasetLosses(dataset, ctx.report, capabilityTarget('yolo', ctx.task))
}
