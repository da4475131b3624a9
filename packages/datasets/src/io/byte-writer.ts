import { formatFixed6 } from '../conventions'

/**
 * A growable byte buffer for label text. YOLO files are millions of 6-decimal numbers; writing
 * their digits straight into bytes skips building, joining and re-encoding strings, which was
 * most of the conversion's time and garbage.
 */
export class ByteWriter {
  buf: Buffer
  length = 0

  constructor(size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(size)
  }

  private grow(extra: number): void {
    let size = this.buf.length * 2
    while (size < this.length + extra) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
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

  /** `formatFixed6(value)` as bytes; the common case (0 ≤ value < 10) without a string. */
  fixed6(value: number): void {
    const scaled = value * 1e6
    const floor = Math.floor(scaled)
    const frac = scaled - floor
    if (!(value >= 0 && value < 10) || Math.abs(frac - 0.5) <= 1e-9) {
      this.ascii(formatFixed6(value))
      return
    }
    const units = frac < 0.5 ? floor : floor + 1
    if (this.length + 9 > this.buf.length) this.grow(9)
    const b = this.buf
    let p = this.length
    const int = Math.floor(units / 1e6)
    let rest = units - int * 1e6
    if (int >= 10) {
      // 9.9999995 and up rounds to 10.000000.
      this.ascii(formatFixed6(value))
      return
    }
    b[p++] = 48 + int
    b[p++] = 46
    for (let k = p + 5; k >= p; k--) {
      const q = Math.floor(rest / 10)
      b[k] = 48 + rest - q * 10
      rest = q
    }
    this.length = p + 6
  }

  /** Copies out what was written and starts over. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.length))
    this.length = 0
    return out
  }
}
