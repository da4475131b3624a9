import type { Rle } from './model'
import { forEachRlePixel, rleBox } from './rle'

/** The outer outlines of a mask, and how many holes were left out of them. */
export interface MaskOutlines {
  /** One flat `[x1, y1, x2, y2, …]` ring per 4-connected part, in pixel-edge coordinates. */
  rings: number[][]
  /** Holes inside the parts: a polygon ring cannot leave them out, so they are filled. */
  holes: number
}

// Directions on the lattice of pixel corners, image axes (y down): east, south, west, north.
const DX = [1, 0, -1, 0]
const DY = [0, 1, 0, -1]

/**
 * The outline of every 4-connected part of an RLE mask, traced along pixel edges, with a corner
 * only where the outline turns. A pixel `(x, y)` is the square `[x, x+1] × [y, y+1]` (COCO's
 * continuous coordinates), so a pixel's centre lies inside a ring exactly when the pixel belongs
 * to that part, holes aside: filling the rings gives back the mask, with its holes filled.
 * Works inside the mask's box, so memory follows the object, not the image.
 *
 * @example
 * rleOutlines({ size: [3, 3], counts: [4, 1, 4] }).rings // [[1, 1, 2, 1, 2, 2, 1, 2]]
 */
export function rleOutlines(rle: Rle): MaskOutlines {
  const [bx, by, bw, bh] = rleBox(rle)
  if (bw === 0 || bh === 0) return { rings: [], holes: 0 }
  // The mask inside its box, with a one-pixel empty border so every neighbour read is in range.
  const W = bw + 2
  const mask = new Uint8Array(W * (bh + 2))
  forEachRlePixel(rle, (x, y) => {
    mask[(y - by + 1) * W + (x - bx + 1)] = 1
  })
  // Boundary edges, as a bit per direction on the corner they leave from. Each foreground side
  // facing background is one edge, oriented so the pixel lies on its right (clockwise on screen).
  const VW = bw + 1
  const out = new Uint8Array(VW * (bh + 1))
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const m = (y + 1) * W + (x + 1)
      if (mask[m] === 0) continue
      const v = y * VW + x
      if (mask[m - W] === 0) out[v] = out[v]! | 1 // top: east from (x, y)
      if (mask[m + 1] === 0) out[v + 1] = out[v + 1]! | 2 // right: south from (x+1, y)
      if (mask[m + W] === 0) out[v + VW + 1] = out[v + VW + 1]! | 4 // bottom: west from (x+1, y+1)
      if (mask[m - 1] === 0) out[v + VW] = out[v + VW]! | 8 // left: north from (x, y+1)
    }
  }
  const rings: number[][] = []
  let holes = 0
  for (let v0 = 0; v0 < out.length; v0++) {
    while (out[v0] !== 0) {
      const d0 = lowestBit(out[v0]!)
      const ring = traceLoop(out, VW, v0, d0)
      if (signedArea(ring) > 0) {
        for (let i = 0; i < ring.length; i += 2) {
          ring[i] = ring[i]! + bx
          ring[i + 1] = ring[i + 1]! + by
        }
        rings.push(ring)
      } else holes++
    }
  }
  return { rings, holes }
}

const lowestBit = (bits: number): number => (bits & 1 ? 0 : bits & 2 ? 1 : bits & 4 ? 2 : 3)

/**
 * Follows boundary edges from corner `v0` leaving in direction `d0` until the loop closes, using
 * each edge up. Where two parts touch only at a corner, the right turn keeps to the pixel being
 * followed, so diagonal neighbours stay separate parts (4-connectivity). Returns the corners
 * where the direction changes, as a flat ring in box coordinates.
 */
function traceLoop(out: Uint8Array, VW: number, v0: number, d0: number): number[] {
  const ring: number[] = []
  let v = v0
  let d = d0
  while (true) {
    out[v] = out[v]! & ~(1 << d)
    v += DX[d]! + DY[d]! * VW
    const bits = out[v]!
    const right = (d + 1) & 3
    const left = (d + 3) & 3
    // Back at the start: close when the start edge is where this loop would go next.
    const here = v === v0 ? bits | (1 << d0) : bits
    const next = here & (1 << right) ? right : here & (1 << d) ? d : left
    // Edges form closed loops (every corner has as many edges in as out): never reached.
    if ((here & (1 << next)) === 0) throw new Error('mask outline: open boundary')
    if (v === v0 && next === d0) {
      if (d !== d0) ring.unshift(v % VW, Math.floor(v / VW))
      return ring
    }
    if (next !== d) ring.push(v % VW, Math.floor(v / VW))
    d = next
  }
}

/** Shoelace area of a flat ring: positive for outer outlines (clockwise on screen), negative for holes. */
function signedArea(ring: readonly number[]): number {
  let sum = 0
  const n = ring.length
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n
    sum += ring[i]! * ring[j + 1]! - ring[j]! * ring[i + 1]!
  }
  return sum / 2
}
