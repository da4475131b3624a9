import type { VocOrigin } from './conventions'
import type { FileSink } from './io/fs'
import type { ExifPolicy } from './io/image-header'
import type { YoloTask } from './model'
import type { ErrorSink, ReportBuilder } from './report'

/** Progress callback: `done` of `total` items in `phase` (`read`, `write`). */
export type ProgressFn = (done: number, total: number, phase: string) => void

/** How images travel with a conversion: hard-linked (copy across devices), copied, symlinked, not at all. */
export type ImageTransfer = 'link' | 'copy' | 'symlink' | 'none'

/** What crowd regions become in a format with no crowd flag (YOLO, VOC). */
export type CrowdPolicy = 'skip' | 'keep'

/** Everything a reader needs besides its input path. */
export interface ReadContext {
  errors: ErrorSink
  report: ReportBuilder
  exif: ExifPolicy
  vocOrigin: VocOrigin
  /** YOLO task; `undefined` lets the reader take it from `data.yaml` or the label lines. */
  task: YoloTask | undefined
  signal: AbortSignal | undefined
  progress: ProgressFn | undefined
  /** COCO input: `auto` streams files too long for one string, `always`, `never`. */
  streaming?: 'auto' | 'always' | 'never' | undefined
}

/** Everything a writer needs besides the dataset and its output folder. */
export interface WriteContext {
  files: FileSink
  report: ReportBuilder
  exif: ExifPolicy
  vocOrigin: VocOrigin
  task: YoloTask
  crowd: CrowdPolicy
  images: ImageTransfer
  signal: AbortSignal | undefined
  progress: ProgressFn | undefined
  /** The writer may empty each image's annotations once written (set by `convert`). */
  consume?: boolean | undefined
}
