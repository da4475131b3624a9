import { inflateSync } from 'node:zlib'

/** A decoded image as grey levels 0..255, row by row. */
export interface GreyImage {
  width: number
  height: number
  pixels: Uint8Array
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 }

/**
 * Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA) to grey levels. Enough
 * for the example's data without an image library; anything else is refused by name.
 */
export function decodePng(bytes: Uint8Array, file: string): GreyImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file}: not a PNG file`)
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const idat: Buffer[] = []
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset)
    const type = buf.toString('ascii', offset + 4, offset + 8)
    const data = buf.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const depth = data[8]
      const colour = data[9]!
      channels = CHANNELS[colour] ?? 0
      if (depth !== 8 || channels === 0 || data[12] !== 0) {
        throw new Error(
          `${file}: only 8-bit non-interlaced grey/RGB(A) PNGs are read (bit depth ${depth}, colour type ${colour}, interlace ${data[12]})`,
        )
      }
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const rows = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = rows.subarray(y * stride, (y + 1) * stride)
    const up = y === 0 ? new Uint8Array(stride) : rows.subarray((y - 1) * stride, y * stride)
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0
      const b = up[x]!
      const c = x >= channels ? up[x - channels]! : 0
      const v = line[x]!
      switch (filter) {
        case 0:
          out[x] = v
          break
        case 1:
          out[x] = v + a
          break
        case 2:
          out[x] = v + b
          break
        case 3:
          out[x] = v + ((a + b) >> 1)
          break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a)
          const pb = Math.abs(p - b)
          const pc = Math.abs(p - c)
          out[x] = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
          break
        }
        default:
          throw new Error(`${file}: row ${y} has unknown filter type ${filter}`)
      }
    }
  }
  const pixels = new Uint8Array(width * height)
  for (let i = 0; i < pixels.length; i++) {
    const p = i * channels
    pixels[i] =
      channels >= 3
        ? Math.round(0.299 * rows[p]! + 0.587 * rows[p + 1]! + 0.114 * rows[p + 2]!)
        : rows[p]!
  }
  return { width, height, pixels }
}
