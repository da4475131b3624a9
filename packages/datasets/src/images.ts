import { constants, existsSync } from 'node:fs'
import { copyFile, link, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ImageTransfer } from './context'
import { DatasetError } from './errors'
import { type FileSink, mapLimit } from './io/fs'
import { type ExifPolicy, readImageSizeSync } from './io/image-header'
import type { Dataset, ImageRecord } from './model'
import { imageKey, type ReportBuilder } from './report'

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
 * Blocking reads, in order: from the page cache a 4 KiB header read is a few microseconds, and
 * the thread pool's round trips (open, read, close) cost more than the reads themselves.
 */
export async function fillImageSizes(
  dataset: Dataset,
  exif: ExifPolicy,
  report: ReportBuilder,
  signal?: AbortSignal,
): Promise<void> {
  let done = 0
  for (const img of dataset.images) {
    if (img.width !== undefined && img.height !== undefined) continue
    if ((++done & 255) === 0) {
      signal?.throwIfAborted()
      // Let timers and the abort listener run on a long list.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    const path = locateImage(dataset, img)
    if (path === undefined) {
      report.missingImage(imageKey(img), img.fileName)
      continue
    }
    const size = readImageSizeSync(path, exif)
    if (size === undefined) {
      report.warn('IMAGE_UNREADABLE', 'image header not recognised', img.fileName)
      continue
    }
    img.width = size.width
    img.height = size.height
  }
}

/**
 * Brings one image into the output as `mode` says; a missing source is reported, not fatal. The
 * destination is checked against the output root (through `files`) before anything is created,
 * and is never overwritten: with hard links, copying over an existing destination would write
 * into the inode it shares with another input image.
 */
export async function transferImage(
  dataset: Dataset,
  img: ImageRecord,
  dest: string,
  mode: ImageTransfer,
  report: ReportBuilder,
  files: FileSink,
): Promise<boolean> {
  if (mode === 'none') return false
  const src = locateImage(dataset, img)
  if (src === undefined) {
    report.missingImage(imageKey(img), img.fileName)
    return false
  }
  files.root?.check(dest)
  await files.mkdir(dirname(dest))
  try {
    if (mode === 'copy') await copyFile(src, dest, constants.COPYFILE_EXCL)
    else if (mode === 'symlink') await symlink(src, dest)
    else {
      try {
        await link(src, dest)
      } catch (error) {
        // Only a link the file system refuses (another device, no hard links) falls back to a copy.
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error
        await copyFile(src, dest, constants.COPYFILE_EXCL)
      }
    }
    return true
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DatasetError(
        'DATASET_PATH_ERROR',
        `two images would be placed at one path (${img.fileName})`,
        { file: dest, cause },
      )
    }
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
  ctx: { report: ReportBuilder; files: FileSink },
): Promise<number> {
  if (mode === 'none') return 0
  const placed = await mapLimit(dataset.images, 16, (img) =>
    transferImage(dataset, img, destOf(img), mode, ctx.report, ctx.files),
  )
  return placed.filter(Boolean).length
}
