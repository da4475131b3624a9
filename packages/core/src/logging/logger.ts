import type { LogLevel } from '../enums'

/** Progress of one category, as last reported. */
export interface ProgressState {
  current: number
  total: number
  percent: number
  etaSeconds: number | null
  elapsedSeconds: number
  failed: boolean
}

/** Where a log event points: a file it refers to, a category it belongs to. */
export interface LogOptions {
  /** A file the event refers to (a checkpoint, a plot). */
  file?: string
  /** Groups the event with a progress/metrics category. */
  category?: string
}

/**
 * What an action logs through. Core defines it; the run logger in core implements it over
 * RunEvents, and anything else (a test double, a platform client) can stand in.
 */
export interface Logger {
  log(level: LogLevel, event: string, data?: Record<string, unknown>, options?: LogOptions): void
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  success(message: string, data?: Record<string, unknown>): void
  warning(message: string, data?: Record<string, unknown>): void
  danger(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
  critical(message: string, data?: Record<string, unknown>): void
  /** Reports `current` of `total` done in `category` (default `__default__`). */
  setProgress(current: number, total: number, category?: string): void
  /** Marks a category's progress as failed. */
  setProgressFailed(category?: string): void
  /** Merges `values` into the metrics of `category`. */
  setMetrics(values: Record<string, unknown>, category: string): void
  getProgress(category?: string): ProgressState | undefined
  getMetrics(category: string): Record<string, unknown>
  /** True after {@link Logger.finish}: no more logging. */
  readonly finished: boolean
  finish(): void
}
