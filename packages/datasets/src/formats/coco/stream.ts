import { join } from 'node:path'
import { checkAnnotationBox, checkImageSize, requireImages } from '../../checks'
import { applyClassOrder } from '../../classes'
import type { CrowdPolicy, ProgressFn } from '../../context'
import { DatasetError } from '../../errors'
import { ByteWriter } from '../../io/byte-writer'
import { FileSink } from '../../io/fs'
import { checkImageFileName, checkSplitName } from '../../io/output-names'
import { jsonPath } from '../../io/text-location'
import type { Category, Dataset, ImageRecord, YoloTask } from '../../model'
import { ErrorSink, type OnError, type ReportBuilder } from '../../report'
import { groupBySplit } from '../../splits'
import { dataYamlText, labelPath, reportCategoryLosses, YoloLineFormatter } from '../yolo/writer'
import { addCocoCategory, addCocoImage, cocoToAnnotation, resolveCocoAnnotation } from './items'
import { findCocoSources } from './reader'
import { type CocoValueFn, scanCocoFile } from './streamed-reader'

export interface CocoStreamOptions {
  input: string
  out: string
  task: YoloTask
  crowd: CrowdPolicy
  classes?: readonly string[] | undefined
  report: ReportBuilder
  onError: OnError
  signal?: AbortSignal | undefined
  progress?: ProgressFn | undefined
  /** Label bytes buffered before a flush (tests set it tiny to force appends). */
  bufferLimit?: number | undefined
}

/** Label text buffered before it is flushed to disk; bounds memory whatever the annotation order. */
const BUFFER_LIMIT = 32 << 20

/**
 * COCO → YOLO for files too big to hold as one string (the ×24 workload is 550 MB). The file is
 * scanned at byte level; images and categories are kept (small), annotations are parsed one at a
 * time, turned into label lines at once and buffered per image; when the buffer passes 32 MiB the
 * scan waits while it is written out (appending to files already started), so memory stays flat
 * in any annotation order.
 * One pass when `images` and `categories` precede `annotations`, two otherwise (COCO's own order).
 */
export async function convertCocoToYoloStreaming(options: CocoStreamOptions): Promise<void> {
  const { report, out } = options
  const errors = new ErrorSink(options.onError, report)
  const sources = await findCocoSources(options.input)
  const dataset: Dataset = { categories: [], images: [] }
  const categoryById = new Map<number, Category>()
  const files = new FileSink(out)
  const written = new Set<ImageRecord>()
  const limit = options.bufferLimit ?? BUFFER_LIMIT
  for (const source of sources) {
    const { file } = source
    const imageById = new Map<number, ImageRecord>()
    let fmt: YoloLineFormatter | undefined
    let buffered = new Map<ImageRecord, Buffer[]>()
    const bytes = new ByteWriter()
    let bufferedBytes = 0
    let annIndex = 0
    const ready = (): YoloLineFormatter => {
      if (fmt === undefined) {
        if (options.classes !== undefined) applyClassOrder(dataset, options.classes, report)
        fmt = new YoloLineFormatter(dataset, { task: options.task, crowd: options.crowd, report })
      }
      return fmt
    }
    const flush = async (): Promise<void> => {
      const batch = buffered
      buffered = new Map()
      bufferedBytes = 0
      for (const [img, chunks] of batch) {
        const path = labelPath(out, img)
        const append = written.has(img)
        written.add(img)
        await files.write(path, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), append)
      }
      await files.flush()
    }
    const onValue: CocoValueFn = (key, index, value, path) => {
      if (index === -1) {
        throw new DatasetError('DATASET_SCHEMA_ERROR', `${key} must be an array`, {
          file,
          jsonPath: jsonPath(path),
        })
      }
      if (key === 'images') {
        addCocoImage(value, source, path, dataset, imageById, report)
        // Labels are written while the file is scanned: refuse an unsafe name before its first.
        const img = dataset.images.at(-1)!
        checkSplitName(img.split)
        checkImageFileName(img)
      } else if (key === 'categories') {
        addCocoCategory(value, file, path, dataset, categoryById, report)
      } else if (key === 'annotations') {
        annIndex++
        if ((annIndex & 16383) === 0) options.progress?.(annIndex, 0, 'convert')
        const { raw, img } = resolveCocoAnnotation(value, file, path, imageById, categoryById)
        const ann = cocoToAnnotation(raw, file, path)
        report.report.read.annotations++
        // The same box checks as every other conversion, annotation by annotation.
        checkAnnotationBox(img, ann, 0, report)
        if (img.width === undefined || img.height === undefined) {
          report.loss(
            'dropped',
            'annotation',
            'image size unknown (streaming reads no image headers)',
            img.fileName,
          )
          return
        }
        const n = ready().format(ann, img.width, img.height, img.fileName, bytes)
        if (n === 0) return
        // Objects written (label lines), as the in-memory writer counts them.
        report.report.written.annotations += n
        const chunk = bytes.take()
        const chunks = buffered.get(img)
        if (chunks === undefined) buffered.set(img, [chunk])
        else chunks.push(chunk)
        bufferedBytes += chunk.length
      }
    }
    // Double buffering: a full buffer starts a flush and the scan goes on; only when the next
    // buffer fills while that flush is still writing does the scan wait for it.
    let flushing: Promise<void> | undefined
    const drain = (): Promise<void> | undefined => {
      if (bufferedBytes <= limit) return undefined
      if (flushing !== undefined) return flushing
      flushing = flush().finally(() => {
        flushing = undefined
      })
      return undefined
    }
    await scanCocoFile(file, [], onValue, (error) => errors.handle(error), options.signal, drain)
    if (flushing !== undefined) await flushing
    await flush()
  }
  requireImages(dataset, options.input, 'coco', report)
  // Background images: an empty label file each, as the in-memory writer does.
  for (const img of dataset.images) {
    checkImageSize(img, report, true)
    if (img.width === undefined || img.height === undefined) {
      report.loss(
        'dropped',
        'image',
        'size unknown (streaming reads no image headers)',
        img.fileName,
      )
      continue
    }
    if (!written.has(img)) await files.write(labelPath(out, img), '')
  }
  const splits = [...groupBySplit(dataset.images).keys()]
  await files.write(join(out, 'data.yaml'), dataYamlText(dataset, splits, options.task))
  reportCategoryLosses(dataset, { report, task: options.task })
  await files.flush()
  report.report.written.images = dataset.images.filter(
    (i) => i.width !== undefined && i.height !== undefined,
  ).length
  report.report.written.files += files.files
  report.report.written.bytes += files.bytes
  report.warn(
    'IMAGES_NOT_TRANSFERRED',
    'the streaming path writes labels only; images stay where they are',
  )
}
