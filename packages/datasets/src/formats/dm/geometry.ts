/**
 * DM stores an oriented box as a `bounding_box` `[x, y, w, h]` plus a `rotation` attr: radians,
 * about the box centre, positive turning +x towards +y (clockwise on screen, y pointing down).
 */
export function rotatedBoxCorners(
  x: number,
  y: number,
  w: number,
  h: number,
  rotation: number,
): number[] {
  const cx = x + w / 2
  const cy = y + h / 2
  const c = Math.cos(rotation)
  const s = Math.sin(rotation)
  const out: number[] = []
  for (const [dx, dy] of [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ] as const) {
    out.push(cx + dx * c - dy * s, cy + dx * s + dy * c)
  }
  return out
}

/** The rotated box an OBB is, or `undefined` when its four corners are not a rectangle. */
export function cornersToRotatedBox(
  obb: readonly number[],
): { box: [number, number, number, number]; rotation: number } | undefined {
  if (obb.length !== 8) return undefined
  const [x1, y1, x2, y2, x3, y3] = obb as [number, number, number, number, number, number]
  const w = Math.hypot(x2 - x1, y2 - y1)
  const h = Math.hypot(x3 - x2, y3 - y2)
  const rotation = Math.atan2(y2 - y1, x2 - x1)
  let cx = 0
  let cy = 0
  for (let i = 0; i < 8; i += 2) {
    cx += obb[i]! / 4
    cy += obb[i + 1]! / 4
  }
  const box: [number, number, number, number] = [cx - w / 2, cy - h / 2, w, h]
  const back = rotatedBoxCorners(box[0], box[1], w, h, rotation)
  const tol = 1e-6 * Math.max(1, w, h, Math.abs(cx), Math.abs(cy))
  for (let i = 0; i < 8; i++) if (Math.abs(back[i]! - obb[i]!) > tol) return undefined
  return { box, rotation }
}
