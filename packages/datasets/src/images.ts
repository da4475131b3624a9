import { existsSync } from 'node:fs'
import { copyFile, link, mkdir, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ImageTransfer } from './context'
import { DatasetError } from './errors'
import { mapLimit } from './io/fs'
import { type ExifPolicy, readImageSize } from './io/image-header'
import type { Dataset, ImageRecord } from './model'
import type { ReportBuilder } from './report'

/** The image file of `img`, looked up once in the dataset's image folders; `undefined` if absent. */
export function locateImage(dataset: Dataset, img: ImageRecord): string | undefined {
  if (img.path !== undefined) return img.path
  const dirs = dataset.imageDirs?.[img.split] ?? dataset.imageDirs?.[''] ?? []
  for (const dir of dirs) {
    const candidate = join(dir, img.fileName)
    if (existsSync(candidate)) {
      img.path = candidate
      return candidate
    }
  }
  return undefined
}

/**
 * Fills in missing width/height from image headers (never decoding pixels). Images that are
 * missing or unreadable are counted in the report and keep no size; callers decide what that costs.
 */
export async function fillImageSizes(
  dataset: Dataset,
  exif: ExifPolicy,
  report: ReportBuilder,
): Promise<void> {
  const need = dataset.images.filter((i) => i.width === undefined || i.height === undefined)
  await mapLimit(need, 32, async (img) => {
    const path = locateImage(dataset, img)
    if (path === undefined) {
      report.missingImage(img.fileName)
      return
    }
    const size = await readImageSize(path, exif)
    if (size === undefined) {
      report.warn('IMAGE_UNREADABLE', 'image header not recognised', img.fileName)
      return
    }
    img.width = size.width
    img.height = size.height
  })
}

/** Brings one image into the output as `mode` says; a missing source is reported, not fatal. */
export async function transferImage(
  dataset: Dataset,
  img: ImageRecord,
  dest: string,
  mode: ImageTransfer,
  report: ReportBuilder,
  madeDirs: Set<string>,
): Promise<boolean> {
  if (mode === 'none') return false
  const src = locateImage(dataset, img)
  if (src === undefined) {
    report.missingImage(img.fileName)
    return false
  }
  const dir = dirname(dest)
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true })
    madeDirs.add(dir)
  }
  try {
    if (mode === 'copy') await copyFile(src, dest)
    else if (mode === 'symlink') await symlink(src, dest)
    else {
      try {
        await link(src, dest)
      } catch {
        await copyFile(src, dest)
      }
    }
    return true
  } catch (cause) {
    throw new DatasetError('DATASET_IO_ERROR', `cannot place image ${img.fileName}`, {
      file: dest,
      cause,
    })
  }
}

/** Transfers every image of the dataset to `destOf(img)`, 16 at a time. */
export async function transferImages(
  dataset: Dataset,
  destOf: (img: ImageRecord) => string,
  mode: ImageTransfer,
  report: ReportBuilder,
): Promise<number> {
  if (mode === 'none') return 0
  const made = new Set<string>()
  const placed = await mapLimit(dataset.images, 16, (img) =>
    transferImage(dataset, img, destOf(img), mode, report, made),
  )
  return placed.filter(Boolean).length
}
