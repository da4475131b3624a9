import { join } from 'node:path'
import { reportLoss } from '../../capabilities'
import type { WriteContext } from '../../context'
import { decimalMul, ringsArea, ringsExtent } from '../../conventions'
import { fillImageSizes, transferImages } from '../../images'
import { isAxisAligned } from '../../implied'
import { stripExtension, WriteBatch } from '../../io/fs'
import type { Attr, Dataset, ImageRecord } from '../../model'
import { rleArea, rleBox, rleToPixelIndices } from '../../rle'
import { cornersToRotatedBox } from './geometry'
import type { DmV2File, DmV2Item } from './schema'
import { dmV2ToV1 } from './v1-v2'

const sameBox = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i])

/**
 * Writes one DM JSON per image (`[split/]json/<stem>.json`) and the images to `original_files/`.
 * What DM has no field for but a COCO round trip needs (stored box, area, crowd flag, extra rings,
 * keypoint slots) travels in `_`-prefixed attrs, which DM treats as internal.
 */
export async function writeDm(
  dataset: Dataset,
  out: string,
  ctx: WriteContext,
  version: 'v1' | 'v2',
): Promise<void> {
  if (dataset.images.some((i) => i.annotations.some((a) => a.rle !== undefined))) {
    await fillImageSizes(dataset, ctx.exif, ctx.report)
  }
  const r = ctx.report
  const names = new Map(dataset.categories.map((c) => [c.id, c.name]))
  const toolsUsed = new Set<string>()
  const files: { img: ImageRecord; image: Record<string, DmV2Item[]> }[] = []
  for (const img of dataset.images) {
    const image = dmImage(img, names, ctx, version)
    for (const t of Object.keys(image)) toolsUsed.add(t)
    files.push({ img, image })
  }
  if (version === 'v1') reportClassOrder(dataset, files, r)
  // The class list is the project's configuration: the full list under every tool in use, the
  // same in every file, so the category order survives.
  const allNames = dataset.categories.map((c) => c.name)
  const classification: Record<string, string[]> = {}
  for (const t of toolsUsed.size > 0 ? toolsUsed : ['bounding_box']) {
    if (t !== 'relation' && t !== 'group') classification[t] = allNames
  }
  let done = 0
  let internal = 0
  const batch = new WriteBatch(ctx.files)
  for (const { img, image } of files) {
    if ((done & 255) === 0) ctx.signal?.throwIfAborted()
    const v2: DmV2File = { classification, images: [image] }
    let text: string
    if (version === 'v1') {
      const { v1, internalAttrs } = dmV2ToV1(v2)
      internal += internalAttrs
      text = JSON.stringify(v1)
    } else text = JSON.stringify(v2)
    const dir = img.split === '' ? join(out, 'json') : join(out, img.split, 'json')
    await batch.add(join(dir, `${stripExtension(img.fileName)}.json`), text)
    done++
    if ((done & 255) === 0) ctx.progress?.(done, dataset.images.length, 'write')
  }
  await batch.flush()
  if (internal > 0) {
    r.loss(
      'dropped',
      'internal attr',
      'DM v1 does not keep `_` attrs (stored box, area, crowd flag, ring and keypoint links)',
      undefined,
      internal,
    )
  }
  r.report.written.images = dataset.images.length
  const placed = await transferImages(
    dataset,
    (img) =>
      img.split === ''
        ? join(out, 'original_files', img.fileName)
        : join(out, img.split, 'original_files', img.fileName),
    ctx.images,
    ctx,
  )
  const guessed = dataset.images.length - placed
  const nonJpg = dataset.images.filter((i) => !/\.jpe?g$/i.test(i.fileName)).length
  if (guessed > 0 && nonJpg > 0) {
    r.loss(
      'dropped',
      'image file name',
      'DM finds an image by stem in original_files/; without the image file its extension reads back as .jpg',
      undefined,
      Math.min(guessed, nonJpg),
    )
  }
}

/**
 * DM v1 files hold no class list, so reading them back numbers classes by first appearance: in
 * split order, file order (sorted, as the reader lists them), then item order. Where that order
 * differs from the dataset's, ids are renumbered, and the report says so.
 */
function reportClassOrder(
  dataset: Dataset,
  files: readonly { img: ImageRecord; image: Record<string, DmV2Item[]> }[],
  report: WriteContext['report'],
): void {
  const rel = (img: ImageRecord): string => `${stripExtension(img.fileName)}.json`
  const sorted = [...files].sort((a, b) =>
    a.img.split !== b.img.split
      ? a.img.split < b.img.split
        ? -1
        : 1
      : rel(a.img) < rel(b.img)
        ? -1
        : rel(a.img) > rel(b.img)
          ? 1
          : 0,
  )
  const seen = new Set<string>()
  const order: string[] = []
  for (const { image } of sorted) {
    for (const [tool, items] of Object.entries(image)) {
      if (tool === 'relation' || tool === 'group') continue
      for (const item of items) {
        if (seen.has(item.classification)) continue
        seen.add(item.classification)
        order.push(item.classification)
      }
    }
  }
  // Read back, a class's id is its place in that order: it moves when that is not its id now.
  const idOf = new Map(dataset.categories.map((c) => [c.name, c.id]))
  let moved = 0
  for (let i = 0; i < order.length; i++) if (idOf.get(order[i]!) !== i + 1) moved++
  reportLoss(report, 'dm_v1', 'class order', undefined, moved)
}

function dmImage(
  img: ImageRecord,
  names: Map<number, string>,
  ctx: WriteContext,
  version: 'v1' | 'v2',
): Record<string, DmV2Item[]> {
  const r = ctx.report
  const target = version === 'v1' ? 'dm_v1' : 'dm_v2'
  const image: Record<string, DmV2Item[]> = {}
  const used = new Set<string>()
  const push = (tool: string, item: DmV2Item): void => {
    image[tool] ??= []
    image[tool].push(item)
  }
  img.annotations.forEach((ann, index) => {
    const where = `${img.fileName}#${String(ann.id ?? index)}`
    if (ann.imageClass) {
      reportLoss(r, target, 'image class', where)
      return
    }
    const cls = names.get(ann.categoryId)
    if (cls === undefined) {
      r.loss('dropped', 'annotation', 'category not in the class list', where)
      return
    }
    let id = ann.id === undefined ? `a${index + 1}` : String(ann.id)
    if (!/^[A-Za-z0-9_-]+$/.test(id) || used.has(id)) {
      id = `${id.replace(/[^A-Za-z0-9_-]/g, '_')}_${index + 1}`
      r.loss('renumbered', 'annotation id', 'DM ids are unique and match ^[A-Za-z0-9_-]+$', where)
    }
    used.add(id)
    const attrs: Attr[] = [...(ann.attrs ?? [])]
    const side: Attr[] = []
    let primaryBox: number[] | undefined
    let defaultArea: number | undefined
    if (ann.polygons !== undefined) {
      const [first, ...rest] = ann.polygons
      push('polygon', { id, classification: cls, attrs, data: pairs(first!) })
      rest.forEach((ring, k) => {
        push('polygon', {
          id: `${id}_r${k + 1}`,
          classification: cls,
          attrs: [{ name: '_ring_of', value: id }],
          data: pairs(ring),
        })
      })
      primaryBox = ringsExtent(ann.polygons)
      defaultArea = ringsArea(ann.polygons)
    } else if (ann.rle !== undefined) {
      // v1 keeps no `_` attrs; the reader then takes the size from the image, which travels
      // with the output unless images are left behind: only then is the size lost.
      if (version === 'v2' || img.path === undefined || ctx.images === 'none') {
        side.push({ name: '_size', value: ann.rle.size })
      }
      if (ann.rleCompressed) side.push({ name: '_rle_compressed', value: true })
      push('segmentation', { id, classification: cls, attrs, data: rleToPixelIndices(ann.rle) })
      primaryBox = rleBox(ann.rle)
      defaultArea = rleArea(ann.rle)
    } else if (ann.pixelIndices !== undefined) {
      push('segmentation', { id, classification: cls, attrs, data: ann.pixelIndices })
    } else if (ann.obb !== undefined) {
      // The source's own box and rotation when it had them: recomputing them from the corners
      // adds float noise to values that were only moved.
      const rot = ann.rotatedBox ?? cornersToRotatedBox(ann.obb)
      if (ann.rotatedBox === undefined && isAxisAligned(ann.obb)) {
        // Angle 0: a plain box, its exact extent, and no rotation attr to come back as one.
        push('bounding_box', { id, classification: cls, attrs, data: ringsExtent([ann.obb]) })
      } else if (rot !== undefined) {
        attrs.unshift({ name: 'rotation', value: rot.rotation })
        push('bounding_box', { id, classification: cls, attrs, data: rot.box })
      } else {
        side.push({ name: '_obb', value: true })
        push('polygon', { id, classification: cls, attrs, data: pairs(ann.obb) })
      }
      primaryBox = ringsExtent([ann.obb])
      defaultArea = ringsArea([ann.obb])
    } else if (ann.bbox !== undefined) {
      push('bounding_box', { id, classification: cls, attrs, data: [...ann.bbox] })
      primaryBox = ann.bbox
      defaultArea = decimalMul(ann.bbox[2], ann.bbox[3])
    } else if (ann.polyline !== undefined) {
      push('polyline', { id, classification: cls, attrs, data: pairs(ann.polyline) })
    } else if (ann.point !== undefined) {
      push('keypoint', { id, classification: cls, attrs, data: [...ann.point] })
    } else if (ann.keypoints !== undefined) {
      // Keypoints alone: a box around them is the parent the keypoint items hang on.
      const pts: number[] = []
      for (let i = 0; i + 2 < ann.keypoints.length; i += 3)
        if (ann.keypoints[i + 2]! > 0) pts.push(ann.keypoints[i]!, ann.keypoints[i + 1]!)
      const box = ringsExtent([pts])
      push('bounding_box', { id, classification: cls, attrs, data: box })
      side.push({ name: '_keypoints_only', value: true })
      primaryBox = box
      r.loss(
        'approximated',
        'keypoints without box',
        'DM keypoints hang on a box; the box around them was added',
        where,
      )
    } else {
      r.loss('dropped', 'annotation', 'no geometry', where)
      return
    }
    if (ann.polyline !== undefined && (ann.polygons || ann.rle || ann.obb || ann.bbox)) {
      r.loss(
        'dropped',
        'polyline',
        'DM items hold one geometry; the polyline of a shape with another was left out',
        where,
      )
    }
    if (ann.bbox !== undefined && primaryBox !== undefined && !sameBox(ann.bbox, primaryBox)) {
      side.push({ name: '_bbox', value: ann.bbox })
    }
    if (ann.area !== undefined && ann.area !== defaultArea)
      side.push({ name: '_area', value: ann.area })
    if (ann.iscrowd) side.push({ name: '_iscrowd', value: 1 })
    if (ann.keypoints !== undefined) {
      reportLoss(r, target, 'keypoints', where)
      const k = ann.keypoints.length / 3
      side.push({ name: '_num_keypoints', value: k })
      for (let i = 0; i < k; i++) {
        const x = ann.keypoints[i * 3]!
        const y = ann.keypoints[i * 3 + 1]!
        const v = ann.keypoints[i * 3 + 2]!
        if (v === 0 && x === 0 && y === 0) continue
        push('keypoint', {
          id: `${id}_k${i}`,
          classification: cls,
          attrs: [
            { name: '_parent', value: id },
            { name: '_index', value: i },
            { name: '_v', value: v },
          ],
          data: [x, y],
        })
      }
    }
    if (ann.extra !== undefined) reportLoss(r, target, 'annotation metadata', where)
    attrs.push(...side)
    r.report.written.annotations++
  })
  for (const l of img.links ?? []) {
    push(l.kind, { id: l.id, classification: l.classification, attrs: l.attrs ?? [], data: l.ids })
  }
  return image
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}
