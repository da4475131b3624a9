import { effectiveArea, effectiveBox, isAxisAligned } from './implied'
import { stripExtension } from './io/fs'
import type { Annotation, Dataset, ImageRecord } from './model'

/**
 * One kind of difference between a dataset and what came back after writing and reading it:
 * `subject` uses the loss report's vocabulary (`polygon`, `area`, `category id`, …), so a
 * difference can be checked against the report.
 */
export interface DatasetChange {
  subject: string
  /** How many items (annotations, images, classes) differ. */
  count: number
  /** Up to five places (`file`, or a class name). */
  examples: string[]
}

export interface DiffOptions {
  /**
   * Coordinate tolerance in pixels for an image whose larger side is `side`: YOLO round trips
   * move coordinates by up to `1e-6 × side` (see `YOLO_TOLERANCE`). Default: `1e-9` pixels.
   */
  tolerance?: ((side: number) => number) | undefined
}

const MAX_EXAMPLES = 5

/**
 * Compares `before` with `after` through the hub model: images paired by split-less file name
 * (extension aside, as DM and VOC may guess it), then, per image, the values of each subject as
 * multisets labelled with the class name, numbers within the tolerance. Values a format leaves
 * implied are compared as implied (a box is its shape's extent, an area its shape's), so a value
 * that comes back recomputed to the same number is no change. Ids a format reassigns are
 * compared by what they identify: category ids by class name, image ids by file name.
 */
export function diffDatasets(
  before: Dataset,
  after: Dataset,
  options: DiffOptions = {},
): DatasetChange[] {
  const tolerance = options.tolerance ?? (() => 1e-9)
  const changes = new Map<string, DatasetChange>()
  const note = (subject: string, where: string, count = 1): void => {
    let c = changes.get(subject)
    if (c === undefined) {
      c = { subject, count: 0, examples: [] }
      changes.set(subject, c)
    }
    c.count += count
    if (c.examples.length < MAX_EXAMPLES && !c.examples.includes(where)) c.examples.push(where)
  }
  diffCategories(before, after, note)
  if ((before.info !== undefined) !== (after.info !== undefined)) note('info/licenses', 'info')
  else if (JSON.stringify(before.info) !== JSON.stringify(after.info)) note('info/licenses', 'info')
  if (JSON.stringify(before.licenses ?? []) !== JSON.stringify(after.licenses ?? [])) {
    note('info/licenses', 'licenses')
  }
  const nameA = new Map(before.categories.map((c) => [c.id, c.name]))
  const nameB = new Map(after.categories.map((c) => [c.id, c.name]))
  const afterByKey = new Map<string, ImageRecord>()
  for (const img of after.images) afterByKey.set(imageKey(img), img)
  for (const a of before.images) {
    const b = afterByKey.get(imageKey(a))
    if (b === undefined) {
      note('image', a.fileName)
      if (a.annotations.length > 0) note('annotation', a.fileName, a.annotations.length)
      continue
    }
    afterByKey.delete(imageKey(a))
    if (a.id !== b.id) note('image id', a.fileName)
    if (JSON.stringify(a.extra ?? null) !== JSON.stringify(b.extra ?? null)) {
      note('image metadata', a.fileName)
    }
    const linksA = JSON.stringify(a.links ?? [])
    if (linksA !== JSON.stringify(b.links ?? [])) {
      note('DM relation/group', a.fileName, Math.max(1, a.links?.length ?? 0))
    }
    const side = Math.max(a.width ?? 0, a.height ?? 0, b.width ?? 0, b.height ?? 0, 1)
    const tol = tolerance(side)
    const va = subjectValues(a.annotations, nameA)
    const vb = subjectValues(b.annotations, nameB)
    for (const subject of new Set([...va.keys(), ...vb.keys()])) {
      const xs = va.get(subject) ?? []
      const ys = vb.get(subject) ?? []
      const unmatched = unmatchedCount(xs, ys, tol)
      if (unmatched > 0) note(subject, a.fileName, unmatched)
    }
  }
  for (const b of afterByKey.values()) note('image', b.fileName)
  return [...changes.values()]
}

function imageKey(img: ImageRecord): string {
  return stripExtension(img.fileName).normalize('NFC')
}

/** A labelled value: the class name (and any text) plus numbers compared within a tolerance. */
interface Value {
  label: string
  numbers: readonly number[]
  /** The tolerance multiplier: 1 for coordinates, the perimeter for an area. */
  scale: number
}

function subjectValues(
  anns: readonly Annotation[],
  names: Map<number, string>,
): Map<string, Value[]> {
  const out = new Map<string, Value[]>()
  const add = (
    subject: string,
    label: string,
    numbers: readonly number[] = [],
    scale = 1,
  ): void => {
    let list = out.get(subject)
    if (list === undefined) {
      list = []
      out.set(subject, list)
    }
    list.push({ label, numbers, scale })
  }
  for (const ann of anns) {
    const cls = names.get(ann.categoryId) ?? `#${ann.categoryId}`
    if (ann.imageClass) {
      add('image class', cls)
      continue
    }
    const box = effectiveBox(ann)
    if (box !== undefined) add('box', cls, box)
    if (ann.polygons !== undefined) {
      // Rings in one list, each after its length: a polygon split into its rings differs.
      const flat: number[] = []
      for (const r of ann.polygons) flat.push(-r.length, ...r)
      add('polygon', `${cls}/${ann.polygons.length}`, flat)
    }
    if (ann.rle !== undefined) add('RLE mask', cls, [...ann.rle.size, ...ann.rle.counts])
    // Slots with nothing in them (`0 0 0`, as YOLO pose writes for an object without keypoints)
    // hold no keypoint: compared as absent.
    if (ann.keypoints?.some((v) => v !== 0)) {
      add('keypoints', cls, ann.keypoints)
    }
    // An OBB at angle 0 is its box (compared as `box`): YOLO obb writes boxes that way.
    if (ann.obb !== undefined && !isAxisAligned(ann.obb)) add('oriented box', cls, ann.obb)
    if (ann.polyline !== undefined) add('polyline', cls, ann.polyline)
    if (ann.point !== undefined) add('point', cls, ann.point)
    if (ann.iscrowd) add('iscrowd flag', cls)
    const area = effectiveArea(ann)
    // Its own tolerance follows the box's perimeter: coordinates move by the tolerance each.
    if (area !== undefined) add('area', cls, [area], box === undefined ? 0 : 2 * (box[2] + box[3]))
    if (ann.attrs !== undefined && ann.attrs.length > 0) {
      add('attributes', `${cls} ${JSON.stringify(ann.attrs)}`)
    }
    if (ann.extra !== undefined) add('annotation metadata', `${cls} ${JSON.stringify(ann.extra)}`)
  }
  return out
}

/** How many values of the larger side find no partner (same label, numbers within `tol`). */
function unmatchedCount(xs: readonly Value[], ys: readonly Value[], tol: number): number {
  const used = new Uint8Array(ys.length)
  let matched = 0
  for (const x of xs) {
    for (let j = 0; j < ys.length; j++) {
      if (used[j] === 0 && same(x, ys[j]!, tol)) {
        used[j] = 1
        matched++
        break
      }
    }
  }
  return Math.max(xs.length, ys.length) - matched
}

function same(a: Value, b: Value, tol: number): boolean {
  if (a.label !== b.label || a.numbers.length !== b.numbers.length) return false
  const t = tol * Math.max(a.scale, b.scale, 1)
  for (let i = 0; i < a.numbers.length; i++) {
    if (!(Math.abs(a.numbers[i]! - b.numbers[i]!) <= t)) return false
  }
  return true
}

function diffCategories(
  before: Dataset,
  after: Dataset,
  note: (subject: string, where: string, count?: number) => void,
): void {
  const byName = new Map(after.categories.map((c) => [c.name, c]))
  for (const c of before.categories) {
    const d = byName.get(c.name)
    if (d === undefined) {
      note('category', c.name)
      continue
    }
    if (d.id !== c.id) note('category id', c.name)
    if ((c.supercategory ?? '') !== (d.supercategory ?? '')) note('supercategory', c.name)
    // Only a schema the input had can be lost: a reader naming keypoints it found unnamed
    // (YOLO pose's `kp0`, …) adds, and loses nothing.
    const had = c.keypoints !== undefined || c.skeleton !== undefined
    if (
      had &&
      JSON.stringify([c.keypoints ?? null, c.skeleton ?? null]) !==
        JSON.stringify([d.keypoints ?? null, d.skeleton ?? null])
    ) {
      note('keypoint names/skeleton', c.name)
    }
  }
  const names = new Set(before.categories.map((c) => c.name))
  for (const d of after.categories) if (!names.has(d.name)) note('category', d.name)
}
