import type { Rle } from './model'

/**
 * COCO run-length masks. Counts alternate background/foreground runs over the mask in
 * column-major order, starting with background. The compressed form is pycocotools' string: each
 * count (after the third, as a difference from the count two places back) in 5-bit groups, least
 * significant first, with a continuation bit (0x20) and sign extension from bit 0x10, plus 48.
 * Arithmetic is done on numbers, not 32-bit bit operators, so counts above 2³¹ stay exact.
 */
export function encodeRleCounts(counts: readonly number[]): string {
  let out = ''
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!
    if (i > 2) x -= counts[i - 2]!
    let more = true
    while (more) {
      let c = ((x % 32) + 32) % 32
      x = Math.floor(x / 32)
      more = c & 0x10 ? x !== -1 : x !== 0
      if (more) c |= 0x20
      out += String.fromCharCode(c + 48)
    }
  }
  return out
}

/** Inverse of {@link encodeRleCounts}; throws a plain `Error` on a malformed string. */
export function decodeRleCounts(text: string): number[] {
  const counts: number[] = []
  let p = 0
  while (p < text.length) {
    let x = 0
    let k = 0
    let more = true
    let scale = 1
    while (more) {
      if (p >= text.length) throw new Error('RLE string ends inside a count')
      const c = text.charCodeAt(p) - 48
      if (c < 0 || c > 63) throw new Error(`invalid RLE character at ${p}`)
      x += (c & 0x1f) * scale
      scale *= 32
      more = (c & 0x20) !== 0
      p++
      k++
      if (!more && c & 0x10) x -= scale
      if (k > 12) throw new Error('RLE count too long')
    }
    if (counts.length > 2) x += counts[counts.length - 2]!
    counts.push(x)
  }
  return counts
}

/** Foreground pixel count. */
export function rleArea(rle: Rle): number {
  let area = 0
  for (let i = 1; i < rle.counts.length; i += 2) area += rle.counts[i]!
  return area
}

/**
 * Box `[x, y, w, h]` covering the foreground pixels as cells (`max − min + 1`, as pycocotools
 * `toBbox`). Used only when an annotation stores no `bbox`; stored boxes pass through unchanged.
 */
export function rleBox(rle: Rle): [number, number, number, number] {
  const [h] = rle.size
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = -1
  let maxY = -1
  let pos = 0
  for (let i = 0; i < rle.counts.length; i++) {
    const n = rle.counts[i]!
    if (i % 2 === 1 && n > 0) {
      const start = pos
      const end = pos + n - 1
      const x0 = Math.floor(start / h)
      const x1 = Math.floor(end / h)
      if (x0 < minX) minX = x0
      if (x1 > maxX) maxX = x1
      if (x1 > x0) {
        // The run wraps into the next column: it touches both the last and the first row.
        minY = 0
        maxY = h - 1
      } else {
        minY = Math.min(minY, start % h)
        maxY = Math.max(maxY, end % h)
      }
    }
    pos += n
  }
  if (maxX < 0) return [0, 0, 0, 0]
  return [minX, minY, maxX + 1 - minX, maxY + 1 - minY]
}

/** Calls `visit` with every foreground pixel, in the RLE's column-major order. */
export function forEachRlePixel(rle: Rle, visit: (x: number, y: number) => void): void {
  const h = rle.size[0]
  let pos = 0
  for (let i = 0; i < rle.counts.length; i++) {
    const n = rle.counts[i]!
    if (i % 2 === 1) {
      for (let k = pos; k < pos + n; k++) {
        const x = Math.floor(k / h)
        visit(x, k - x * h)
      }
    }
    pos += n
  }
}

/** Foreground pixel indices in row-major order (`y × width + x`), sorted: DM's segmentation data. */
export function rleToPixelIndices(rle: Rle): number[] {
  const w = rle.size[1]
  const out: number[] = []
  forEachRlePixel(rle, (x, y) => out.push(y * w + x))
  return out.sort((a, b) => a - b)
}

/**
 * Inverse of {@link rleToPixelIndices}; indices outside the image (or repeated) are ignored.
 * Works on the foreground only (sorting its column-major positions), never on a full-image mask:
 * crowd regions are a few thousand pixels of a few hundred thousand.
 */
export function pixelIndicesToRle(indices: readonly number[], height: number, width: number): Rle {
  const total = height * width
  const pos = new Float64Array(indices.length)
  let n = 0
  for (const idx of indices) {
    if (idx >= 0 && idx < total && Number.isInteger(idx)) {
      const y = Math.floor(idx / width)
      pos[n++] = (idx - y * width) * height + y
    }
  }
  const sorted = pos.subarray(0, n).sort()
  const counts: number[] = []
  let cursor = 0
  let i = 0
  while (i < n) {
    const start = sorted[i]!
    let end = start
    i++
    while (i < n && sorted[i]! <= end + 1) {
      end = Math.max(end, sorted[i]!)
      i++
    }
    counts.push(start - cursor, end - start + 1)
    cursor = end + 1
  }
  counts.push(total - cursor)
  return { size: [height, width], counts }
}
