import type { LogLevel } from '../enums'
import { CancelledError } from '../errors/errors'
import type { Logger } from '../logging/logger'
import { PluginEnvironment } from './plugin-environment'

/**
 * The platform an action talks to (datasets, models, job records). Only the contract lives in
 * core; a backend package provides an implementation.
 */
export interface BackendClient {
  request<TResponse = unknown>(
    method: string,
    path: string,
    options?: { body?: unknown; query?: Record<string, string>; signal?: AbortSignal },
  ): Promise<TResponse>
}

/** A model to start from: its kind (`base`, a model id…) and where its weights are. */
export interface Checkpoint {
  category: string
  path: string
}

/** What a {@link RuntimeContext} is made from; executors build it, actions only read the context. */
export interface RuntimeContextInit {
  /**
   * The logger, or a factory called with the context on first use: runs that never log never
   * build one. One shared factory (not a closure per run) keeps context creation cheap.
   */
  logger: Logger | ((ctx: RuntimeContext) => Logger)
  env?: PluginEnvironment
  /** The run's id, or a factory called on first use. */
  runId: string | (() => string)
  client?: BackendClient | undefined
  checkpoint?: Checkpoint | undefined
  /** The cancellation signal, or a factory called on first use. */
  signal?: AbortSignal | (() => AbortSignal)
}

/**
 * What every action receives: where to log, its environment, its run id, an optional backend
 * client and checkpoint, and a cancellation signal. The helper methods are shortcuts to the logger.
 */
export class RuntimeContext {
  readonly env: PluginEnvironment
  readonly client: BackendClient | undefined
  readonly checkpoint: Checkpoint | undefined
  #logger: Logger | ((ctx: RuntimeContext) => Logger)
  #signal: AbortSignal | (() => AbortSignal) | undefined
  #runId: string | (() => string)

  constructor(init: RuntimeContextInit) {
    this.#logger = init.logger
    this.env = init.env ?? new PluginEnvironment()
    this.#runId = init.runId
    this.client = init.client
    this.checkpoint = init.checkpoint
    this.#signal = init.signal
  }

  /** Id of the run this context belongs to. */
  get runId(): string {
    if (typeof this.#runId === 'function') this.#runId = this.#runId()
    return this.#runId
  }

  /** The spec's name for {@link RuntimeContext.runId}. */
  get jobId(): string {
    return this.runId
  }

  get logger(): Logger {
    if (typeof this.#logger === 'function') this.#logger = this.#logger(this)
    return this.#logger
  }

  /** Aborted when the run is cancelled: pass it to fetch, streams and long loops. */
  get signal(): AbortSignal {
    if (typeof this.#signal === 'function') this.#signal = this.#signal()
    this.#signal ??= new AbortController().signal
    return this.#signal
  }

  /** Reports `current` of `total` done in `category`; percent and ETA follow. */
  setProgress(current: number, total: number, category?: string): void {
    this.logger.setProgress(current, total, category)
  }

  /** Merges `values` into the metrics of `category`. */
  setMetrics(values: Record<string, unknown>, category: string): void {
    this.logger.setMetrics(values, category)
  }

  /** Logs a structured event, optionally pointing at a file. */
  log(event: string, data: Record<string, unknown> = {}, file?: string): void {
    this.logger.log('info', event, data, file === undefined ? {} : { file })
  }

  /** Logs a message meant for the person running the action. */
  logMessage(message: string, level: LogLevel = 'info'): void {
    this.logger.log(level, 'message', { message })
  }

  /** Logs a debug event for plugin developers. */
  logDevEvent(message: string, data: Record<string, unknown> = {}): void {
    this.logger.log('debug', 'dev_event', { message, ...data })
  }

  /** Logs one metric value with its key, e.g. `logMetric('train', 'epoch', 3, { loss: 0.2 })`. */
  logMetric(
    category: string,
    key: string,
    value: unknown,
    metrics: Record<string, unknown> = {},
  ): void {
    this.logger.log('info', 'metric', { category, key, value, metrics }, { category })
  }

  /** Marks the run's log complete; nothing more can be logged after. */
  endLog(): void {
    if (this.logger.finished) return
    this.logger.log('info', 'message', { message: 'Plugin run is complete.' })
    this.logger.finish()
  }

  /** Throws {@link CancelledError} if the run was cancelled: call it between units of work. */
  throwIfCancelled(): void {
    // A context whose signal nobody made cannot have been aborted.
    if (this.#signal !== undefined && this.signal.aborted)
      throw new CancelledError('Run was cancelled', { cause: this.signal.reason })
  }
}
