/**
 * `JSON.stringify(value)` as UTF-8 bytes, without the intermediate string. COCO files are millions
 * of numbers, and most of `JSON.stringify`'s time on them goes into shortest round-trip number
 * printing; numbers that are exact multiples of 10⁻⁶ (integers, and most coordinates scaled from
 * YOLO's six decimals or VOC's pixels) are printed here with integer arithmetic instead, and the
 * rest go to the native printer (`JSON.stringify` of the number, or of its whole all-number array).
 * Anything that is not plain data (`toJSON`, class instances, BigInt) is handed to `JSON.stringify`
 * itself, so the bytes are always those of `Buffer.from(JSON.stringify(value))`.
 */
export function stringifyToBuffer(value: unknown): Buffer {
  const w = new JsonBytes()
  if (!w.value(value, '')) return Buffer.alloc(0)
  return w.bytes()
}

const MIN_SIZE = 1 << 16

/** Bytes of "000".."999", and how many trailing zeros each has. */
const TRIPLES = new Uint8Array(3000)
const TRAILING_ZEROS = new Uint8Array(1000)
for (let i = 0; i < 1000; i++) {
  TRIPLES[i * 3] = 48 + Math.floor(i / 100)
  TRIPLES[i * 3 + 1] = 48 + (Math.floor(i / 10) % 10)
  TRIPLES[i * 3 + 2] = 48 + (i % 10)
  TRAILING_ZEROS[i] = i === 0 ? 3 : i % 100 === 0 ? 2 : i % 10 === 0 ? 1 : 0
}

/** Decimal digits of an integer 0 ≤ n < 10⁹ at `p`; returns the end. */
function putInt(b: Buffer, p: number, n: number): number {
  // As int32s, `(v / 1000) | 0` compiles to a multiply and shift instead of a float division.
  const v = n | 0
  if (v < 1000) return putSmall(b, p, v)
  const thousands = (v / 1000) | 0
  const units = v - thousands * 1000
  if (thousands < 1000) return put3(b, putSmall(b, p, thousands), units)
  const millions = (thousands / 1000) | 0
  const q = put3(b, putSmall(b, p, millions), thousands - millions * 1000)
  return put3(b, q, units)
}

/** 0 ≤ v < 1000 without leading zeros. */
function putSmall(b: Buffer, p: number, v: number): number {
  const t = v * 3
  if (v >= 100) b[p++] = TRIPLES[t]!
  if (v >= 10) b[p++] = TRIPLES[t + 1]!
  b[p++] = TRIPLES[t + 2]!
  return p
}

/** 0 ≤ v < 1000 as exactly three digits. */
function put3(b: Buffer, p: number, v: number): number {
  const t = v * 3
  b[p] = TRIPLES[t]!
  b[p + 1] = TRIPLES[t + 1]!
  b[p + 2] = TRIPLES[t + 2]!
  return p + 3
}

/**
 * Writes `x` at `p` when it is an integer below 10⁹ in size, or a multiple of 10⁻⁶ below 10⁹ (as
 * `String(x)` prints it); returns the end, or -1 with nothing written. Room for 18 bytes needed.
 */
function putNumber(b: Buffer, p: number, x: number): number {
  if (Number.isInteger(x)) {
    if (x >= 0 && x < 1e9) return putInt(b, p, x) // -0 too: JSON prints it as 0
    if (x < 0 && x > -1e9) {
      b[p] = 0x2d
      return putInt(b, p + 1, -x)
    }
    return -1
  }
  const ax = x < 0 ? -x : x
  if (!(ax < 1e9)) return -1
  // When k / 10⁶ (a correctly rounded division, like parsing the decimal) gives back x, the
  // decimal k·10⁻⁶ reads back as x, and below 10⁹ (ulp < 10⁻⁶ / 2) no other multiple of 10⁻⁶,
  // hence no shorter decimal, does: it is the shortest round-trip form `String` prints.
  const k = Math.round(ax * 1e6)
  if (k / 1e6 !== ax) return -1
  const int = Math.floor(ax)
  const frac = (k - int * 1e6) | 0
  const hi = (frac / 1000) | 0
  const lo = frac - hi * 1000
  if (x < 0) b[p++] = 0x2d
  p = putInt(b, p, int)
  b[p++] = 0x2e
  b[p] = TRIPLES[hi * 3]!
  b[p + 1] = TRIPLES[hi * 3 + 1]!
  b[p + 2] = TRIPLES[hi * 3 + 2]!
  if (lo === 0) return p + 3 - TRAILING_ZEROS[hi]!
  b[p + 3] = TRIPLES[lo * 3]!
  b[p + 4] = TRIPLES[lo * 3 + 1]!
  b[p + 5] = TRIPLES[lo * 3 + 2]!
  return p + 6 - TRAILING_ZEROS[lo]!
}

/** A growing JSON text in bytes, for writers that know their document's shape. */
export class JsonBytes {
  buf: Buffer = Buffer.allocUnsafeSlow(MIN_SIZE)
  pos = 0

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos)
  }

  /**
   * `"key":value` preceded by a comma unless `first`, as a member of an object; returns whether
   * it was written (JSON.stringify leaves out members whose value it would not print).
   */
  member(key: string, v: unknown, first: boolean): boolean {
    const mark = this.pos
    if (!first) this.byte(0x2c)
    this.string(key)
    this.byte(0x3a)
    if (this.value(v, key)) return true
    this.pos = mark
    return false
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafeSlow(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  /** Bytes that are already JSON. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length)
    this.buf.set(bytes, this.pos)
    this.pos += bytes.length
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1)
    this.buf[this.pos++] = c
  }

  /** A string known to be ASCII (no escaping needed by the caller's choice). */
  ascii(s: string): void {
    const n = s.length
    this.room(n)
    const b = this.buf
    let p = this.pos
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i)
    this.pos = p
  }

  private utf8(s: string): void {
    this.room(s.length * 3)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }

  string(s: string): void {
    const n = s.length
    if (n < 64) {
      let plain = true
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
          plain = false
          break
        }
      }
      if (plain) {
        this.room(n + 2)
        const b = this.buf
        let p = this.pos
        b[p++] = 0x22
        for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i)
        b[p++] = 0x22
        this.pos = p
        return
      }
    }
    this.utf8(JSON.stringify(s))
  }

  /** Writes `x` if one of the quick paths prints it; false, with nothing written, otherwise. */
  private quick(x: number): boolean {
    if (this.pos + 40 > this.buf.length) this.room(40)
    const end = putNumber(this.buf, this.pos, x)
    if (end < 0) {
      if (Number.isFinite(x)) return false
      this.ascii('null')
      return true
    }
    this.pos = end
    return true
  }

  /**
   * An array of numbers, as {@link value} writes it, in one tight loop: the bulk of a COCO file is
   * polygon rings. Hands the array to {@link value} when an element is not a number the quick
   * paths print.
   */
  numbers(a: readonly number[]): void {
    const n = a.length
    // 19 bytes per number at most on the quick path: '-', 9 integer digits, '.', 6 decimals, ','.
    this.room(n * 19 + 2)
    const b = this.buf
    const start = this.pos
    let p = start
    b[p++] = 0x5b
    for (let i = 0; i < n; i++) {
      if (i > 0) b[p++] = 0x2c
      const x = a[i]
      const end = typeof x === 'number' ? putNumber(b, p, x) : -1
      if (end < 0) {
        this.pos = start
        this.array(a)
        return
      }
      p = end
    }
    b[p++] = 0x5d
    this.pos = p
  }

  number(x: number): void {
    // JSON.stringify of one number prints as String() does, without String's number-string cache.
    if (!this.quick(x)) this.ascii(JSON.stringify(x))
  }

  /**
   * Writes `v` (the value of property `key`) as JSON.stringify would; false, with nothing written,
   * where JSON.stringify would leave the property out.
   */
  value(v: unknown, key: string | number): boolean {
    if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON
      if (typeof toJSON === 'function') v = toJSON.call(v, String(key))
    }
    switch (typeof v) {
      case 'number':
        this.number(v)
        return true
      case 'string':
        this.string(v)
        return true
      case 'boolean':
        this.ascii(v ? 'true' : 'false')
        return true
      case 'object': {
        if (v === null) {
          this.ascii('null')
          return true
        }
        if (Array.isArray(v)) {
          this.array(v)
          return true
        }
        const proto = Object.getPrototypeOf(v)
        if (proto === Object.prototype || (proto === null && !isRawJson(v))) {
          this.object(v as Record<string, unknown>)
          return true
        }
        return this.fallback(v)
      }
      case 'undefined':
      case 'function':
      case 'symbol':
        return false
      default:
        return this.fallback(v)
    }
  }

  private fallback(v: unknown): boolean {
    const s = JSON.stringify(v) as string | undefined
    if (s === undefined) return false
    this.utf8(s)
    return true
  }

  private array(a: readonly unknown[]): void {
    const start = this.pos
    this.byte(0x5b)
    const n = a.length
    for (let i = 0; i < n; i++) {
      if (i > 0) this.byte(0x2c)
      const e = a[i]
      if (typeof e === 'number') {
        if (this.quick(e)) continue
        // A number the quick paths cannot print: when the array holds only numbers, the native
        // printer does the whole array faster than String() does each.
        if (allNumbers(a)) {
          this.pos = start
          this.ascii(JSON.stringify(a))
          return
        }
        this.ascii(JSON.stringify(e))
      } else if (!this.value(e, i)) this.ascii('null')
    }
    this.byte(0x5d)
  }

  private object(o: Record<string, unknown>): void {
    this.byte(0x7b)
    let first = true
    // for-in over a plain object is Object.keys order without the array; hasOwn keeps out anything
    // enumerable someone put on Object.prototype, as JSON.stringify does.
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue
      const e = o[k]
      const t = typeof e
      if (t === 'undefined' || t === 'function' || t === 'symbol') continue
      const mark = this.pos
      if (!first) this.byte(0x2c)
      this.string(k)
      this.byte(0x3a)
      // A toJSON may still turn the value into one that is left out: take the key back.
      if (this.value(e, k)) first = false
      else this.pos = mark
    }
    this.byte(0x7d)
  }
}

function allNumbers(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') return false
  return true
}

const isRawJson = (v: unknown): boolean =>
  (JSON as { isRawJSON?: (v: unknown) => boolean }).isRawJSON?.(v) ?? false
