import {
  type BackendClient,
  CancelledError,
  type CancelOutcome,
  EventLog,
  type EventsOptions,
  type ExecuteOptions,
  type ExecutorProtocol,
  invokeAction,
  isPluginEnvironment,
  isTerminalStatus,
  isValidRunId,
  type LogLevel,
  PluginEnvironment,
  PluginError,
  PluginRunError,
  type RunEvent,
  type RunEventSink,
  type RunInfo,
  RunLogger,
  RunNotFoundError,
  type RunOutcome,
  type RunRequest,
  type RunStatus,
  RuntimeContext,
  redact,
  serializeError,
  validateParams,
  type WaitOptions,
  WaitTimeoutError,
} from '@synapse/core'
import { newLocalRunId } from './local-run-id'

export interface LocalExecutorOptions {
  /** Environment every run sees; a request's own env is merged over it. */
  env?: PluginEnvironment | Record<string, unknown>
  /** Extra sinks for each run (a console, a JSON-lines file per run). */
  sinks?: (runId: string) => RunEventSink[]
  /** Lowest log level kept. Default `debug`. */
  logLevel?: LogLevel
  client?: BackendClient
  /**
   * After `cancel`, how long to let the action wind down (it sees its signal aborted) before the
   * run is declared cancelled anyway. In-process code cannot be killed, only asked to stop.
   */
  cancelGraceMs?: number
  /** Finished runs kept for `status`/`events`/`wait`; the oldest are dropped beyond this. */
  retainRuns?: number
}

interface LocalRun {
  readonly runId: string
  readonly action: string
  readonly log: EventLog
  readonly logger: RunLogger
  readonly createdAt: number
  readonly controller: AbortController
  readonly done: PromiseWithResolvers<RunOutcome>
  /** Env values masked in everything the run reports (events, and the error in `status`). */
  readonly secrets: readonly string[]
  status: RunStatus
  startedAt?: number
  finishedAt?: number
  outcome?: RunOutcome
}

/**
 * Runs actions in this process. Params are validated at submit (all issues at once; nothing
 * runs on a bad input); each run gets its own logger, context and abort signal; failures come
 * back as `ExecutionError` with the original error as cause.
 *
 * @example
 * const executor = new LocalExecutor({ env: { DEBUG: 'true' } })
 * const result = await executor.execute({ action: train, params: { epochs: 2 } }, {
 *   onEvent: (e) => e.type === 'progress' && console.log(e.category, e.percent),
 * })
 */
export class LocalExecutor implements ExecutorProtocol {
  readonly name = 'local'
  readonly #env: PluginEnvironment
  readonly #options: LocalExecutorOptions
  readonly #runs = new Map<string, LocalRun>()

  constructor(options: LocalExecutorOptions = {}) {
    this.#options = options
    this.#env =
      options.env === undefined || !isPluginEnvironment(options.env)
        ? new PluginEnvironment(options.env)
        : options.env
  }

  execute(request: RunRequest, options: ExecuteOptions = {}): Promise<unknown> {
    const unobserved =
      request.runId === undefined &&
      options.onEvent === undefined &&
      options.signal === undefined &&
      options.timeoutMs === undefined &&
      this.#options.sinks === undefined
    return unobserved ? this.#executeUnobserved(request) : this.#executeTracked(request, options)
  }

  /**
   * A run nobody can observe or cancel (no id given, no listener, no sinks) needs no record, no
   * event log and no abort controller: the action runs with a context whose logger is built only
   * if it logs. Same validation, same errors, same result; a fraction of the cost.
   */
  #executeUnobserved(request: RunRequest): Promise<unknown> {
    let params: unknown
    try {
      params = validateParams(request.action, request.params)
    } catch (error) {
      return Promise.reject(error)
    }
    const ctx = new RuntimeContext({
      logger: this.#lazyLogger,
      env: this.#envFor(request),
      // Ids cost a little; a run that never asks for its id never gets one.
      runId: newLocalRunId,
      client: this.#options.client,
      checkpoint: request.checkpoint,
    })
    return invokeAction(request.action, params, ctx)
  }

  async #executeTracked(request: RunRequest, options: ExecuteOptions): Promise<unknown> {
    const run = this.#start(request, options.onEvent)
    const { signal, onEvent: _onEvent, ...waitOptions } = options
    // The caller's signal cancels the run it asked for; waiting then reports the cancellation.
    const onAbort = () => void this.cancel(run.runId)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const outcome = await this.#await(run, waitOptions)
      if (outcome.status === 'completed') return outcome.result
      throw outcome.error ?? new CancelledError(`Run '${run.runId}' was cancelled`)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  async submit(request: RunRequest): Promise<string> {
    return this.#start(request).runId
  }

  async status(runId: string): Promise<RunInfo> {
    const run = this.#get(runId)
    const info: RunInfo = {
      runId,
      action: run.action,
      status: run.status,
      createdAt: new Date(run.createdAt).toISOString(),
    }
    if (run.startedAt !== undefined) info.startedAt = new Date(run.startedAt).toISOString()
    if (run.finishedAt !== undefined) info.finishedAt = new Date(run.finishedAt).toISOString()
    if (run.outcome?.error !== undefined) {
      info.error = redact(serializeError(run.outcome.error), run.secrets)
    }
    return info
  }

  events(runId: string, options: EventsOptions = {}): AsyncIterable<RunEvent> {
    return this.#get(runId).log.read(options)
  }

  async wait(runId: string, options: WaitOptions = {}): Promise<RunOutcome> {
    return this.#await(this.#get(runId), options)
  }

  async cancel(runId: string): Promise<CancelOutcome> {
    const run = this.#runs.get(runId)
    if (run === undefined) return 'not-found'
    if (isTerminalStatus(run.status)) return 'already-terminal'
    run.controller.abort(new CancelledError(`Run '${runId}' was cancelled`))
    if (run.status === 'pending') {
      this.#finish(run, { runId, status: 'cancelled', error: new CancelledError() })
      return 'cancelled'
    }
    // Give a cooperative action the chance to stop on its own, then stop waiting for it.
    const grace = this.#options.cancelGraceMs ?? 2000
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      run.done.promise,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, grace)
      }),
    ])
    clearTimeout(timer)
    if (!isTerminalStatus(run.status)) {
      this.#finish(run, {
        runId,
        status: 'cancelled',
        error: new CancelledError(
          `Run '${runId}' was cancelled; the action did not stop within ${grace} ms and its result will be discarded`,
        ),
      })
    }
    return (run.status as RunStatus) === 'cancelled' ? 'cancelled' : 'already-terminal'
  }

  /** Cancels the runs still going and waits until their last events are stored. */
  async close(): Promise<void> {
    const live = [...this.#runs.values()].filter((run) => !isTerminalStatus(run.status))
    await Promise.all(live.map((run) => this.cancel(run.runId)))
    await Promise.all([...this.#runs.values()].map((run) => run.done.promise))
  }

  #start(request: RunRequest, onEvent?: (event: RunEvent) => void): LocalRun {
    if (request.runId !== undefined) {
      if (!isValidRunId(request.runId)) {
        throw new PluginRunError(`Invalid run id '${request.runId}'`, {
          code: 'INVALID_RUN_ID',
          details: { runId: request.runId },
        })
      }
      const existing = this.#runs.get(request.runId)
      if (existing !== undefined) {
        // The caller of `execute` still gets every event of the run: those so far, then the rest.
        if (onEvent !== undefined) {
          for (const event of existing.log.snapshot()) onEvent(event)
          existing.logger.addSink({ write: onEvent })
        }
        return existing
      }
    }
    // Validation happens before anything exists: a bad input leaves no run behind.
    const params = validateParams(request.action, request.params)
    const runId = request.runId ?? newLocalRunId()
    const env = this.#envFor(request)
    const secrets = env.secretValues()
    const log = new EventLog()
    const sinks: RunEventSink[] = [log, ...(this.#options.sinks?.(runId) ?? [])]
    if (onEvent !== undefined) sinks.push({ write: onEvent })
    const logger = new RunLogger({
      runId,
      sinks,
      secrets,
      ...this.#loggerLevel(),
    })
    const run: LocalRun = {
      runId,
      action: request.action.name,
      log,
      logger,
      createdAt: Date.now(),
      controller: new AbortController(),
      done: Promise.withResolvers<RunOutcome>(),
      secrets,
      status: 'pending',
    }
    this.#runs.set(runId, run)
    this.#evictOld()
    logger.emit({ type: 'status', status: 'pending' })

    const ctx = new RuntimeContext({
      logger,
      env,
      runId,
      signal: run.controller.signal,
      client: this.#options.client,
      checkpoint: request.checkpoint,
    })
    run.status = 'running'
    run.startedAt = Date.now()
    logger.emit({ type: 'status', status: 'running' })
    invokeAction(request.action, params, ctx).then(
      (result) => this.#finish(run, { runId, status: 'completed', result }),
      (error: unknown) => {
        const failure = PluginError.from(error)
        const status = failure.code === 'RUN_CANCELLED' ? 'cancelled' : 'failed'
        this.#finish(run, { runId, status, error: failure })
      },
    )
    return run
  }

  #finish(run: LocalRun, outcome: RunOutcome): void {
    // First ending wins: a late result after a forced cancel is dropped.
    if (isTerminalStatus(run.status)) return
    run.status = outcome.status
    run.finishedAt = Date.now()
    run.outcome = outcome
    const { logger } = run
    if (outcome.status === 'completed') logger.emit({ type: 'result', result: outcome.result })
    else if (outcome.error !== undefined) {
      logger.emit({ type: 'error', error: serializeError(outcome.error) })
    }
    logger.finish()
    logger.emit({ type: 'status', status: outcome.status })
    // Waiters hear of the ending only once every sink has stored it: a caller that exits right
    // after `wait` must not lose the last events of a run file.
    void Promise.allSettled([run.log.close(), logger.close()]).then(() => run.done.resolve(outcome))
  }

  async #await(run: LocalRun, options: WaitOptions): Promise<RunOutcome> {
    const { timeoutMs, signal } = options
    if (timeoutMs === undefined && signal === undefined) return run.done.promise
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    try {
      return await Promise.race([
        run.done.promise,
        new Promise<never>((_, reject) => {
          if (timeoutMs !== undefined) {
            timer = setTimeout(() => reject(new WaitTimeoutError(run.runId, timeoutMs)), timeoutMs)
          }
          if (signal !== undefined) {
            onAbort = () =>
              reject(new CancelledError('Waiting was aborted', { cause: signal.reason }))
            if (signal.aborted) onAbort()
            else signal.addEventListener('abort', onAbort, { once: true })
          }
        }),
      ])
    } finally {
      clearTimeout(timer)
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
    }
  }

  readonly #lazyLogger = (ctx: RuntimeContext): RunLogger =>
    new RunLogger({ runId: ctx.runId, secrets: ctx.env.secretValues(), ...this.#loggerLevel() })

  #envFor(request: RunRequest): PluginEnvironment {
    return request.env === undefined ? this.#env : PluginEnvironment.merge(this.#env, request.env)
  }

  #loggerLevel(): { level?: LogLevel } {
    return this.#options.logLevel === undefined ? {} : { level: this.#options.logLevel }
  }

  #get(runId: string): LocalRun {
    const run = this.#runs.get(runId)
    if (run === undefined) throw new RunNotFoundError(runId)
    return run
  }

  #evictOld(): void {
    const limit = this.#options.retainRuns ?? 1000
    if (this.#runs.size <= limit) return
    for (const [id, run] of this.#runs) {
      if (this.#runs.size <= limit) break
      if (isTerminalStatus(run.status)) this.#runs.delete(id)
    }
  }
}
