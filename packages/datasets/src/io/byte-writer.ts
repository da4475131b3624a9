import { fixed6Units, formatFixed6 } from '../conventions'

/** How far past [0, 1] a normalised value may lie before its clip counts: one printed unit, the YOLO round-trip tolerance. */
export const CLIP_SLACK = 1e-6

/** Bytes of "000".."999", so six decimals are two table copies instead of six divisions. */
const TRIPLES = new Uint8Array(3000)
for (let i = 0; i < 1000; i++) {
  TRIPLES[i * 3] = 48 + Math.floor(i / 100)
  TRIPLES[i * 3 + 1] = 48 + (Math.floor(i / 10) % 10)
  TRIPLES[i * 3 + 2] = 48 + (i % 10)
}

const ARENA = 1 << 20

/** ` d.dddddd` (9 bytes) at `p` for 0 ≤ v ≤ 1, rounded as {@link fixed6Units}. */
function put6(b: Buffer, p: number, v: number): void {
  const scaled = v * 1e6
  const frac = scaled - Math.floor(scaled)
  // Math.round is exact away from ties; near a tie the exact half-even path decides.
  const units = frac > 0.5 - 1e-9 && frac < 0.5 + 1e-9 ? fixed6Units(v) : Math.round(scaled)
  const int = units >= 1e6 ? 1 : 0
  // As an int32, the division by 1000 compiles to a multiply and shift.
  const rest = (units - int * 1e6) | 0
  const hi = (rest / 1000) | 0
  const lo = rest - hi * 1000
  b[p] = 32
  b[p + 1] = 48 + int
  b[p + 2] = 46
  b[p + 3] = TRIPLES[hi * 3]!
  b[p + 4] = TRIPLES[hi * 3 + 1]!
  b[p + 5] = TRIPLES[hi * 3 + 2]!
  b[p + 6] = TRIPLES[lo * 3]!
  b[p + 7] = TRIPLES[lo * 3 + 1]!
  b[p + 8] = TRIPLES[lo * 3 + 2]!
}

/**
 * A byte arena for label text. YOLO files are millions of 6-decimal numbers; writing their digits
 * straight into bytes skips building, joining and re-encoding strings, which was most of the
 * conversion's time and garbage. {@link take} hands out views, not copies: a full arena is left to
 * the writes still holding it and a new one is started.
 */
export class ByteWriter {
  buf: Buffer
  private start = 0
  length = 0

  constructor(size = ARENA) {
    this.buf = Buffer.allocUnsafeSlow(size)
  }

  private grow(extra: number): void {
    const record = this.length - this.start
    let size = ARENA
    while (size < (record + extra) * 2) size *= 2
    const next = Buffer.allocUnsafeSlow(size)
    this.buf.copy(next, 0, this.start, this.length)
    this.buf = next
    this.start = 0
    this.length = record
  }

  byte(c: number): void {
    if (this.length + 1 > this.buf.length) this.grow(1)
    this.buf[this.length++] = c
  }

  ascii(s: string): void {
    if (this.length + s.length > this.buf.length) this.grow(s.length)
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i)
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    if (n < 10) {
      this.byte(48 + n)
      return
    }
    this.ascii(String(n))
  }

  /** `formatFixed6(value)` as bytes, preceded by a space when `space`; fast for 0 ≤ value < 10. */
  fixed6(value: number, space = false): void {
    if (!(value >= 0 && value < 9.9999995)) {
      if (space) this.byte(32)
      this.ascii(formatFixed6(value))
      return
    }
    if (this.length + 10 > this.buf.length) this.grow(10)
    const units = fixed6Units(value)
    const int = Math.floor(units / 1e6)
    const rest = units - int * 1e6
    const hi = Math.floor(rest / 1000)
    const lo = rest - hi * 1000
    const b = this.buf
    let p = this.length
    if (space) b[p++] = 32
    b[p++] = 48 + int
    b[p++] = 46
    b[p++] = TRIPLES[hi * 3]!
    b[p++] = TRIPLES[hi * 3 + 1]!
    b[p++] = TRIPLES[hi * 3 + 2]!
    b[p++] = TRIPLES[lo * 3]!
    b[p++] = TRIPLES[lo * 3 + 1]!
    b[p++] = TRIPLES[lo * 3 + 2]!
    this.length = p
  }

  /**
   * One YOLO polygon line: `cls x1 y1 … xn yn\n` from pixel coordinates scaled by `sx`/`sy`,
   * clipped into [0, 1]. Returns how many points were clipped. The hot loop of COCO → YOLO:
   * room is reserved once per line and the digits are written inline.
   */
  polygonLine(cls: number, ring: readonly number[], sx: number, sy: number): number {
    this.int(cls)
    const need = ring.length * 10 + 1
    if (this.length + need > this.buf.length) this.grow(need)
    const b = this.buf
    let p = this.length
    let clipped = 0
    const n = ring.length - 1
    for (let i = 0; i < n; i += 2) {
      let x = ring[i]! * sx
      let y = ring[i + 1]! * sy
      // Clipped always; counted only past one printed unit (1e-6), as a value that close
      // prints the same either way: YOLO input read back is there by rounding, not by error.
      if (!(x >= 0 && x <= 1)) {
        if (!(x >= -CLIP_SLACK && x <= 1 + CLIP_SLACK)) clipped++
        x = x > 1 ? 1 : 0
      }
      if (!(y >= 0 && y <= 1)) {
        if (!(y >= -CLIP_SLACK && y <= 1 + CLIP_SLACK)) clipped++
        y = y > 1 ? 1 : 0
      }
      put6(b, p, x)
      put6(b, p + 9, y)
      p += 18
    }
    b[p++] = 10
    this.length = p
    return clipped
  }

  /** What was written since the last take, as a view (valid until the caller drops it). */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.length)
    this.start = this.length
    return out
  }
}
