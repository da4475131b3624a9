import { type SerializedError, serializeError } from '@synapse/core'
import { DatasetError } from './errors'
import type { DatasetFormat } from './model'

/**
 * What a conversion could not carry over. `dropped`: gone from the output. `approximated`: kept in
 * a lossy form (a polygon as its box, an OBB as an axis-aligned box). `clipped`: coordinates moved
 * into the target's range. `renumbered`: ids the target cannot keep were reassigned.
 */
export type LossKind = 'dropped' | 'approximated' | 'clipped' | 'renumbered'

export interface LossEntry {
  kind: LossKind
  /** What was lost: `polygon`, `iscrowd`, `category id`, … */
  subject: string
  count: number
  reason: string
  /** Up to five places where it happened (`file` or `file#annotationId`). */
  examples: string[]
}

export interface WarningEntry {
  code: string
  message: string
  count: number
  examples: string[]
}

/** The report every `convert`, `validateDataset` and `datasetStats` call returns. */
export interface DatasetReport {
  from: DatasetFormat
  to?: DatasetFormat | undefined
  /** What was read. */
  read: { images: number; annotations: number; categories: number }
  /** What was written (conversions only). */
  written: { images: number; annotations: number; files: number; bytes: number }
  losses: LossEntry[]
  warnings: WarningEntry[]
  /** Input items skipped under `onError: 'skip'`, by error code, with the first errors. */
  skipped: { count: number; byCode: Record<string, number>; errors: SerializedError[] }
  /** Images referenced by annotations but not found on disk. */
  missingImages: { count: number; examples: string[] }
}

const MAX_EXAMPLES = 5
const MAX_ERRORS = 50

/** Collects losses, warnings and skipped items while a conversion runs. */
export class ReportBuilder {
  readonly report: DatasetReport
  private readonly warnings = new Map<string, WarningEntry>()

  constructor(from: DatasetFormat, to?: DatasetFormat) {
    this.report = {
      from,
      to,
      read: { images: 0, annotations: 0, categories: 0 },
      written: { images: 0, annotations: 0, files: 0, bytes: 0 },
      losses: [],
      warnings: [],
      skipped: { count: 0, byCode: {}, errors: [] },
      missingImages: { count: 0, examples: [] },
    }
  }

  // kind → subject → reason → entry: lookups with the callers' literal strings, no key building
  // (writers call this once per annotation on lossy paths, tens of thousands of times).
  private readonly lossIndex = new Map<string, Map<string, Map<string, LossEntry>>>()

  /**
   * Counts `count` losses. `where` (a place, or a function making one) is only evaluated while
   * the entry still collects examples.
   */
  loss(
    kind: LossKind,
    subject: string,
    reason: string,
    where?: string | (() => string),
    count = 1,
  ): void {
    if (count <= 0) return
    let bySubject = this.lossIndex.get(kind)
    if (bySubject === undefined) {
      bySubject = new Map()
      this.lossIndex.set(kind, bySubject)
    }
    let byReason = bySubject.get(subject)
    if (byReason === undefined) {
      byReason = new Map()
      bySubject.set(subject, byReason)
    }
    let entry = byReason.get(reason)
    if (entry === undefined) {
      entry = { kind, subject, count: 0, reason, examples: [] }
      byReason.set(reason, entry)
      this.report.losses.push(entry)
    }
    entry.count += count
    if (where !== undefined && entry.examples.length < MAX_EXAMPLES) {
      entry.examples.push(typeof where === 'string' ? where : where())
    }
  }

  warn(code: string, message: string, where?: string): void {
    const key = `${code}\0${message}`
    let entry = this.warnings.get(key)
    if (entry === undefined) {
      entry = { code, message, count: 0, examples: [] }
      this.warnings.set(key, entry)
      this.report.warnings.push(entry)
    }
    entry.count++
    if (where !== undefined && entry.examples.length < MAX_EXAMPLES) entry.examples.push(where)
  }

  skip(error: DatasetError): void {
    const s = this.report.skipped
    s.count++
    s.byCode[error.code] = (s.byCode[error.code] ?? 0) + 1
    if (s.errors.length < MAX_ERRORS) {
      const json = serializeError(error)
      delete json.stack
      s.errors.push(json)
    }
  }

  private readonly missing = new Set<string>()

  /**
   * Counts a missing image once, however many steps notice it: `key` names the image
   * (`<split>/<file name>`, see {@link imageKey}), `where` is the example shown (default `key`).
   */
  missingImage(key: string, where: string = key): void {
    if (this.missing.has(key)) return
    this.missing.add(key)
    const m = this.report.missingImages
    m.count++
    if (m.examples.length < MAX_EXAMPLES) m.examples.push(where)
  }

  /** Total count of lost items (what `strict` refuses). */
  lossCount(): number {
    let n = 0
    for (const l of this.report.losses) n += l.count
    return n
  }
}

/** The key that identifies an image in the report, whichever step mentions it. */
export function imageKey(img: { split: string; fileName: string }): string {
  return img.split === '' ? img.fileName : `${img.split}/${img.fileName}`
}

/**
 * How reports and validation name an annotation: `file#id` when it has an id (COCO, DM), else
 * its position among the image's annotations, `file (object 2)` (VOC objects, YOLO lines).
 */
export function annotationPlace(
  fileName: string,
  ann: { id?: number | string | undefined },
  index: number,
): string {
  return ann.id === undefined || ann.id === ''
    ? `${fileName} (object ${index + 1})`
    : `${fileName}#${ann.id}`
}

/** What to do with a bad input item: skip it (and count it) or stop the whole run. */
export type OnError = 'skip' | 'fail'

/** Reader-side error policy: throws under `fail`, records and carries on under `skip`. */
export class ErrorSink {
  readonly onError: OnError
  readonly report: ReportBuilder

  constructor(onError: OnError, report: ReportBuilder) {
    this.onError = onError
    this.report = report
  }

  /**
   * Handles one bad item. Returns normally only when the item is to be skipped. Anything that is
   * not a DatasetError (an abort, a bug) is rethrown: only bad input is skippable.
   */
  handle(error: unknown): void {
    if (!(error instanceof DatasetError) || this.onError === 'fail') throw error
    this.report.skip(error)
  }
}

/**
 * The report as text for a terminal: one line per loss and warning, then the skipped items.
 * Empty sections are left out; a clean conversion is one line.
 */
export function formatLossReport(report: DatasetReport): string {
  const lines: string[] = []
  const r = report.read
  const head = report.to === undefined ? report.from : `${report.from} → ${report.to}`
  lines.push(
    `${head}: read ${r.images} images, ${r.annotations} annotations, ${r.categories} categories`,
  )
  const w = report.written
  if (report.to !== undefined) {
    lines.push(
      `wrote ${w.images} images, ${w.annotations} annotations in ${w.files} files (${formatBytes(w.bytes)})`,
    )
  }
  if (report.losses.length === 0) {
    if (report.to !== undefined) lines.push('nothing lost')
  } else {
    lines.push('losses:')
    for (const l of report.losses) {
      const ex = l.examples.length > 0 ? ` (e.g. ${l.examples.slice(0, 3).join(', ')})` : ''
      lines.push(`  ${l.kind} ${l.count} × ${l.subject}: ${l.reason}${ex}`)
    }
  }
  if (report.warnings.length > 0) {
    lines.push('warnings:')
    for (const x of report.warnings) {
      const ex = x.examples.length > 0 ? ` (e.g. ${x.examples.slice(0, 3).join(', ')})` : ''
      lines.push(`  ${x.code} ${x.count} × ${x.message}${ex}`)
    }
  }
  if (report.missingImages.count > 0) {
    const ex = report.missingImages.examples.slice(0, 3).join(', ')
    lines.push(`missing images: ${report.missingImages.count} (e.g. ${ex})`)
  }
  const s = report.skipped
  if (s.count > 0) {
    const codes = Object.entries(s.byCode)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')
    lines.push(`skipped ${s.count} bad items (${codes}):`)
    for (const e of s.errors.slice(0, 10)) lines.push(`  ${e.message}`)
    if (s.errors.length > 10) lines.push(`  … ${s.count - 10} more`)
  }
  return lines.join('\n')
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}
