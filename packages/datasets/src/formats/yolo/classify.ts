import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ReadContext, WriteContext } from '../../context'
import { DatasetError } from '../../errors'
import { transferImages } from '../../images'
import { isImageName, listFiles } from '../../io/fs'
import { checkFolderName } from '../../io/output-names'
import type { Category, Dataset, ImageRecord } from '../../model'

const SPLITS = ['train', 'val', 'valid', 'test']

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
}

/**
 * Whether `root` looks like an Ultralytics classification set: no `images/`/`labels/`, and split
 * folders (or the root itself) holding one folder of images per class.
 */
export async function looksLikeClassify(root: string): Promise<boolean> {
  if (existsSync(join(root, 'images')) || existsSync(join(root, 'labels'))) return false
  let dirs: string[]
  try {
    dirs = await subdirs(root)
  } catch {
    return false
  }
  return dirs.length > 0
}

/**
 * Reads `root/<split>/<class>/<image>` (or `root/<class>/<image>` without splits). Class order is
 * the sorted folder names, as Ultralytics orders them; ids are index + 1. Each image gets one
 * image-level annotation; sizes come from the image headers when a writer needs them.
 */
export async function readYoloClassify(root: string, ctx: ReadContext): Promise<Dataset> {
  const top = await subdirs(root).catch((cause: unknown) => {
    throw new DatasetError('DATASET_IO_ERROR', 'cannot read the input folder', {
      file: root,
      cause,
    })
  })
  const splits = top.some((d) => SPLITS.includes(d)) ? top.filter((d) => SPLITS.includes(d)) : ['']
  const classNames = new Set<string>()
  const perSplit = new Map<string, string[]>()
  for (const split of splits) {
    const dir = split === '' ? root : join(root, split)
    const classes = await subdirs(dir)
    perSplit.set(split, classes)
    for (const c of classes) classNames.add(c)
  }
  if (classNames.size === 0) {
    throw new DatasetError(
      'DATASET_LAYOUT_ERROR',
      'no class folders found (expected <split>/<class>/<image>)',
      {
        file: root,
      },
    )
  }
  const categories: Category[] = [...classNames].sort().map((name, i) => ({ id: i + 1, name }))
  const byName = new Map(categories.map((c) => [c.name, c]))
  const dataset: Dataset = { categories, images: [], imageDirs: {} }
  for (const split of splits) {
    const dir = split === '' ? root : join(root, split)
    dataset.imageDirs![split] = [dir]
    for (const cls of perSplit.get(split) ?? []) {
      ctx.signal?.throwIfAborted()
      const files = await listFiles(join(dir, cls), isImageName)
      for (const f of files) {
        const img: ImageRecord = {
          id: dataset.images.length + 1,
          fileName: `${cls}/${f}`,
          split,
          path: join(dir, cls, f),
          annotations: [{ categoryId: byName.get(cls)!.id, imageClass: true }],
        }
        dataset.images.push(img)
      }
    }
  }
  ctx.report.report.read.images = dataset.images.length
  ctx.report.report.read.annotations = dataset.images.length
  ctx.report.report.read.categories = categories.length
  return dataset
}

/**
 * Writes `<split>/<class>/<image>`: each image goes under the folder of its one image-level
 * class. Images with none (or several), and object annotations, have no place and are reported.
 * Splits are named `train`/`val`/`test` as Ultralytics expects; without splits, `train`.
 */
export async function writeYoloClassify(
  dataset: Dataset,
  out: string,
  ctx: WriteContext,
): Promise<void> {
  const names = new Map(dataset.categories.map((c) => [c.id, c.name]))
  const placed = new Map<ImageRecord, string>()
  for (const img of dataset.images) {
    const classes = img.annotations.filter((a) => a.imageClass)
    const objects = img.annotations.length - classes.length
    if (objects > 0) {
      ctx.report.loss(
        'dropped',
        'object annotation',
        'classification folders hold one class per image, no objects',
        img.fileName,
        objects,
      )
    }
    const name = classes.length === 1 ? names.get(classes[0]!.categoryId) : undefined
    if (name === undefined) {
      ctx.report.loss(
        'dropped',
        'image',
        classes.length > 1
          ? 'more than one image-level class'
          : 'no image-level class to file it under',
        img.fileName,
      )
      continue
    }
    const split =
      img.split === '' ? 'train' : img.split.toLowerCase().startsWith('val') ? 'val' : img.split
    // The class name becomes a folder here, so it must be one folder name.
    checkFolderName(name, 'class name')
    placed.set(img, join(out, split, name, basename(img.fileName)))
    ctx.report.report.written.annotations++
  }
  await ctx.files.flush()
  const kept: Dataset = { ...dataset, images: [...placed.keys()] }
  const mode = ctx.images === 'none' ? 'link' : ctx.images
  if (ctx.images === 'none') {
    ctx.report.warn(
      'IMAGES_REQUIRED',
      'classification folders are made of the images; images: none ignored',
    )
  }
  await transferImages(kept, (img) => placed.get(img)!, mode, ctx)
  ctx.report.report.written.images = placed.size
  ctx.report.report.written.files += placed.size
}
