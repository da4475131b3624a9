import {
  type BackendClient,
  CancelledError,
  type CancelOptions,
  type CancelOutcome,
  EventLog,
  type EventsOptions,
  type ExecuteOptions,
  ExecutionError,
  type ExecutorProtocol,
  invokeAction,
  isPluginEnvironment,
  isTerminalStatus,
  isValidRunId,
  type JsonValue,
  type LogLevel,
  PluginEnvironment,
  PluginError,
  PluginRunError,
  type ResolvedRunRequest,
  RunConflictError,
  type RunEvent,
  type RunEventSink,
  type RunInfo,
  RunLogger,
  RunNotFoundError,
  type RunOutcome,
  type RunRecord,
  type RunRequest,
  type RunStatus,
  type RunStore,
  RunStoreSink,
  RuntimeContext,
  raceWait,
  redact,
  redactError,
  resolveRequest,
  reviveResult,
  runInfoOf,
  type SerializedError,
  serializeError,
  toJsonValue,
  validateParams,
  type WaitOptions,
} from '@synapse/core'
import { type CrashScope, releaseGuard, runGuarded } from './crash-guard'
import { newLocalRunId } from './local-run-id'
import { requestKey, stableJson } from './request-key'

/** How a {@link LocalExecutor} runs its actions: shared env, sinks, store, grace and retention. */
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
  /** Finished runs kept in memory for `status`/`events`/`wait`; the oldest are dropped beyond this. */
  retainRuns?: number
  /**
   * Where every tracked run is recorded, with its events, so it outlives this process. Runs not in
   * memory (another process's, or dropped past `retainRuns`) are read back from it.
   */
  store?: RunStore
}

interface LocalRun {
  readonly runId: string
  readonly action: string
  /** The params as submitted: a resubmit of the id must match them (see `requestKey`). */
  readonly params: unknown
  readonly log: EventLog
  readonly logger: RunLogger
  readonly createdAt: number
  readonly controller: AbortController
  readonly done: PromiseWithResolvers<RunOutcome>
  /** Env values masked in everything the run reports (events, and the error in `status`). */
  readonly secrets: readonly string[]
  /**
   * Set with a store: resolves once the store has the record and the run has started, to
   * `elsewhere` when the store already held the run (it is read back from the store instead).
   */
  ready?: Promise<'started' | 'elsewhere'>
  status: RunStatus
  startedAt?: number
  finishedAt?: number
  outcome?: RunOutcome
  /** While its action runs under the crash guard (see `runGuarded`). */
  guarded?: boolean
}

/**
 * Runs actions in this process. Params are validated at submit (all issues at once; nothing
 * runs on a bad input); each run gets its own logger, context and abort signal; failures come
 * back as `ExecutionError` with the original error as cause. Results reach `wait` and `execute`
 * as the action returned them, and the run's `result` event as JSON (see `toJsonValue`): a
 * result with no JSON form fails a tracked run with `RESULT_NOT_ENCODABLE`.
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
  #closing: Promise<void> | undefined

  constructor(options: LocalExecutorOptions = {}) {
    this.#options = options
    this.#env =
      options.env === undefined || !isPluginEnvironment(options.env)
        ? new PluginEnvironment(options.env)
        : options.env
  }

  execute(given: RunRequest, options: ExecuteOptions = {}): Promise<unknown> {
    // A BaseAction class is accepted wherever a definition is (the spec's `action_cls`).
    const request = resolveRequest(given)
    const unobserved =
      request.runId === undefined &&
      options.onEvent === undefined &&
      options.signal === undefined &&
      options.timeoutMs === undefined &&
      this.#options.sinks === undefined &&
      this.#options.store === undefined &&
      this.#closing === undefined
    return unobserved ? this.#executeUnobserved(request) : this.#executeTracked(request, options)
  }

  /**
   * A run nobody can observe or cancel (no id given, no listener, no sinks, no store) needs no
   * record, no event log and no abort controller: the action runs with a context whose logger is
   * built only if it logs. Same validation, same errors, same result; a fraction of the cost. Its
   * result is not encoded as JSON, since no event carries it.
   */
  #executeUnobserved(request: ResolvedRunRequest): Promise<unknown> {
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

  async #executeTracked(request: ResolvedRunRequest, options: ExecuteOptions): Promise<unknown> {
    const { signal, onEvent, ...waitOptions } = options
    const run = this.#start(request, onEvent, signal)
    // The caller's signal cancels the run it asked for; waiting then reports the cancellation.
    // (A new run already saw an aborted signal in #start; an existing one it joined did not.)
    const onAbort = () => void this.cancel(run.runId)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    try {
      if ((await run.ready) === 'elsewhere') {
        // The store held this run already: its result is JSON, and this request has the action.
        const outcome = await this.wait(run.runId, waitOptions)
        if (outcome.status === 'completed') return reviveResult(request.action, outcome.result)
        throw outcome.error ?? endedWithoutError(outcome)
      }
      const outcome = await this.#await(run, waitOptions)
      if (outcome.status === 'completed') return outcome.result
      throw outcome.error ?? endedWithoutError(outcome)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  async submit(request: RunRequest): Promise<string> {
    const run = this.#start(resolveRequest(request))
    await run.ready
    return run.runId
  }

  async status(runId: string): Promise<RunInfo> {
    const run = this.#runs.get(runId)
    if (run === undefined) return runInfoOf(await this.#stored(runId))
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
    const run = this.#runs.get(runId)
    return run === undefined ? this.#storedEvents(runId, options) : run.log.read(options)
  }

  async wait(runId: string, options: WaitOptions = {}): Promise<RunOutcome> {
    const run = this.#runs.get(runId)
    return run === undefined ? this.#awaitStored(runId, options) : this.#await(run, options)
  }

  async cancel(runId: string, options: CancelOptions = {}): Promise<CancelOutcome> {
    const run = this.#runs.get(runId)
    if (run === undefined) {
      // A run only in the store belongs to another process, which this one cannot reach.
      const record = await this.#options.store?.getRun(runId)
      return record !== undefined && isTerminalStatus(record.status)
        ? 'already-terminal'
        : 'not-found'
    }
    if (isTerminalStatus(run.status)) return 'already-terminal'
    // A run still being recorded in the store sees the abort before its action starts and ends
    // cancelled at once; a running one gets the grace period to stop on its own.
    run.controller.abort(new CancelledError(`Run '${runId}' was cancelled`))
    // Let the store take the record first: the run then ends with its events all stored.
    await run.ready?.catch(() => {})
    const grace = options.graceMs ?? this.#options.cancelGraceMs ?? 2000
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
    await run.done.promise
    return (run.status as RunStatus) === 'cancelled' ? 'cancelled' : 'already-terminal'
  }

  /**
   * Refuses new runs (`EXECUTOR_CLOSED`), cancels the runs still going, and resolves once every
   * run's last events are stored by its sinks (the store included). Reads keep answering from
   * memory. Closing twice is harmless. The store is the caller's: it is not closed.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const live = [...this.#runs.values()].filter((run) => !isTerminalStatus(run.status))
      await Promise.all(live.map((run) => this.cancel(run.runId)))
      await Promise.all([...this.#runs.values()].map((run) => run.done.promise))
    })()
    return this.#closing
  }

  #start(
    request: ResolvedRunRequest,
    onEvent?: (event: RunEvent) => void,
    signal?: AbortSignal,
  ): LocalRun {
    if (this.#closing !== undefined) {
      throw new PluginRunError(`Executor '${this.name}' is closed`, { code: 'EXECUTOR_CLOSED' })
    }
    if (request.runId !== undefined) {
      if (!isValidRunId(request.runId)) {
        throw new PluginRunError(`Invalid run id '${request.runId}'`, {
          code: 'INVALID_RUN_ID',
          details: { runId: request.runId },
        })
      }
      const existing = this.#runs.get(request.runId)
      if (existing !== undefined) {
        assertSameRequest(existing, request)
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
    const { store } = this.#options
    const sinks: RunEventSink[] = [log, ...(this.#options.sinks?.(runId) ?? [])]
    if (store !== undefined) sinks.push(new RunStoreSink(store, runId))
    if (onEvent !== undefined) sinks.push({ write: onEvent })
    const logger = new RunLogger({ runId, sinks, secrets, ...this.#loggerLevel() })
    const run: LocalRun = {
      runId,
      action: request.action.name,
      params: request.params,
      log,
      logger,
      createdAt: Date.now(),
      controller: new AbortController(),
      done: Promise.withResolvers<RunOutcome>(),
      secrets,
      status: 'pending',
    }
    // An execute whose signal is already aborted still makes its run, which ends cancelled
    // without the action being called (invokeAction checks the signal first).
    if (signal?.aborted) run.controller.abort(new CancelledError(`Run '${runId}' was cancelled`))
    this.#runs.set(runId, run)
    this.#evictOld()
    const ctx = new RuntimeContext({
      logger,
      env,
      runId,
      signal: run.controller.signal,
      client: this.#options.client,
      checkpoint: request.checkpoint,
    })
    if (store === undefined) this.#launch(run, request, params, ctx)
    else
      run.ready = this.#record(store, run, request).then((created) => {
        if (created) this.#launch(run, request, params, ctx)
        return created ? 'started' : 'elsewhere'
      })
    return run
  }

  /**
   * Records the run in the store before its first event. `false` when the store already holds
   * this run (a resubmit after this process forgot it): it is not run again.
   */
  async #record(store: RunStore, run: LocalRun, request: ResolvedRunRequest): Promise<boolean> {
    try {
      const params = redact(toJsonValue(request.params ?? {}, 'params'), run.secrets)
      const { created, record } = await store.createRun({
        runId: run.runId,
        action: run.action,
        executor: this.name,
        params,
        createdAt: new Date(run.createdAt).toISOString(),
        ...(request.source !== undefined && { plugin: request.source.pluginPath }),
        ...(request.parentRunId !== undefined && { parentRunId: request.parentRunId }),
      })
      if (created) return true
      if (record.action !== run.action || stableJson(record.params) !== stableJson(params)) {
        throw new RunConflictError(
          run.runId,
          `a different ${record.action !== run.action ? 'action' : 'params'} in the run store`,
        )
      }
      this.#runs.delete(run.runId)
      // Whoever already holds this run hears its ending from the store.
      this.#awaitStored(run.runId, {}).then(run.done.resolve, (error: unknown) =>
        run.done.resolve({ runId: run.runId, status: 'failed', error: PluginError.from(error) }),
      )
      return false
    } catch (error) {
      // The run never started: forget it, and let anyone already waiting on it hear why.
      this.#runs.delete(run.runId)
      run.status = 'failed'
      run.done.resolve({ runId: run.runId, status: 'failed', error: PluginError.from(error) })
      throw error
    }
  }

  #launch(run: LocalRun, request: ResolvedRunRequest, params: unknown, ctx: RuntimeContext): void {
    const { logger, runId } = run
    logger.emit({ type: 'status', status: 'pending' })
    run.status = 'running'
    run.startedAt = Date.now()
    logger.emit({ type: 'status', status: 'running' })
    // A timer or a forgotten promise of the action that throws fails this run, not the process.
    const scope: CrashScope = {
      fail: (error, kind) => {
        if (isTerminalStatus(run.status)) return false
        run.controller.abort(error)
        const crash = new ExecutionError(
          `Action '${run.action}' crashed (${kind === 'uncaughtException' ? 'an exception thrown outside the action' : 'a promise rejection nobody handled'}): ${error instanceof Error ? error.message : String(error)}`,
          { code: 'ACTION_CRASHED', cause: error, details: { action: run.action, kind } },
        )
        this.#finish(run, { runId, status: 'failed', error: redactError(crash, run.secrets) })
        return true
      },
    }
    run.guarded = true
    runGuarded(scope, () => invokeAction(request.action, params, ctx)).then(
      (result) => this.#finish(run, { runId, status: 'completed', result }),
      (error: unknown) => {
        const failure = PluginError.from(error)
        const status = failure.code === 'RUN_CANCELLED' ? 'cancelled' : 'failed'
        this.#finish(run, { runId, status, error: failure })
      },
    )
  }

  #finish(run: LocalRun, ending: RunOutcome): void {
    // First ending wins: a late result after a forced cancel is dropped.
    if (isTerminalStatus(run.status)) return
    let outcome = ending
    let encoded: JsonValue | undefined
    if (outcome.status === 'completed') {
      // The event carries the result as JSON; one with no JSON form fails the run here, naming
      // the path, rather than breaking a sink or a reader later.
      try {
        encoded = toJsonValue(outcome.result, 'result')
      } catch (error) {
        outcome = { runId: run.runId, status: 'failed', error: PluginError.from(error) }
      }
    }
    run.status = outcome.status
    run.finishedAt = Date.now()
    run.outcome = outcome
    if (run.guarded) {
      run.guarded = false
      releaseGuard()
    }
    const { logger } = run
    if (outcome.status === 'completed') logger.emit({ type: 'result', result: encoded })
    else if (outcome.error !== undefined) {
      logger.emit({ type: 'error', error: errorAsJson(outcome.error) })
    }
    logger.finish()
    logger.emit({ type: 'status', status: outcome.status })
    // Waiters hear of the ending only once every sink has stored it: a caller that exits right
    // after `wait` must not lose the last events of a run file.
    void Promise.allSettled([run.log.close(), logger.close()]).then(() => run.done.resolve(outcome))
  }

  #await(run: LocalRun, options: WaitOptions): Promise<RunOutcome> {
    return raceWait(run.runId, run.done.promise, options)
  }

  async #stored(runId: string): Promise<RunRecord> {
    const record = await this.#options.store?.getRun(runId)
    if (record === undefined) throw new RunNotFoundError(runId)
    return record
  }

  async *#storedEvents(runId: string, options: EventsOptions): AsyncGenerator<RunEvent> {
    const { store } = this.#options
    if (store === undefined) throw new RunNotFoundError(runId)
    yield* store.readEvents(runId, options)
  }

  /** A run this process does not hold: its record when over, else its events until it is. */
  async #awaitStored(runId: string, options: WaitOptions): Promise<RunOutcome> {
    const record = await this.#stored(runId)
    if (isTerminalStatus(record.status)) return outcomeOf(record)
    const store = this.#options.store as RunStore
    // Following stops with the wait: a timeout or the caller's abort ends the read too.
    const follow = new AbortController()
    const ended = (async () => {
      for await (const _ of store.readEvents(runId, { follow: true, signal: follow.signal })) {
        // Reading to the end is the point: the stream ends at the terminal status.
      }
      return outcomeOf(await this.#stored(runId))
    })()
    try {
      return await raceWait(runId, ended, options)
    } finally {
      follow.abort()
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

  #evictOld(): void {
    const limit = this.#options.retainRuns ?? 1000
    if (this.#runs.size <= limit) return
    for (const [id, run] of this.#runs) {
      if (this.#runs.size <= limit) break
      if (isTerminalStatus(run.status)) this.#runs.delete(id)
    }
  }
}

/** Resubmitting an id is idempotent only for the same action and the same params. */
function assertSameRequest(run: LocalRun, request: ResolvedRunRequest): void {
  if (run.action !== request.action.name) {
    throw new RunConflictError(run.runId, `action '${run.action}', not '${request.action.name}'`)
  }
  if (run.params === request.params) return
  // Computed only on a resubmit, so a first submit pays nothing for it.
  const key = requestKey(run.action, request.params)
  if (key === undefined || key !== requestKey(run.action, run.params)) {
    throw new RunConflictError(run.runId, 'different params')
  }
}

/** The outcome of `promise`, unless `timeoutMs` passes or `signal` aborts first. */

/** The error event's body: the serialised error as JSON (details that are not are dropped). */
function errorAsJson(error: PluginError): SerializedError {
  const serialized = serializeError(error)
  try {
    return toJsonValue(serialized, 'error') as unknown as SerializedError
  } catch {
    return JSON.parse(JSON.stringify({ ...serialized, details: {} })) as SerializedError
  }
}

/** A finished record as an outcome: the result as JSON (no definition here to revive it). */
function outcomeOf(record: RunRecord): RunOutcome {
  const status = isTerminalStatus(record.status) ? record.status : 'failed'
  const outcome: RunOutcome = { runId: record.runId, status }
  if (status === 'completed') outcome.result = record.result
  else {
    outcome.error =
      record.error === undefined ? endedWithoutError(outcome) : PluginError.fromJSON(record.error)
  }
  return outcome
}

/** The error to report for a run that ended without one recorded: never `undefined`. */
function endedWithoutError(outcome: Pick<RunOutcome, 'runId' | 'status'>): PluginError {
  return outcome.status === 'cancelled'
    ? new CancelledError(`Run '${outcome.runId}' was cancelled`)
    : new ExecutionError(`Run '${outcome.runId}' ${outcome.status}`)
}
