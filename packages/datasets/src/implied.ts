import { decimalMul, ringsArea, ringsExtent } from './conventions'
import { maskBox } from './mask-box'
import type { Annotation } from './model'
import { rleArea } from './rle'

/*
 * What an annotation's geometry implies when a value is not stored: the box is the extent of
 * the shape, the area that of the shape (a box's area as an exact decimal). The COCO writer
 * fills missing values this way, writers report a stored value as lost only when it differs from
 * what comes back implied, and the differ compares values the same way.
 */

/** The stored box, else the shape's extent. */
export function effectiveBox(ann: Annotation): [number, number, number, number] | undefined {
  if (ann.bbox !== undefined) return ann.bbox
  if (ann.polygons !== undefined) return ringsExtent(ann.polygons)
  const mask = maskBox(ann)
  if (mask !== undefined) return mask
  if (ann.obb !== undefined) return ringsExtent([ann.obb])
  if (ann.keypoints !== undefined) {
    const pts: number[] = []
    for (let i = 0; i + 2 < ann.keypoints.length; i += 3) {
      if (ann.keypoints[i + 2]! > 0) pts.push(ann.keypoints[i]!, ann.keypoints[i + 1]!)
    }
    return pts.length === 0 ? undefined : ringsExtent([pts])
  }
  return undefined
}

/** The area the geometry implies (what a COCO writer would store), `undefined` for none. */
export function impliedArea(ann: Annotation): number | undefined {
  if (ann.polygons !== undefined) return ringsArea(ann.polygons)
  if (ann.rle !== undefined) return rleArea(ann.rle)
  if (ann.obb !== undefined) return ringsArea([ann.obb])
  const box = effectiveBox(ann)
  return box === undefined ? undefined : decimalMul(box[2], box[3])
}

/** The stored area, else the implied one. */
export function effectiveArea(ann: Annotation): number | undefined {
  return ann.area ?? impliedArea(ann)
}

/**
 * Whether a stored area is what the geometry implies anyway, so a format without an area field
 * loses nothing by leaving it out: tools store a box's area as the float product, the COCO
 * writer as the exact decimal one; either counts.
 */
export function areaIsImplied(ann: Annotation): boolean {
  if (ann.area === undefined) return true
  if (ann.area === impliedArea(ann)) return true
  const box = ann.polygons === undefined && ann.rle === undefined ? effectiveBox(ann) : undefined
  return box !== undefined && ann.area === box[2] * box[3]
}

/**
 * Whether four corners are an axis-aligned rectangle, in the order boxes are written as corners
 * (`x0 y0, x1 y0, x1 y1, x0 y1`): such an OBB is exactly its box, and nothing is approximated
 * by writing it as one.
 */
export function isAxisAligned(c: readonly number[]): boolean {
  return c.length === 8 && c[1] === c[3] && c[5] === c[7] && c[0] === c[6] && c[2] === c[4]
}
