import { stat } from 'node:fs/promises'
import { capabilityTarget, coordinateTolerance } from './capabilities'
import { applyClassOrder, type ClassOrder, sortedClassNames } from './classes'
import type { CrowdPolicy, ImageTransfer, ProgressFn, ReadContext, WriteContext } from './context'
import type { VocOrigin } from './conventions'
import { type DatasetChange, diffDatasets } from './diff'
import { DatasetError, wrapSystemError } from './errors'
import { type DatasetFormatName, normalizeFormat, readDataset, writeDataset } from './formats'
import { findCocoSources } from './formats/coco/reader'
import { convertCocoToYoloStreaming } from './formats/coco/stream'
import { streamsCoco } from './formats/coco/streamed-reader'
import { FileSink, writeAtomically } from './io/fs'
import type { ExifPolicy } from './io/image-header'
import { hasMask } from './mask-box'
import type { Dataset, DatasetFormat, YoloTask } from './model'
import { type DatasetReport, ErrorSink, type OnError, ReportBuilder } from './report'
import { unexplainedChanges } from './verify'

/** Options shared by every entry point that reads a dataset. */
export interface ReadOptions {
  /** Input format (`coco`, `yolo`, `voc`/`pascal`, `dm_v1`, `dm_v2`/`dm`). */
  from: DatasetFormatName
  /** Input folder (or a COCO `.json` / VOC `.xml` file). */
  input: string
  /** Bad input items: `fail` stops at the first (default), `skip` counts them in the report. */
  onError?: OnError | undefined
  /** VOC pixel origin, for reading and writing VOC: 0 (default) or 1 (VOC devkit). */
  vocOrigin?: VocOrigin | undefined
  /** YOLO task of the input; default from `data.yaml` (`synapse.task`, `kpt_shape`), else detect. */
  task?: YoloTask | undefined
  /** EXIF orientation when sizes come from image headers: `apply` (default) or `ignore`. */
  exif?: ExifPolicy | undefined
  signal?: AbortSignal | undefined
  onProgress?: ProgressFn | undefined
  /**
   * COCO input: `auto` (default) reads files too long for one JavaScript string with a byte-level
   * scanner, element by element; `always` does so for every file; `never` refuses such files.
   */
  streaming?: 'auto' | 'always' | 'never' | undefined
}

export interface ConvertOptions extends Omit<ReadOptions, 'task'> {
  to: DatasetFormatName
  /** Output folder; must not exist unless `overwrite`. Written atomically. */
  output: string
  /** Fail (writing nothing) instead of converting with losses. */
  strict?: boolean | undefined
  /** Class names in the order to use (YOLO indices, COCO/VOC/DM class lists). */
  classes?: readonly string[] | undefined
  /**
   * Class order when `classes` is not given: `source` (default) keeps the source's own list (COCO
   * `categories`, `data.yaml` names, the DM class list), so ids match what the source's users
   * already trained on; `sorted` is synapse-sdk's DM → YOLO order, the names annotations use,
   * sorted (classes no annotation uses are dropped, and reported).
   */
  classOrder?: ClassOrder | undefined
  /** YOLO task of the input (`fromTask`) and of the output (`task`, default inferred from the data). */
  fromTask?: YoloTask | undefined
  task?: YoloTask | undefined
  /** Crowd regions in YOLO/VOC output: `skip` (default, as Ultralytics) or `keep` as objects. */
  crowd?: CrowdPolicy | undefined
  /** How images travel: `link` (default: hard link, copy across devices), `copy`, `symlink`, `none`. */
  images?: ImageTransfer | undefined
  overwrite?: boolean | undefined
  /**
   * Read the output back before it is put in place and compare it with the input through the
   * hub model ({@link diffDatasets}); any difference the loss report does not account for fails
   * the conversion (`DATASET_VERIFY_ERROR`), writing nothing. Off by default: it reads the
   * output once more and keeps the whole input in memory meanwhile.
   */
  verify?: boolean | undefined
}

export interface ConvertResult {
  report: DatasetReport
  output: string
  from: DatasetFormat
  to: DatasetFormat
  /** The YOLO task written, when the target is YOLO. */
  task?: YoloTask | undefined
  /** Whether the flat-memory COCO → YOLO path was used (labels written while the file is scanned). */
  streamed: boolean
  /** With `verify`: every difference found, each accounted for by the report. */
  verified?: DatasetChange[] | undefined
}

/** Builds the read context from options; shared by convert, validate and stats. */
export function readContext(
  options: ReadOptions,
  report: ReportBuilder,
  onError: OnError,
): ReadContext {
  return {
    errors: new ErrorSink(onError, report),
    report,
    exif: options.exif ?? 'apply',
    vocOrigin: options.vocOrigin ?? 0,
    task: options.task,
    signal: options.signal,
    progress: options.onProgress,
    streaming: options.streaming,
  }
}

/** The YOLO task that keeps the most of `dataset`. */
export function inferYoloTask(dataset: Dataset): YoloTask {
  let polygons = 0
  let obb = 0
  let kp = 0
  let classes = 0
  let total = 0
  for (const img of dataset.images) {
    for (const a of img.annotations) {
      total++
      if (a.imageClass) classes++
      if (a.keypoints !== undefined) kp++
      if (a.obb !== undefined) obb++
      // hasMask: asking `a.rle` would build every deferred DM mask just to count it.
      if (a.polygons !== undefined || hasMask(a)) polygons++
    }
  }
  if (classes > 0 && classes === total) return 'classify'
  if (kp > 0) return 'pose'
  if (obb > 0 && polygons === 0) return 'obb'
  if (polygons > 0) return 'segment'
  return 'detect'
}

/**
 * Converts a dataset between any two formats through the hub model. The output appears only when
 * the whole conversion succeeded (and, under `strict`, lost nothing). The returned report lists
 * every loss, warning and skipped item.
 */
export async function convert(options: ConvertOptions): Promise<ConvertResult> {
  try {
    return await convertUnwrapped(options)
  } catch (error) {
    throw wrapSystemError(error)
  }
}

async function convertUnwrapped(options: ConvertOptions): Promise<ConvertResult> {
  const from = normalizeFormat(options.from)
  const to = normalizeFormat(options.to)
  const report = new ReportBuilder(from, to)
  const onError = options.onError ?? 'fail'
  const sorted = options.classOrder === 'sorted'
  if (sorted && options.classes !== undefined) {
    throw new DatasetError(
      'DATASET_OPTION_ERROR',
      'classes and classOrder sorted both fix the class order: give one',
    )
  }
  if (from === 'coco' && to === 'yolo' && (await wantsStreaming(options))) {
    if (options.verify) {
      throw new DatasetError(
        'DATASET_OPTION_ERROR',
        'verify needs the whole dataset in memory; the streamed COCO → YOLO path never holds it',
      )
    }
    if (sorted) {
      throw new DatasetError(
        'DATASET_OPTION_ERROR',
        'classOrder sorted needs every annotation before the first label; the streamed COCO → YOLO path writes labels as it reads (pass classes instead)',
      )
    }
    const task = options.task ?? 'segment'
    await writeAtomically(options.output, options.overwrite ?? false, async (temp) => {
      await convertCocoToYoloStreaming({
        input: options.input,
        out: temp,
        task,
        crowd: options.crowd ?? 'skip',
        classes: options.classes,
        report,
        onError,
        signal: options.signal,
        progress: options.onProgress,
      })
      enforceStrict(options, report)
    })
    return { report: report.report, output: options.output, from, to, task, streamed: true }
  }
  if (options.verify && to === 'yolo' && options.images === 'none') {
    throw new DatasetError(
      'DATASET_OPTION_ERROR',
      'verify reads the output back, and YOLO labels cannot be read without their images (images: none)',
    )
  }
  const ctx = readContext({ ...options, task: options.fromTask }, report, onError)
  options.onProgress?.(0, 1, 'read')
  const dataset = await readDataset(from, options.input, ctx)
  options.onProgress?.(1, 1, 'read')
  if (options.classes !== undefined) applyClassOrder(dataset, options.classes, report)
  else if (sorted) applyClassOrder(dataset, sortedClassNames(dataset), report)
  const task = to === 'yolo' ? (options.task ?? inferYoloTask(dataset)) : undefined
  let verified: DatasetChange[] | undefined
  await writeAtomically(options.output, options.overwrite ?? false, async (temp) => {
    const files = new FileSink(temp)
    const wctx: WriteContext = {
      files,
      report,
      exif: options.exif ?? 'apply',
      vocOrigin: options.vocOrigin ?? 0,
      task: task ?? 'detect',
      crowd: options.crowd ?? 'skip',
      images: options.images ?? 'link',
      signal: options.signal,
      progress: options.onProgress,
      // Verifying compares with the dataset as written: writers must leave it whole.
      consume: !options.verify,
    }
    await writeDataset(to, dataset, temp, wctx)
    await files.flush()
    report.report.written.files += files.files
    report.report.written.bytes += files.bytes
    enforceStrict(options, report)
    if (options.verify)
      verified = await verifyOutput(dataset, temp, { ...options, from, to, task }, report)
  })
  return {
    report: report.report,
    output: options.output,
    from,
    to,
    task,
    streamed: false,
    verified,
  }
}

/**
 * Reads the written output back and diffs it with the dataset that was written; throws when a
 * difference is not in the report. Coordinates through YOLO may move by the format's tolerance.
 */
async function verifyOutput(
  dataset: Dataset,
  out: string,
  options: ConvertOptions & { from: DatasetFormat; to: DatasetFormat; task: YoloTask | undefined },
  report: ReportBuilder,
): Promise<DatasetChange[]> {
  options.signal?.throwIfAborted()
  const back = new ReportBuilder(options.to)
  const readBack = { ...options, from: options.to, input: out, task: options.task }
  const after = await readDataset(options.to, out, readContext(readBack, back, 'fail'))
  // The way out and back in: through the target's precision, and the source's if it was
  // read at a precision of its own (YOLO input is already rounded).
  const targets = [capabilityTarget(options.to, options.task)]
  if (options.from === 'yolo') targets.push(capabilityTarget('yolo', options.fromTask))
  const changes = diffDatasets(dataset, after, { tolerance: coordinateTolerance(targets) })
  const unexplained = unexplainedChanges(changes, report.report)
  if (unexplained.length > 0) {
    const summary = unexplained.map(
      (c) => `${c.count} × ${c.subject} (e.g. ${c.examples.slice(0, 3).join(', ')})`,
    )
    throw new DatasetError(
      'DATASET_VERIFY_ERROR',
      `verify: the output differs from the input beyond the loss report: ${summary.join('; ')}`,
      { details: { unexplained } },
    )
  }
  return changes
}

/** COCO → YOLO takes the flat-memory path when any of the input's COCO files is streamed. */
async function wantsStreaming(options: ConvertOptions): Promise<boolean> {
  if (options.streaming === 'always') return true
  if (options.streaming === 'never') return false
  try {
    for (const { file } of await findCocoSources(options.input)) {
      if (streamsCoco((await stat(file)).size, options.streaming)) return true
    }
  } catch {
    // An input that is not a COCO dataset fails in the reader, with its own message.
  }
  return false
}

function enforceStrict(options: ConvertOptions, report: ReportBuilder): void {
  if (!options.strict || report.lossCount() === 0) return
  const losses = report.report.losses
  const summary = losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`).join('; ')
  throw new DatasetError(
    'DATASET_LOSS_STRICT',
    `strict: the conversion would lose data (${summary})`,
    {
      details: { losses },
    },
  )
}
