import { constants } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ReadContext } from '../../context'
import { DatasetError } from '../../errors'
import { isDirectory, listFiles } from '../../io/fs'
import { parseJson } from '../../io/json'
import { parseWith } from '../../io/zod-error'
import type { Category, Dataset, ImageRecord } from '../../model'
import { isCocoFile } from './fast-validate'
import { addCocoAnnotation, addCocoCategory, addCocoImage, type CocoSource } from './items'
import { cocoFileSchema } from './schema'
import { readCocoFileStreamed, streamsCoco } from './streamed-reader'

/**
 * COCO input: a `.json` file, or a folder holding `annotations/*.json` (or `*.json`), one file per
 * split, named `instances_<split>.json` as COCO does (`instances.json`/`annotations.json`: no split).
 */
export async function findCocoSources(input: string): Promise<CocoSource[]> {
  if (!(await isDirectory(input))) return [{ file: input, split: '' }]
  const annDir = join(input, 'annotations')
  const dir = (await isDirectory(annDir)) ? annDir : input
  const files = (await listFiles(dir, (n) => n.endsWith('.json'))).filter((f) => !f.includes('/'))
  if (files.length === 0) {
    throw new DatasetError('DATASET_LAYOUT_ERROR', 'no COCO annotation file (*.json) found', {
      file: dir,
    })
  }
  return files.map((f) => ({ file: join(dir, f), split: splitOfCocoFile(f) }))
}

export function splitOfCocoFile(name: string): string {
  const stem = basename(name, '.json')
  if (stem === 'instances' || stem === 'annotations' || stem === 'person_keypoints') return ''
  const m = /^(?:instances|person_keypoints|annotations)_(.+)$/.exec(stem)
  return m ? m[1]! : stem
}

/** Folders where COCO images of a split usually live, most specific first. */
export function cocoImageDirs(root: string, split: string): string[] {
  const dirs = split === '' ? [] : [join(root, 'images', split), join(root, split)]
  dirs.push(join(root, 'images'), root)
  return dirs
}

/** Reads a COCO dataset (every split) into the hub model. */
export async function readCoco(input: string, ctx: ReadContext): Promise<Dataset> {
  const sources = await findCocoSources(input)
  const root = (await isDirectory(input)) ? input : dirname(input)
  const dataset: Dataset = { categories: [], images: [], imageDirs: {} }
  const categoryById = new Map<number, Category>()
  for (const source of sources) {
    const size = (await stat(source.file)).size
    dataset.imageDirs![source.split] = cocoImageDirs(root, source.split)
    if (streamsCoco(size, ctx.streaming)) {
      await readCocoFileStreamed(source, dataset, categoryById, ctx)
      continue
    }
    if (size >= constants.MAX_STRING_LENGTH) {
      throw new DatasetError(
        'DATASET_OPTION_ERROR',
        `file is larger than a JavaScript string can hold (${size} bytes); read it with streaming 'auto' or 'always'`,
        { file: source.file },
      )
    }
    // One blocking read and one decode: the promise API with an encoding decodes chunk by chunk
    // through a StringDecoder, ~15 ms more on W1's 22 MB, and JSON.parse blocks longer anyway.
    const text = readFileSync(source.file, 'utf8')
    ctx.signal?.throwIfAborted()
    const parsed = parseJson(text, source.file)
    addCocoFile(parsed, source, dataset, categoryById, ctx)
  }
  return dataset
}

/** Adds the content of one parsed COCO file to `dataset`. Exported for the streaming reader. */
export function addCocoFile(
  parsed: unknown,
  source: CocoSource,
  dataset: Dataset,
  categoryById: Map<number, Category>,
  ctx: ReadContext,
): void {
  const file = source.file
  const top = isCocoFile(parsed) ? parsed : parseWith(cocoFileSchema, parsed, file)
  if (top.info !== undefined) dataset.info = top.info
  if (top.licenses !== undefined) dataset.licenses = top.licenses
  addCocoCategories(top.categories, file, dataset, categoryById, ctx)
  const imageById = new Map<number, ImageRecord>()
  addCocoImages(top.images, source, dataset, imageById, ctx)
  const anns = top.annotations ?? []
  addCocoAnnotations(anns, 0, file, imageById, categoryById, ctx)
}

export function addCocoCategories(
  items: readonly unknown[],
  file: string,
  dataset: Dataset,
  categoryById: Map<number, Category>,
  ctx: ReadContext,
): void {
  for (let i = 0; i < items.length; i++) {
    try {
      addCocoCategory(items[i], file, ['categories', i], dataset, categoryById, ctx.report)
    } catch (error) {
      ctx.errors.handle(error)
    }
  }
}

export function addCocoImages(
  items: readonly unknown[],
  source: CocoSource,
  dataset: Dataset,
  imageById: Map<number, ImageRecord>,
  ctx: ReadContext,
): void {
  for (let i = 0; i < items.length; i++) {
    try {
      addCocoImage(items[i], source, ['images', i], dataset, imageById, ctx.report)
    } catch (error) {
      ctx.errors.handle(error)
    }
  }
}

export function addCocoAnnotations(
  items: readonly unknown[],
  offset: number,
  file: string,
  imageById: Map<number, ImageRecord>,
  categoryById: Map<number, Category>,
  ctx: ReadContext,
): void {
  const seenIds = new Set<number>()
  for (let i = 0; i < items.length; i++) {
    if ((i & 4095) === 4095) ctx.signal?.throwIfAborted()
    addCocoAnnotation(items[i], offset + i, file, imageById, categoryById, seenIds, ctx)
  }
}
