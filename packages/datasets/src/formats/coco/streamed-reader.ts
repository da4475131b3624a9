import { constants } from 'node:buffer'
import type { ReadContext } from '../../context'
import { DatasetError } from '../../errors'
import { scanJsonTopLevel } from '../../io/json-scan'
import { jsonPath } from '../../io/text-location'
import type { Category, Dataset, ImageRecord } from '../../model'
import { addCocoAnnotation, addCocoCategory, addCocoImage, type CocoSource } from './items'

/**
 * Whether a COCO file of `size` bytes is read element by element under `mode`. `auto` leaves
 * headroom below V8's string limit: UTF-8 bytes are not always at least as many as characters.
 */
export function streamsCoco(size: number, mode: ReadContext['streaming']): boolean {
  const m = mode ?? 'auto'
  return m === 'always' || (m === 'auto' && size >= constants.MAX_STRING_LENGTH * 0.9)
}

/** One parsed element of a top-level array (index −1 for a value that is not an array). */
export type CocoValueFn = (
  key: string,
  index: number,
  value: unknown,
  path: (string | number)[],
) => void

/**
 * Walks a COCO file without holding it as one string: every element of `images` and `categories`
 * (and of the `extra` keys) is parsed and handed over, then every element of `annotations`, which
 * come after the images they point to whatever the file's key order (a second pass over the file
 * when `annotations` comes first). A syntax error in an element, and anything `onValue` throws,
 * go to `onError`, and the walk goes on. `drain` may hold the reading (backpressure).
 */
export async function scanCocoFile(
  file: string,
  extra: readonly string[],
  onValue: CocoValueFn,
  onError: (error: unknown) => void,
  signal?: AbortSignal,
  drain?: () => Promise<void> | undefined,
): Promise<void> {
  const onElement = (key: string, index: number, text: string, offset: number): void => {
    const path = index === -1 ? [key] : [key, index]
    try {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (cause) {
        throw new DatasetError('DATASET_PARSE_ERROR', `invalid JSON: ${(cause as Error).message}`, {
          file,
          jsonPath: jsonPath(path),
          details: { offset },
        })
      }
      onValue(key, index, value, path)
    } catch (error) {
      onError(error)
    }
  }
  const seen = new Set<string>()
  const keys = await scanJsonTopLevel(
    file,
    (key) => {
      seen.add(key)
      if (key === 'images' || key === 'categories' || extra.includes(key)) return true
      return key === 'annotations' && seen.has('images') && seen.has('categories')
    },
    onElement,
    signal,
    drain,
  )
  if (!keys.includes('images') || !keys.includes('categories')) {
    throw new DatasetError(
      'DATASET_SCHEMA_ERROR',
      `COCO file needs images and categories (found ${keys.join(', ')})`,
      { file },
    )
  }
  const annotations = keys.indexOf('annotations')
  if (
    annotations !== -1 &&
    (annotations < keys.indexOf('images') || annotations < keys.indexOf('categories'))
  ) {
    await scanJsonTopLevel(file, (key) => key === 'annotations', onElement, signal, drain)
  }
}

/**
 * Reads one COCO file into `dataset` through {@link scanCocoFile}: for files longer than a
 * JavaScript string can be (LVIS, the ×24 workload), so any target can be written from them.
 * Memory then holds the dataset, as for any other read, but never the file's text.
 */
export async function readCocoFileStreamed(
  source: CocoSource,
  dataset: Dataset,
  categoryById: Map<number, Category>,
  ctx: ReadContext,
): Promise<void> {
  const { file } = source
  const imageById = new Map<number, ImageRecord>()
  const seenIds = new Set<number>()
  const fail = (message: string, path: (string | number)[]): DatasetError =>
    new DatasetError('DATASET_SCHEMA_ERROR', message, { file, jsonPath: jsonPath(path) })
  await scanCocoFile(
    file,
    ['info', 'licenses'],
    (key, index, value, path) => {
      if (key === 'info') dataset.info = value
      else if (key === 'licenses') {
        if (index === -1) throw fail('licenses must be an array', path)
        dataset.licenses ??= []
        dataset.licenses.push(value)
      } else if (index === -1) throw fail(`${key} must be an array`, path)
      else if (key === 'images') addCocoImage(value, source, path, dataset, imageById, ctx.report)
      else if (key === 'categories') {
        addCocoCategory(value, file, path, dataset, categoryById, ctx.report)
      } else addCocoAnnotation(value, index, file, imageById, categoryById, seenIds, ctx)
    },
    (error) => ctx.errors.handle(error),
    ctx.signal,
  )
}
