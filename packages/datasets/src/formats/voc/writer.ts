import { join } from 'node:path'
import { reportLoss } from '../../capabilities'
import type { WriteContext } from '../../context'
import { boxToVoc, formatNumber, ringsExtent } from '../../conventions'
import { fillImageSizes, transferImages } from '../../images'
import { areaIsImplied, isAxisAligned } from '../../implied'
import { stripExtension, WriteBatch } from '../../io/fs'
import { escapeXml } from '../../io/xml'
import type { Annotation, Dataset, ImageRecord } from '../../model'
import { rleBox } from '../../rle'
import { groupBySplit } from '../../splits'

const VOC_FIELDS = new Set(['pose', 'truncated', 'difficult', 'occluded'])

/**
 * Writes `Annotations/<stem>.xml` per image, `JPEGImages/`, `ImageSets/Main/<split>.txt` and
 * `classes.txt` (class order; VOC itself has no class list). Boxes only: other geometry is reported.
 */
export async function writeVoc(dataset: Dataset, out: string, ctx: WriteContext): Promise<void> {
  await fillImageSizes(dataset, ctx.exif, ctx.report)
  const names = new Map(dataset.categories.map((c) => [c.id, c.name]))
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
    reportLoss(r, 'voc', 'image class', where)
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
    reportLoss(r, 'voc', 'iscrowd flag', where)
  }
  const box =
    ann.bbox ??
    (ann.polygons ? ringsExtent(ann.polygons) : undefined) ??
    (ann.rle ? rleBox(ann.rle) : undefined) ??
    (ann.obb ? ringsExtent([ann.obb]) : undefined)
  // A shape with a box of its own loses the shape; one without is written as its extent.
  const own = ann.bbox !== undefined
  if (ann.polygons) reportLoss(r, 'voc', own ? 'polygon' : 'polygon without box', where)
  if (ann.rle) reportLoss(r, 'voc', own || ann.polygons ? 'RLE mask' : 'mask without box', where)
  if (ann.obb && !isAxisAligned(ann.obb)) reportLoss(r, 'voc', 'oriented box', where)
  if (ann.keypoints) reportLoss(r, 'voc', 'keypoints', where)
  if (ann.polyline) reportLoss(r, 'voc', 'polyline', where)
  if (ann.point) reportLoss(r, 'voc', 'point', where)
  if (ann.extra !== undefined && ann.extra.format !== 'voc') {
    reportLoss(r, 'voc', 'annotation metadata', where)
  }
  // The box implies its area (the area of the box VOC writes, for any shape it writes as a box).
  if (box !== undefined && !areaIsImplied({ categoryId: 0, bbox: box, area: ann.area })) {
    reportLoss(r, 'voc', 'area', where)
  }
  if (box === undefined) return undefined
  const attrs = new Map<string, unknown>()
  const other: [string, unknown][] = []
  for (const a of ann.attrs ?? []) {
    if (VOC_FIELDS.has(a.name)) {
      attrs.set(a.name, a.value)
      // VOC flags read back as numbers and the pose as text: other values change type.
      const kept = a.name === 'pose' ? typeof a.value === 'string' : typeof a.value === 'number'
      if (!kept)
        r.loss(
          'approximated',
          'attribute value',
          `VOC <${a.name}> is read back as ${a.name === 'pose' ? 'text' : 'a number'}`,
          where,
        )
    } else other.push([a.name, a.value])
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
