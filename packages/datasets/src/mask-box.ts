import type { Annotation } from './model'
import { rleBox } from './rle'

type Box = [number, number, number, number]

/**
 * Boxes of masks that are built on first use (DM segmentations: pixel indices become an RLE
 * only when a writer needs the mask, which means sorting every pixel). The box needs no RLE:
 * the checks every conversion makes read it from here, so they never force the mask.
 */
const deferred = new WeakMap<Annotation, () => Box>()

/** Registers how to get `ann`'s mask box without building its mask. */
export function deferMaskBox(ann: Annotation, box: () => Box): void {
  deferred.set(ann, box)
}

/** The box of `ann`'s mask (`undefined` without one), without building a deferred mask. */
export function maskBox(ann: Annotation): Box | undefined {
  const lazy = deferred.get(ann)
  if (lazy !== undefined) return lazy()
  return ann.rle === undefined ? undefined : rleBox(ann.rle)
}

/** The box of row-major pixel indices in an image `width` wide (as {@link rleBox} gives it). */
export function pixelIndicesBox(indices: readonly number[], width: number): Box {
  if (indices.length === 0) return [0, 0, 0, 0]
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = -1
  let maxY = -1
  for (const i of indices) {
    const x = i % width
    const y = (i - x) / width
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  return [minX, minY, maxX + 1 - minX, maxY + 1 - minY]
}

/** Whether `ann` has a mask, without building a deferred one. */
export function hasMask(ann: Annotation): boolean {
  return deferred.has(ann) || ann.rle !== undefined
}
