import { join } from 'node:path'
import { reportLoss } from '../../capabilities'
import type { WriteContext } from '../../context'
import { decimalMul, ringsArea, ringsExtent } from '../../conventions'
import { fillImageSizes, transferImages } from '../../images'
import { isAxisAligned } from '../../implied'
import { JsonBytes } from '../../io/json-writer'
import type { Annotation, Dataset, ImageRecord } from '../../model'
import { encodeRleCounts, rleArea, rleBox } from '../../rle'
import { groupBySplit } from '../../splits'

/** File name of a split's annotation file, as COCO names them. */
export function cocoFileName(split: string): string {
  return split === '' ? 'instances.json' : `instances_${split}.json`
}

/**
 * Writes `annotations/instances_<split>.json` per split (images under `images/<split>/`). Category
 * and annotation ids are kept; only ids COCO cannot hold (strings, duplicates) are reassigned.
 */
export async function writeCoco(dataset: Dataset, out: string, ctx: WriteContext): Promise<void> {
  await fillImageSizes(dataset, ctx.exif, ctx.report)
  const categories = dataset.categories.map((c) => {
    const o: Record<string, unknown> = { id: c.id, name: c.name }
    if (c.supercategory !== undefined) o['supercategory'] = c.supercategory
    if (c.keypoints !== undefined) o['keypoints'] = c.keypoints
    if (c.skeleton !== undefined) o['skeleton'] = c.skeleton
    return o
  })
  const splits = groupBySplit(dataset.images)
  if (splits.size === 0) splits.set('', [])
  let done = 0
  for (const [split, images] of splits) {
    ctx.signal?.throwIfAborted()
    const usedIds = new Set<number>()
    for (const img of images) {
      for (const a of img.annotations) if (typeof a.id === 'number') usedIds.add(a.id)
    }
    let nextId = 1
    const seen = new Set<number>()
    // Without given ids (YOLO, VOC) fresh ids are simply 1..N, with no set to consult.
    const noIds = usedIds.size === 0
    const freshId = (): number => {
      if (noIds) return nextId++
      while (usedIds.has(nextId)) nextId++
      usedIds.add(nextId)
      return nextId
    }
    // Images and annotations go straight into the file's bytes, each into its own buffer, and
    // are spliced together in document order at the end.
    const imgs = new JsonBytes()
    const anns = new JsonBytes()
    let annCount = 0
    for (let i = 0; i < images.length; i++) {
      const img = images[i]!
      imgs.byte(i === 0 ? 0x5b : 0x2c)
      writeImage(imgs, img)
      for (const ann of img.annotations) {
        let id: number
        if (typeof ann.id === 'number' && !seen.has(ann.id)) id = ann.id
        else if (ann.id === undefined) id = freshId()
        else {
          id = freshId()
          ctx.report.loss(
            'renumbered',
            'annotation id',
            typeof ann.id === 'string' ? 'COCO ids are integers' : 'duplicate id',
            `${img.fileName}#${String(ann.id)}`,
          )
        }
        // Fresh ids never meet a given one (all given ids are in usedIds): only given ids can repeat.
        if (!noIds) seen.add(id)
        if (annCount > 0) anns.byte(0x2c)
        if (isPlain(ann, img)) writePlainAnnotation(anns, ann, img, id)
        else {
          const a = annotationToCoco(ann, img, id, ctx)
          if (a === undefined) {
            if (annCount > 0) anns.pos--
            continue
          }
          anns.value(a, annCount)
        }
        annCount++
        ctx.report.report.written.annotations++
      }
      done++
      ctx.progress?.(done, dataset.images.length, 'write')
    }
    // The bytes of JSON.stringify({ info?, licenses?, images, annotations, categories }).
    const w = new JsonBytes()
    w.byte(0x7b)
    let first = true
    if (dataset.info !== undefined && w.member('info', dataset.info, first)) first = false
    if (dataset.licenses !== undefined && w.member('licenses', dataset.licenses, first))
      first = false
    if (!first) w.byte(0x2c)
    w.ascii('"images":')
    if (images.length === 0) w.byte(0x5b)
    w.raw(imgs.bytes())
    w.ascii('],"annotations":[')
    const tail = new JsonBytes()
    tail.byte(0x5d)
    tail.member('categories', categories, false)
    tail.byte(0x7d)
    // Three parts, one file: the annotations (most of the bytes) are not copied again.
    await ctx.files.write(join(out, 'annotations', cocoFileName(split)), [
      w.bytes(),
      anns.bytes(),
      tail.bytes(),
    ])
  }
  ctx.report.report.written.images = dataset.images.length
  await transferImages(
    dataset,
    (img) => join(out, 'images', img.split, img.fileName),
    ctx.images,
    ctx,
  )
}

/**
 * One element of `images`, as JSON.stringify writes `{ id, file_name, width?, height?, ...coco
 * fields }`: the usual image (no fields of its own) directly, the others through the generic
 * writer.
 */
export function writeImage(w: JsonBytes, img: ImageRecord): void {
  if (img.extra?.format !== 'coco' && typeof img.id === 'number') {
    w.ascii('{"id":')
    w.number(img.id)
    w.ascii(',"file_name":')
    w.string(img.fileName)
    if (img.width !== undefined) {
      w.ascii(',"width":')
      w.number(img.width)
    }
    if (img.height !== undefined) {
      w.ascii(',"height":')
      w.number(img.height)
    }
    w.byte(0x7d)
    return
  }
  const o: Record<string, unknown> = { id: img.id, file_name: img.fileName }
  if (img.width !== undefined) o['width'] = img.width
  if (img.height !== undefined) o['height'] = img.height
  // Fields of other formats, and DM links, are reported from the capability table.
  if (img.extra?.format === 'coco') Object.assign(o, img.extra.fields)
  w.value(o, 0)
}

/**
 * An annotation {@link annotationToCoco} would turn into just id, image_id, category_id,
 * segmentation (polygons or none), bbox, area and iscrowd, with nothing to report.
 */
export function isPlain(ann: Annotation, img: ImageRecord): boolean {
  return (
    typeof img.id === 'number' &&
    typeof ann.categoryId === 'number' &&
    ann.imageClass !== true &&
    ann.rle === undefined &&
    ann.obb === undefined &&
    ann.polyline === undefined &&
    ann.point === undefined &&
    ann.keypoints === undefined &&
    (ann.attrs === undefined || ann.attrs.length === 0) &&
    ann.extra === undefined
  )
}

/** What `anns.value(annotationToCoco(ann, img, id, ctx))` writes for a plain annotation. */
export function writePlainAnnotation(
  w: JsonBytes,
  ann: Annotation,
  img: ImageRecord,
  id: number,
): void {
  let bbox = ann.bbox
  let area = ann.area
  w.ascii('{"id":')
  w.number(id)
  w.ascii(',"image_id":')
  w.number(img.id)
  w.ascii(',"category_id":')
  w.number(ann.categoryId)
  w.ascii(',"segmentation":')
  if (ann.polygons !== undefined) {
    bbox ??= ringsExtent(ann.polygons)
    area ??= ringsArea(ann.polygons)
    w.byte(0x5b)
    for (let i = 0; i < ann.polygons.length; i++) {
      if (i > 0) w.byte(0x2c)
      w.numbers(ann.polygons[i]!)
    }
    w.byte(0x5d)
  } else w.ascii('[]')
  if (bbox !== undefined) {
    w.ascii(',"bbox":')
    w.numbers(bbox)
  }
  w.ascii(',"area":')
  w.number(area ?? (bbox !== undefined ? decimalMul(bbox[2], bbox[3]) : 0))
  w.ascii(ann.iscrowd ? ',"iscrowd":1}' : ',"iscrowd":0}')
}

export function annotationToCoco(
  ann: Annotation,
  img: ImageRecord,
  id: number,
  ctx: WriteContext,
): Record<string, unknown> | undefined {
  const where = `${img.fileName}#${String(ann.id ?? id)}`
  if (ann.imageClass) {
    reportLoss(ctx.report, 'coco', 'image class', where)
    return undefined
  }
  const o: Record<string, unknown> = { id, image_id: img.id, category_id: ann.categoryId }
  let segmentation: unknown
  let bbox = ann.bbox
  let area = ann.area
  if (ann.polygons !== undefined) {
    segmentation = ann.polygons
    bbox ??= ringsExtent(ann.polygons)
    area ??= ringsArea(ann.polygons)
  } else if (ann.rle !== undefined) {
    segmentation = {
      size: ann.rle.size,
      counts: ann.rleCompressed ? encodeRleCounts(ann.rle.counts) : ann.rle.counts,
    }
    bbox ??= rleBox(ann.rle)
    area ??= rleArea(ann.rle)
  } else if (ann.obb !== undefined && isAxisAligned(ann.obb)) {
    // An angle-0 OBB is exactly its box: written as one, nothing approximated.
    bbox ??= ringsExtent([ann.obb])
  } else if (ann.obb !== undefined) {
    segmentation = [ann.obb]
    bbox ??= ringsExtent([ann.obb])
    area ??= ringsArea([ann.obb])
    reportLoss(ctx.report, 'coco', 'oriented box', where)
  }
  if (ann.polyline !== undefined) {
    reportLoss(ctx.report, 'coco', 'polyline', where)
    if (bbox === undefined && segmentation === undefined && ann.keypoints === undefined)
      return undefined
  }
  if (ann.point !== undefined && ann.keypoints === undefined) {
    const [x, y] = ann.point
    o['keypoints'] = [x, y, 2]
    o['num_keypoints'] = 1
    bbox ??= [x, y, 0, 0]
    reportLoss(ctx.report, 'coco', 'point', where)
  }
  if (ann.keypoints !== undefined) {
    o['keypoints'] = ann.keypoints
    let n = 0
    for (let i = 2; i < ann.keypoints.length; i += 3) if (ann.keypoints[i]! > 0) n++
    o['num_keypoints'] = n
    if (bbox === undefined) {
      const pts: number[] = []
      for (let i = 0; i + 2 < ann.keypoints.length; i += 3) {
        if (ann.keypoints[i + 2]! > 0) pts.push(ann.keypoints[i]!, ann.keypoints[i + 1]!)
      }
      bbox = ringsExtent([pts])
    }
  }
  if (segmentation !== undefined) o['segmentation'] = segmentation
  else o['segmentation'] = []
  if (bbox !== undefined) o['bbox'] = bbox
  o['area'] = area ?? (bbox !== undefined ? decimalMul(bbox[2], bbox[3]) : 0)
  o['iscrowd'] = ann.iscrowd ? 1 : 0
  if (ann.attrs !== undefined && ann.attrs.length > 0) {
    const attrs: Record<string, unknown> = {}
    for (const a of ann.attrs) attrs[a.name] = a.value
    o['attributes'] = attrs
  }
  if (ann.extra?.format === 'coco') {
    for (const [k, v] of Object.entries(ann.extra.fields)) if (!(k in o)) o[k] = v
  } else if (ann.extra !== undefined) {
    reportLoss(ctx.report, 'coco', 'annotation metadata', where)
  }
  return o
}
