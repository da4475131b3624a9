import { describe, expect, test } from 'vitest'
import { rleOutlines } from '../src/mask-outline'
import { gridToRle, insideRing, maskGrid } from './masks'

/** The grid with its holes filled: background not 8-connected to the border becomes foreground. */
function fillHoles(grid: number[][]): number[][] {
  const h = grid.length
  const w = grid[0]!.length
  const outside = grid.map((row) => row.map(() => false))
  const stack: [number, number][] = []
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if ((y === 0 || x === 0 || y === h - 1 || x === w - 1) && grid[y]![x] === 0)
        stack.push([x, y])
  while (stack.length > 0) {
    const [x, y] = stack.pop()!
    if (x < 0 || y < 0 || x >= w || y >= h || outside[y]![x] || grid[y]![x] === 1) continue
    outside[y]![x] = true
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ])
      stack.push([x + dx!, y + dy!])
  }
  return grid.map((row, y) => row.map((v, x) => (v === 1 || !outside[y]![x] ? 1 : 0)))
}

/** 4-connected parts of the foreground. */
function parts(grid: number[][]): number {
  const seen = grid.map((row) => row.map(() => false))
  let n = 0
  for (let y = 0; y < grid.length; y++) {
    for (let x = 0; x < grid[0]!.length; x++) {
      if (grid[y]![x] !== 1 || seen[y]![x]) continue
      n++
      const stack: [number, number][] = [[x, y]]
      while (stack.length > 0) {
        const [cx, cy] = stack.pop()!
        if (grid[cy]?.[cx] !== 1 || seen[cy]![cx]) continue
        seen[cy]![cx] = true
        stack.push([cx + 1, cy], [cx - 1, cy], [cx, cy + 1], [cx, cy - 1])
      }
    }
  }
  return n
}

describe('rleOutlines', () => {
  test('one pixel is its square', () => {
    expect(rleOutlines(gridToRle(maskGrid(['...', '.#.', '...'])))).toEqual({
      rings: [[1, 1, 2, 1, 2, 2, 1, 2]],
      holes: 0,
    })
  })

  test('corners only where the outline turns; parts touching at a corner stay apart', () => {
    const out = rleOutlines(gridToRle(maskGrid(['##..', '##..', '..##', '..##'])))
    expect(out.rings).toEqual([
      [0, 0, 2, 0, 2, 2, 0, 2],
      [2, 2, 4, 2, 4, 4, 2, 4],
    ])
  })

  test('a hole is filled and counted; an island in it is a part of its own', () => {
    const g = maskGrid(['#####', '#...#', '#.#.#', '#...#', '#####'])
    const out = rleOutlines(gridToRle(g))
    expect(out.holes).toBe(1)
    expect(out.rings).toEqual([
      [0, 0, 5, 0, 5, 5, 0, 5],
      [2, 2, 3, 2, 3, 3, 2, 3],
    ])
  })

  test('empty and full masks', () => {
    expect(rleOutlines({ size: [4, 5], counts: [20] })).toEqual({ rings: [], holes: 0 })
    expect(rleOutlines({ size: [4, 5], counts: [0, 20] }).rings).toEqual([[0, 0, 5, 0, 5, 4, 0, 4]])
  })

  test('filling the rings gives back the mask with its holes filled (random masks)', () => {
    let seed = 12345
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    for (let t = 0; t < 400; t++) {
      const h = 1 + Math.floor(rnd() * 12)
      const w = 1 + Math.floor(rnd() * 12)
      const density = rnd()
      const g = Array.from({ length: h }, () =>
        Array.from({ length: w }, () => (rnd() < density ? 1 : 0)),
      )
      const { rings, holes } = rleOutlines(gridToRle(g))
      const filled = fillHoles(g)
      const drawn = g.map((row, y) =>
        row.map((_, x) => (rings.some((r) => insideRing(r, x + 0.5, y + 0.5)) ? 1 : 0)),
      )
      expect(drawn).toEqual(filled)
      expect(rings.length).toBe(parts(g))
      expect(holes > 0).toBe(JSON.stringify(filled) !== JSON.stringify(g))
      for (const r of rings) {
        // Alternating horizontal and vertical edges: every corner is a real turn.
        for (let i = 0; i < r.length; i += 2) {
          const j = (i + 2) % r.length
          const k = (i + 4) % r.length
          const first = r[i] === r[j] ? 'v' : 'h'
          const second = r[j] === r[k] ? 'v' : 'h'
          expect(first).not.toBe(second)
        }
      }
    }
  })
})
