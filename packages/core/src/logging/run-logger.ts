import { toReportedJsonValue } from '../codec/json-value'
import { LOG_LEVEL_SEVERITY, type LogLevel } from '../enums'
import { PluginError } from '../errors/plugin-error'
import type { Logger, LogOptions, ProgressState } from './logger'
import { redact } from './redact'
import type { RunEvent, RunEventBody, RunEventSink } from './run-event'

/** The progress category of calls that name none. */
export const DEFAULT_CATEGORY = '__default__'

/** How a {@link RunLogger} is set up for one run. */
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
  /**
   * Progress events of one category are at most this often (default 100 ms; 0: every call). The
   * latest value always wins: the first report of a category, a restart at 0, reaching the total
   * and a failure are emitted at once, and a value held back is emitted when the interval ends or
   * before any other event, so readers see the run move several times a second and never miss
   * where it stopped, while a hot loop reporting every iteration writes a handful of events.
   */
  progressIntervalMs?: number
}

/** Progress of one category as last reported, and when it was last emitted. */
interface ProgressTrack {
  current: number
  total: number
  failed: boolean
  /** When the category started (first seen, or restarted from 0). */
  startedAt: number
  /** When `current` was reported. */
  reportedAt: number
  emittedAt: number
  /** A report not yet emitted. */
  held: boolean
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
  readonly #progressInterval: number
  #seq: number
  #finished = false
  /** Categories with a held report; the timer that emits them. */
  #held = 0
  #heldTimer: NodeJS.Timeout | undefined

  constructor(options: RunLoggerOptions) {
    this.runId = options.runId
    this.#sinks = [...(options.sinks ?? [])]
    this.#secrets = options.secrets ?? []
    this.#minSeverity = LOG_LEVEL_SEVERITY[options.level ?? 'debug']
    this.#now = options.now ?? Date.now
    this.#seq = options.startSeq ?? 0
    this.#progressInterval = options.progressIntervalMs ?? 100
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

  /**
   * Stamps, redacts and hands an event to every sink. A failing sink never fails the run. Held
   * progress goes out first, so events keep the order their calls had.
   */
  emit(body: RunEventBody): RunEvent {
    if (this.#held > 0) this.#releaseHeld()
    return this.#send(body)
  }

  #send(body: RunEventBody): RunEvent {
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
      // Events are JSON on every transport: a Date becomes its ISO string here, once, and a value
      // with no JSON form fails this call, naming its path, rather than a sink later.
      data: { ...(toReportedJsonValue(data, 'log data') as Record<string, unknown>) },
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
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new PluginError(`Progress total must be a positive number, got ${total}`, {
        code: 'INVALID_ARGUMENT',
        details: { category, current, total },
      })
    }
    if (!(current >= 0 && current <= total)) {
      throw new PluginError(`Progress current must be within [0, ${total}], got ${current}`, {
        code: 'INVALID_ARGUMENT',
        details: { category, current, total },
      })
    }
    const now = this.#now()
    const track = this.#progress.get(category)
    if (track === undefined) {
      const fresh: ProgressTrack = {
        current,
        total,
        failed: false,
        startedAt: now,
        reportedAt: now,
        emittedAt: now,
        held: false,
      }
      this.#progress.set(category, fresh)
      this.#emitProgress(category, fresh)
      return
    }
    // The clock restarts when a category restarts from zero.
    if (current === 0) track.startedAt = now
    track.current = current
    track.total = total
    track.failed = false
    track.reportedAt = now
    if (current === 0 || current === total || now - track.emittedAt >= this.#progressInterval) {
      if (track.held) {
        track.held = false
        this.#held--
      }
      this.#emitProgress(category, track)
      return
    }
    if (!track.held) {
      track.held = true
      this.#held++
      this.#heldTimer ??= setTimeout(() => {
        this.#heldTimer = undefined
        this.#releaseHeld()
      }, this.#progressInterval).unref()
    }
  }

  setProgressFailed(category: string = DEFAULT_CATEGORY): void {
    this.#assertOpen()
    const now = this.#now()
    let track = this.#progress.get(category)
    if (track === undefined) {
      track = {
        current: 0,
        total: 1,
        failed: true,
        startedAt: now,
        reportedAt: now,
        emittedAt: now,
        held: false,
      }
      this.#progress.set(category, track)
    } else if (track.held) {
      track.held = false
      this.#held--
    }
    track.failed = true
    this.#emitProgress(category, track)
  }

  setMetrics(values: Record<string, unknown>, category: string): void {
    this.#assertOpen()
    if (typeof category !== 'string' || category === '') {
      throw new PluginError('Metrics need a category', { code: 'INVALID_ARGUMENT' })
    }
    const encoded = toReportedJsonValue(values, 'metrics') as Record<string, unknown>
    const merged = { ...this.#metrics.get(category), ...encoded }
    this.#metrics.set(category, merged)
    this.emit({ type: 'metrics', category, values: merged })
  }

  #emitProgress(category: string, track: ProgressTrack): void {
    track.emittedAt = this.#now()
    this.emit({ type: 'progress', category, ...publicProgress(track) })
  }

  /** Emits every held progress report, in the order categories were first reported. */
  #releaseHeld(): void {
    if (this.#heldTimer !== undefined) {
      clearTimeout(this.#heldTimer)
      this.#heldTimer = undefined
    }
    this.#held = 0
    for (const [category, track] of this.#progress) {
      if (!track.held) continue
      track.held = false
      track.emittedAt = this.#now()
      this.#send({ type: 'progress', category, ...publicProgress(track) })
    }
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

  /** No more logging; progress held back is emitted now. */
  finish(): void {
    if (this.#held > 0) this.#releaseHeld()
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

/** Percent, elapsed time and ETA as of the latest report. */
function publicProgress(track: ProgressTrack): ProgressState {
  const elapsed = (track.reportedAt - track.startedAt) / 1000
  const { current, total } = track
  return {
    current,
    total,
    percent: round2((current / total) * 100),
    etaSeconds:
      track.failed || current === 0 ? null : round2((elapsed / current) * (total - current)),
    elapsedSeconds: round2(elapsed),
    failed: track.failed,
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
