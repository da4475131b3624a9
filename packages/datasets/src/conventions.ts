/**
 * Coordinate and number conventions, stated once. The README repeats them; tests pin each edge.
 *
 * - Hub coordinates: absolute pixels, continuous, origin at the top-left corner (COCO's convention).
 * - COCO: `bbox = [x, y, w, h]` in hub coordinates, floats kept as they are.
 * - YOLO: hub coordinates divided by the image width/height, written with 6 decimals, rounded half
 *   to even on exact binary ties (what Python's `%.6f` does, so output matches synapse-sdk's byte
 *   for byte). Values outside [0, 1] are clipped on write and counted in the loss report;
 *   Ultralytics drops a whole label file that has one.
 * - VOC: `xmin = x + origin`, `xmax = x + w` (inclusive right pixel when origin is 1). The default
 *   origin is 0 (what Datumaro, FiftyOne, supervision and synapse-sdk do); `vocOrigin: 1` follows
 *   the VOC devkit. Never guessed from the data.
 * - Clipping: only the YOLO writer clips (the format forbids values outside [0, 1]). Every other
 *   writer passes coordinates through, and `validateDataset` reports boxes outside the image.
 * - VOC stores corners: `w = xmax − x`, `xmax = x + w`, computed as exact decimals when both
 *   numbers have at most 6 decimals (`488.34 − 410.09` is `78.25`, not `78.25000000000006`), in
 *   float arithmetic otherwise.
 * - Round-trip tolerance: through YOLO, `1e-6 × image side` pixels per coordinate; through VOC,
 *   exact for coordinates of up to 6 decimals, and within float rounding (below 1e-9 px) for
 *   longer ones; every other path is exact (numbers are written in their shortest round-tripping
 *   form).
 */

/**
 * Maximum pixel error of a coordinate that went through a YOLO file, per pixel of image side:
 * each written value is within 0.5·10⁻⁶ of the exact one, and a box corner is `cx − w/2`.
 */
export const YOLO_TOLERANCE = 1e-6

/**
 * `value` with 6 decimals, rounded half to even on exact ties, as Python's `'%.6f' % value`.
 * JavaScript's `toFixed` rounds exact ties up (`(5 / 640).toFixed(6)` is `0.007813`, Python gives
 * `0.007812`). Integer math instead of `toFixed`: twice as fast, and the hot loop of YOLO writing.
 */
export function formatFixed6(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  // Negative zero is written as 0.000000 (Python would write -0.000000; a label never needs it).
  if (value < 0) {
    const body = formatFixed6(-value)
    return `-${body}`
  }
  if (value * 1e6 >= 2 ** 51) return value.toFixed(6)
  const units = fixed6Units(value)
  const int = Math.floor(units / 1e6)
  const rest = units - int * 1e6
  return `${int}.${PAD[rest < 10 ? 5 : rest < 100 ? 4 : rest < 1000 ? 3 : rest < 10000 ? 2 : rest < 100000 ? 1 : 0]}${rest}`
}

/**
 * `value × 10⁶` rounded to an integer exactly as {@link formatFixed6} rounds (half to even on exact
 * ties), for `0 ≤ value` and `value × 10⁶ < 2⁵¹`. The product carries at most |product|·2⁻⁵³ of
 * error; only a fraction that close to one half can round the wrong way, so only those take the
 * exact path.
 */
export function fixed6Units(value: number): number {
  const scaled = value * 1e6
  const floor = Math.floor(scaled)
  const frac = scaled - floor
  if (Math.abs(frac - 0.5) > 1e-9) return frac < 0.5 ? floor : floor + 1
  return floor + roundUpExact(value, scaled, frac, floor)
}

/**
 * 1 when `value × 10⁶` (exactly) lies above `floor + ½`, 0 below; on an exact tie, whichever
 * makes the result even. The rounding error of the product is recovered exactly with Dekker's
 * two-product (10⁶ has 14 significant bits, so the split halves multiply without error).
 */
function roundUpExact(value: number, scaled: number, frac: number, floor: number): number {
  const c = 134217729 * value
  const hi = c - (c - value)
  const lo = value - hi
  const err = hi * 1e6 - scaled + lo * 1e6
  const above = frac - 0.5 + err
  if (above > 0) return 1
  if (above < 0) return 0
  return floor % 2 === 0 ? 0 : 1
}

const PAD = ['', '0', '00', '000', '0000', '00000']

/** VOC pixel origin: 0 (tools' convention, the default) or 1 (the VOC devkit's). */
export type VocOrigin = 0 | 1

/**
 * `a ± b` as the exact decimal result when both are numbers of at most 6 decimals (what VOC files
 * and COCO boxes hold), else plain float arithmetic. Float arithmetic alone turns `488.34 − 410.09`
 * into `78.25000000000006`: noise in the output, and a round trip that drifts. Both operands then
 * are `k / 10⁶` for integers `k` (correctly rounded), so the integer sum of the `k`s divided once
 * by 10⁶ is the correctly rounded double of the exact decimal result.
 */
export function decimalAdd(a: number, b: number): number {
  const r = a + b
  if (Number.isInteger(r) && Number.isInteger(a)) return r
  const ka = Math.round(a * 1e6)
  const kb = Math.round(b * 1e6)
  if (ka / 1e6 !== a || kb / 1e6 !== b || Math.abs(ka) > 2 ** 52 || Math.abs(kb) > 2 ** 52) return r
  return (ka + kb) / 1e6
}

/**
 * 10⁰ … 10¹⁵, all exact doubles: a decimal of up to 15 digits is its digits (an exact integer)
 * over one of these, and that one division rounds correctly, as parsing the text would.
 */
export const POW10 = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
] as const

/** Decimal places of `x` when it has at most 6 (as a correctly rounded decimal), else -1. */
function decimals(x: number): number {
  for (let d = 0; d <= 6; d++) {
    const k = Math.round(x * POW10[d]!)
    if (k / POW10[d]! === x) return Math.abs(k) <= 2 ** 53 ? d : -1
  }
  return -1
}

/**
 * `a × b` as the exact decimal product when both have at most 6 decimals and the product's
 * digits fit a double exactly, else the float product. A box area `31.6 × 101.72` is then
 * `3214.352`, not `3214.3520000000003`.
 */
export function decimalMul(a: number, b: number): number {
  const r = a * b
  if (Number.isInteger(a) && Number.isInteger(b)) return r
  const da = decimals(a)
  const db = decimals(b)
  if (da < 0 || db < 0) return r
  const digits = Math.round(a * POW10[da]!) * Math.round(b * POW10[db]!)
  if (Math.abs(digits) > 2 ** 53) return r
  return digits / (POW10[da]! * POW10[db]!)
}

/** VOC `bndbox` → hub `[x, y, w, h]`, with {@link decimalAdd}'s exact decimal differences. */
export function vocToBox(
  xmin: number,
  ymin: number,
  xmax: number,
  ymax: number,
  origin: VocOrigin,
): [number, number, number, number] {
  const x = origin === 0 ? xmin : decimalAdd(xmin, -origin)
  const y = origin === 0 ? ymin : decimalAdd(ymin, -origin)
  return [x, y, decimalAdd(xmax, -x), decimalAdd(ymax, -y)]
}

/** Hub `[x, y, w, h]` → VOC `[xmin, ymin, xmax, ymax]`, with exact decimal sums. */
export function boxToVoc(
  box: readonly [number, number, number, number],
  origin: VocOrigin,
): [number, number, number, number] {
  const [x, y, w, h] = box
  return [
    origin === 0 ? x : decimalAdd(x, origin),
    origin === 0 ? y : decimalAdd(y, origin),
    decimalAdd(x, w),
    decimalAdd(y, h),
  ]
}

/** Clips a normalised value into [0, 1]; the caller counts the clip. */
export function clip01(value: number): number {
  return value < 0 ? 0 : Math.min(value, 1)
}

/** Shortest text that reads back as the same number, integers without a decimal point. */
export function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value)
}

/** Extent of one or more flat `[x, y, …]` rings as `[x, y, w, h]`. */
export function ringsExtent(
  rings: readonly (readonly number[])[],
): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i += 2) {
      const x = ring[i]!
      const y = ring[i + 1]!
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  if (minX === Number.POSITIVE_INFINITY) return [0, 0, 0, 0]
  // Exact decimal extents, as for VOC boxes: pixel coordinates from YOLO have 6 decimals.
  return [minX, minY, decimalAdd(maxX, -minX), decimalAdd(maxY, -minY)]
}

/** Area of the rings by the shoelace formula (rings after the first are not subtracted: COCO
 * polygon rings are parts of one object, not holes). */
export function ringsArea(rings: readonly (readonly number[])[]): number {
  let total = 0
  for (const ring of rings) {
    let sum = 0
    const n = ring.length >> 1
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n
      sum += ring[2 * i]! * ring[2 * j + 1]! - ring[2 * j]! * ring[2 * i + 1]!
    }
    total += Math.abs(sum) / 2
  }
  return total
}
