// Header-only image files: enough for a size read, no pixels. No test-runner imports, so the
// benchmarks' workload generator and other packages' tests use them too.

function crc32(bytes: Uint8Array): number {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

/** A PNG holding only a signature, IHDR and IEND: enough for a header read, no pixels. */
export function pngStub(width: number, height: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))])
}

/**
 * A JPEG: JFIF APP0, an EXIF APP1 segment carrying `orientation` when given, then a SOF0 giving
 * the stored size.
 * `padding` bytes of APP2 before the SOF push it past the first 4 KiB read.
 */
export function jpegStub(width: number, height: number, orientation?: number, padding = 0): Buffer {
  // SOI, then a JFIF APP0 as real files start (image-size does not take a JPEG without one).
  const parts: Buffer[] = [
    Buffer.from([0xff, 0xd8]),
    Buffer.from([
      0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
      0x01, 0x00, 0x00,
    ]),
  ]
  if (orientation !== undefined) {
    // TIFF header (big endian), one IFD entry: 0x0112 SHORT 1 = orientation.
    const tiff = Buffer.from([
      0x4d,
      0x4d,
      0x00,
      0x2a,
      0x00,
      0x00,
      0x00,
      0x08,
      0x00,
      0x01,
      0x01,
      0x12,
      0x00,
      0x03,
      0x00,
      0x00,
      0x00,
      0x01,
      0x00,
      orientation,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
    ])
    const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff])
    const len = Buffer.alloc(2)
    len.writeUInt16BE(body.length + 2)
    parts.push(Buffer.from([0xff, 0xe1]), len, body)
  }
  let left = padding
  while (left > 0) {
    const n = Math.min(left, 65000)
    const len = Buffer.alloc(2)
    len.writeUInt16BE(n + 2)
    parts.push(Buffer.from([0xff, 0xe2]), len, Buffer.alloc(n))
    left -= n
  }
  const sof = Buffer.alloc(17)
  sof.writeUInt16BE(17, 0)
  sof[2] = 8
  sof.writeUInt16BE(height, 3)
  sof.writeUInt16BE(width, 5)
  sof[7] = 3
  parts.push(Buffer.from([0xff, 0xc0]), sof, Buffer.from([0xff, 0xd9]))
  return Buffer.concat(parts)
}
