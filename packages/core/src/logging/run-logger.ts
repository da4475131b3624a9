import { LOG_LEVEL_SEVERITY, type LogLevel } from '../enums'
import { PluginError } from '../errors/plugin-error'
import type { Logger, LogOptions, ProgressState } from './logger'
import { redact } from './redact'
import type { RunEvent, RunEventBody, RunEventSink } from './run-event'

export const DEFAULT_CATEGORY = '__default__'

export interface RunLoggerOptions {
  runId: string
  sinks?: RunEventSink[]
  /** Values to mask wherever they appear (see `secretValuesOf`). */
  secrets?: readonly string[]
  /** Log events below this level are dropped. Default `debug` (everything). */
  level?: LogLevel
  /** Clock in ms, for tests. */
  now?: () => number
  /** Sequence to continue from (a run resumed elsewhere). */
  startSeq?: number
}

interface ProgressTrack extends ProgressState {
  startedAt: number
}

/**
 * The logger every run gets: it keeps progress and metrics per category and turns every call into
 * a {@link RunEvent} for its sinks. It is also the run's event source: executors add status,
 * result and error events through {@link RunLogger.emit}, which still works after `finish()`.
 */
export class RunLogger implements Logger {
  readonly runId: string
  readonly #sinks: RunEventSink[]
  readonly #secrets: readonly string[]
  readonly #minSeverity: number
  readonly #now: () => number
  readonly #progress = new Map<string, ProgressTrack>()
  readonly #metrics = new Map<string, Record<string, unknown>>()
  #seq: number
  #finished = false

  constructor(options: RunLoggerOptions) {
    this.runId = options.runId
    this.#sinks = [...(options.sinks ?? [])]
    this.#secrets = options.secrets ?? []
    this.#minSeverity = LOG_LEVEL_SEVERITY[options.level ?? 'debug']
    this.#now = options.now ?? Date.now
    this.#seq = options.startSeq ?? 0
  }

  get finished(): boolean {
    return this.#finished
  }

  /** Sequence number of the last event emitted. */
  get lastSeq(): number {
    return this.#seq
  }

  addSink(sink: RunEventSink): void {
    this.#sinks.push(sink)
  }

  /** Stamps, redacts and hands an event to every sink. A failing sink never fails the run. */
  emit(body: RunEventBody): RunEvent {
    const event = {
      runId: this.runId,
      seq: ++this.#seq,
      time: new Date(this.#now()).toISOString(),
      ...(this.#secrets.length > 0 ? redact(body, this.#secrets) : body),
    } as RunEvent
    for (const sink of this.#sinks) {
      try {
        sink.write(event)
      } catch {
        // A broken sink (closed stream, full disk) must not turn a good run into a failed one.
      }
    }
    return event
  }

  log(
    level: LogLevel,
    event: string,
    data: Record<string, unknown> = {},
    options: LogOptions = {},
  ): void {
    this.#assertOpen()
    if (LOG_LEVEL_SEVERITY[level] === undefined) {
      throw new PluginError(`Unknown log level '${String(level)}'`, { code: 'INVALID_ARGUMENT' })
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new PluginError('Log data must be a plain object', { code: 'INVALID_ARGUMENT' })
    }
    if (LOG_LEVEL_SEVERITY[level] < this.#minSeverity) return
    this.emit({
      type: 'log',
      level,
      event,
      data: { ...data },
      ...(options.file !== undefined && { file: options.file }),
      ...(options.category !== undefined && { category: options.category }),
    })
  }

  debug(message: string, data?: Record<string, unknown>): void {
    this.log('debug', 'message', { message, ...data })
  }
  info(message: string, data?: Record<string, unknown>): void {
    this.log('info', 'message', { message, ...data })
  }
  success(message: string, data?: Record<string, unknown>): void {
    this.log('success', 'message', { message, ...data })
  }
  warning(message: string, data?: Record<string, unknown>): void {
    this.log('warning', 'message', { message, ...data })
  }
  danger(message: string, data?: Record<string, unknown>): void {
    this.log('danger', 'message', { message, ...data })
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.log('error', 'message', { message, ...data })
  }
  critical(message: string, data?: Record<string, unknown>): void {
    this.log('critical', 'message', { message, ...data })
  }

  setProgress(current: number, total: number, category: string = DEFAULT_CATEGORY): void {
    this.#assertOpen()
    if (!Number.isFinite(total) || total <= 0) {
      throw new PluginError(`Progress total must be a positive number, got ${total}`, {
        code: 'INVALID_ARGUMENT',
        details: { category, current, total },
      })
    }
    if (!Number.isFinite(current) || current < 0 || current > total) {
      throw new PluginError(`Progress current must be within [0, ${total}], got ${current}`, {
        code: 'INVALID_ARGUMENT',
        details: { category, current, total },
      })
    }
    const now = this.#now()
    const previous = this.#progress.get(category)
    // The clock starts when a category is first seen or restarts from zero.
    const startedAt = previous === undefined || current === 0 ? now : previous.startedAt
    const elapsed = (now - startedAt) / 1000
    const track: ProgressTrack = {
      current,
      total,
      percent: round2((current / total) * 100),
      etaSeconds: current > 0 ? round2((elapsed / current) * (total - current)) : null,
      elapsedSeconds: round2(elapsed),
      failed: false,
      startedAt,
    }
    this.#progress.set(category, track)
    this.emit({ type: 'progress', category, ...publicProgress(track) })
  }

  setProgressFailed(category: string = DEFAULT_CATEGORY): void {
    this.#assertOpen()
    const track = this.#progress.get(category) ?? {
      current: 0,
      total: 1,
      percent: 0,
      etaSeconds: null,
      elapsedSeconds: 0,
      failed: true,
      startedAt: this.#now(),
    }
    track.failed = true
    track.etaSeconds = null
    this.#progress.set(category, track)
    this.emit({ type: 'progress', category, ...publicProgress(track), failed: true })
  }

  setMetrics(values: Record<string, unknown>, category: string): void {
    this.#assertOpen()
    if (typeof category !== 'string' || category === '') {
      throw new PluginError('Metrics need a category', { code: 'INVALID_ARGUMENT' })
    }
    const merged = { ...this.#metrics.get(category), ...values }
    this.#metrics.set(category, merged)
    this.emit({ type: 'metrics', category, values: merged })
  }

  getProgress(category: string = DEFAULT_CATEGORY): ProgressState | undefined {
    const track = this.#progress.get(category)
    return track === undefined ? undefined : publicProgress(track)
  }

  getMetrics(category: string): Record<string, unknown> {
    return { ...this.#metrics.get(category) }
  }

  /** Every category's progress, in the order first reported. */
  allProgress(): Record<string, ProgressState> {
    return Object.fromEntries([...this.#progress].map(([k, v]) => [k, publicProgress(v)]))
  }

  finish(): void {
    this.#finished = true
  }

  /** Flushes every sink. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.#sinks.map((s) => s.flush?.()))
  }

  /** Flushes and closes every sink. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#sinks.map((s) => s.close?.()))
  }

  #assertOpen(): void {
    if (this.#finished) {
      throw new PluginError('Cannot log to a finished logger', { code: 'LOGGER_FINISHED' })
    }
  }
}

function publicProgress(track: ProgressTrack): ProgressState {
  return {
    current: track.current,
    total: track.total,
    percent: track.percent,
    etaSeconds: track.etaSeconds,
    elapsedSeconds: track.elapsedSeconds,
    failed: track.failed,
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
