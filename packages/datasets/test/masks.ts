import type { Rle } from '../src/model'

/** A 0/1 grid from text rows, `#` for foreground. */
export const maskGrid = (rows: readonly string[]): number[][] =>
  rows.map((r) => [...r].map((c) => (c === '#' ? 1 : 0)))

/** Column-major RLE (COCO's order) of a row-major 0/1 grid. */
export function gridToRle(grid: readonly (readonly number[])[]): Rle {
  const h = grid.length
  const w = grid[0]!.length
  const counts: number[] = []
  let value = 0
  let run = 0
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      if (grid[y]![x] !== value) {
        counts.push(run)
        value = grid[y]![x]!
        run = 0
      }
      run++
    }
  }
  counts.push(run)
  return { size: [h, w], counts }
}

/** Whether (px, py) lies inside the flat ring (even-odd; never called on an edge here). */
export function insideRing(ring: readonly number[], px: number, py: number): boolean {
  let odd = false
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const [xi, yi, xj, yj] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!]
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd
  }
  return odd
}
