import { open } from 'node:fs/promises'
import { imageSize } from 'image-size'

/**
 * `apply`: EXIF orientations 5–8 (the four that transpose the image) swap width and height, so
 * sizes are those of the image as displayed; `ignore`: the stored pixel grid, as PIL's `.size`.
 */
export type ExifPolicy = 'apply' | 'ignore'

const FIRST_READ = 4096
const MAX_READ = 1 << 20

/**
 * Width and height from the image header, without decoding pixels. Reads 4 KiB, then more when the
 * header runs past it (a JPEG's SOF can follow a large EXIF segment). `undefined` when the file is
 * missing or not a recognised image.
 */
export async function readImageSize(
  path: string,
  exif: ExifPolicy,
): Promise<{ width: number; height: number; orientation?: number } | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch {
    return undefined
  }
  try {
    let size = FIRST_READ
    while (true) {
      const buffer = Buffer.allocUnsafe(size)
      const { bytesRead } = await handle.read(buffer, 0, size, 0)
      try {
        const dims = imageSize(buffer.subarray(0, bytesRead))
        if (dims.width === undefined || dims.height === undefined) return undefined
        const o = dims.orientation
        const swap = exif === 'apply' && o !== undefined && o >= 5 && o <= 8
        const out: { width: number; height: number; orientation?: number } = swap
          ? { width: dims.height, height: dims.width }
          : { width: dims.width, height: dims.height }
        if (o !== undefined) out.orientation = o
        return out
      } catch {
        if (bytesRead < size || size >= MAX_READ) return undefined
        size *= 8
      }
    }
  } finally {
    await handle.close()
  }
}
