import { join } from 'node:path'
import type { WriteContext } from '../../context'
import { boxToVoc, decimalMul, formatNumber, ringsExtent } from '../../conventions'
import { fillImageSizes, transferImages } from '../../images'
import { stripExtension, WriteBatch } from '../../io/fs'
import { escapeXml } from '../../io/xml'
import type { Annotation, Dataset, ImageRecord } from '../../model'
import { rleBox } from '../../rle'
import { groupBySplit } from '../../splits'
import { reportDatasetLosses } from '../dataset-losses'

const VOC_FIELDS = new Set(['pose', 'truncated', 'difficult', 'occluded'])

/**
 * Writes `Annotations/<stem>.xml` per image, `JPEGImages/`, `ImageSets/Main/<split>.txt` and
 * `classes.txt` (class order; VOC itself has no class list). Boxes only: other geometry is reported.
 */
export async function writeVoc(dataset: Dataset, out: string, ctx: WriteContext): Promise<void> {
  await fillImageSizes(dataset, ctx.exif, ctx.report)
  const names = new Map(dataset.categories.map((c) => [c.id, c.name]))
  const contiguous = dataset.categories.every((c, i) => c.id === i + 1)
  if (!contiguous) {
    ctx.report.loss(
      'renumbered',
      'category id',
      'VOC has class names only; ids become list positions 1..N',
      undefined,
      dataset.categories.length,
    )
  }
  reportDatasetLosses(dataset, ctx.report, 'VOC')
  await ctx.files.write(
    join(out, 'classes.txt'),
    `${dataset.categories.map((c) => c.name).join('\n')}\n`,
  )
  let done = 0
  const batch = new WriteBatch(ctx.files)
  for (const img of dataset.images) {
    if ((done & 255) === 0) ctx.signal?.throwIfAborted()
    const xml = vocXml(img, names, ctx)
    await batch.add(join(out, 'Annotations', `${stripExtension(img.fileName)}.xml`), xml)
    done++
    if ((done & 255) === 0) ctx.progress?.(done, dataset.images.length, 'write')
  }
  await batch.flush()
  const splits = groupBySplit(dataset.images)
  for (const [split, images] of splits) {
    if (split === '') continue
    const stems = images.map((i) => stripExtension(i.fileName)).join('\n')
    await ctx.files.write(join(out, 'ImageSets', 'Main', `${split}.txt`), `${stems}\n`)
  }
  ctx.report.report.written.images = dataset.images.length
  await transferImages(dataset, (img) => join(out, 'JPEGImages', img.fileName), ctx.images, ctx)
}

function vocXml(img: ImageRecord, names: Map<number, string>, ctx: WriteContext): string {
  const extra = img.extra?.format === 'voc' ? img.extra.fields : {}
  if (img.extra !== undefined && img.extra.format !== 'voc') {
    ctx.report.loss(
      'dropped',
      'image metadata',
      `VOC has no place for ${img.extra.format} image fields`,
      img.fileName,
    )
  }
  const slash = img.fileName.lastIndexOf('/')
  const base = img.fileName.slice(slash + 1)
  let x = '<annotation>\n'
  if (extra['folder'] !== undefined)
    x += `\t<folder>${escapeXml(String(extra['folder']))}</folder>\n`
  x += `\t<filename>${escapeXml(base)}</filename>\n`
  if (extra['path'] !== undefined) x += `\t<path>${escapeXml(String(extra['path']))}</path>\n`
  if (img.width !== undefined && img.height !== undefined) {
    x += `\t<size>\n\t\t<width>${img.width}</width>\n\t\t<height>${img.height}</height>\n`
    x += `\t\t<depth>${String(extra['depth'] ?? 3)}</depth>\n\t</size>\n`
  }
  x += `\t<segmented>${String(extra['segmented'] ?? 0)}</segmented>\n`
  for (const el of xmlOf(extra)) x += `\t${el}\n`
  for (const ann of img.annotations) {
    const obj = vocObject(ann, img, names, ctx)
    if (obj !== undefined) {
      x += obj
      ctx.report.report.written.annotations++
    }
  }
  if (img.links !== undefined && img.links.length > 0) {
    ctx.report.loss(
      'dropped',
      'DM relation/group',
      'VOC has no relations or groups',
      img.fileName,
      img.links.length,
    )
  }
  return `${x}</annotation>\n`
}

function vocObject(
  ann: Annotation,
  img: ImageRecord,
  names: Map<number, string>,
  ctx: WriteContext,
): string | undefined {
  const where = `${img.fileName}#${String(ann.id ?? '')}`
  const r = ctx.report
  if (ann.imageClass) {
    r.loss('dropped', 'image class', 'VOC objects are boxes, not image-level labels', where)
    return undefined
  }
  const name = names.get(ann.categoryId)
  if (name === undefined) {
    r.loss('dropped', 'annotation', 'category not in the class list', where)
    return undefined
  }
  if (ann.iscrowd) {
    if (ctx.crowd === 'skip') {
      r.loss(
        'dropped',
        'crowd region',
        'VOC has no crowd flag; crowd regions are skipped (crowd: keep writes them as objects)',
        where,
      )
      return undefined
    }
    r.loss('dropped', 'iscrowd flag', 'VOC has no crowd flag; written as an ordinary object', where)
  }
  const box =
    ann.bbox ??
    (ann.polygons ? ringsExtent(ann.polygons) : undefined) ??
    (ann.rle ? rleBox(ann.rle) : undefined) ??
    (ann.obb ? ringsExtent([ann.obb]) : undefined)
  if (ann.polygons) r.loss('dropped', 'polygon', 'VOC objects are boxes', where)
  if (ann.rle)
    r.loss(
      'dropped',
      'RLE mask',
      'VOC objects are boxes (masks live in PNGs this writer does not make)',
      where,
    )
  if (ann.obb) r.loss('approximated', 'oriented box', 'written as its axis-aligned box', where)
  if (ann.keypoints) r.loss('dropped', 'keypoints', 'VOC objects are boxes', where)
  if (ann.polyline) r.loss('dropped', 'polyline', 'VOC objects are boxes', where)
  if (ann.point) r.loss('dropped', 'point', 'VOC objects are boxes', where)
  if (ann.extra !== undefined && ann.extra.format !== 'voc') {
    r.loss(
      'dropped',
      'annotation metadata',
      `VOC has no place for ${ann.extra.format} fields`,
      where,
    )
  }
  // The box implies its area; tools store it as the float product, we write the exact decimal one.
  if (
    ann.area !== undefined &&
    box !== undefined &&
    ann.area !== box[2] * box[3] &&
    ann.area !== decimalMul(box[2], box[3])
  ) {
    r.loss('dropped', 'area', 'VOC stores no area (box area is implied)', where)
  }
  if (box === undefined) return undefined
  const attrs = new Map<string, unknown>()
  const other: [string, unknown][] = []
  for (const a of ann.attrs ?? []) {
    if (VOC_FIELDS.has(a.name)) attrs.set(a.name, a.value)
    else other.push([a.name, a.value])
  }
  const [xmin, ymin, xmax, ymax] = boxToVoc(box, ctx.vocOrigin)
  let x = `\t<object>\n\t\t<name>${escapeXml(name)}</name>\n`
  x += `\t\t<pose>${escapeXml(String(attrs.get('pose') ?? 'Unspecified'))}</pose>\n`
  x += `\t\t<truncated>${escapeXml(String(attrs.get('truncated') ?? 0))}</truncated>\n`
  x += `\t\t<difficult>${escapeXml(String(attrs.get('difficult') ?? 0))}</difficult>\n`
  if (attrs.has('occluded'))
    x += `\t\t<occluded>${escapeXml(String(attrs.get('occluded')))}</occluded>\n`
  x += `\t\t<bndbox>\n\t\t\t<xmin>${formatNumber(xmin)}</xmin>\n\t\t\t<ymin>${formatNumber(ymin)}</ymin>\n`
  x += `\t\t\t<xmax>${formatNumber(xmax)}</xmax>\n\t\t\t<ymax>${formatNumber(ymax)}</ymax>\n\t\t</bndbox>\n`
  if (other.length > 0) {
    x += '\t\t<attributes>\n'
    for (const [k, v] of other) {
      if (typeof v !== 'string')
        r.loss('approximated', 'attribute value', 'VOC attribute values are text', where)
      const text = typeof v === 'string' ? v : JSON.stringify(v)
      x += `\t\t\t<attribute>\n\t\t\t\t<name>${escapeXml(k)}</name>\n\t\t\t\t<value>${escapeXml(text)}</value>\n\t\t\t</attribute>\n`
    }
    x += '\t\t</attributes>\n'
  }
  if (ann.extra?.format === 'voc') for (const el of xmlOf(ann.extra.fields)) x += `\t\t${el}\n`
  return `${x}\t</object>\n`
}

/** Elements the VOC reader kept as XML text (`<part>`, `<actions>`, `<source>`), put back as read. */
function xmlOf(fields: Record<string, unknown>): readonly string[] {
  const xml = fields['xml']
  return Array.isArray(xml) ? (xml as string[]) : []
}
