import { randomUUID } from 'node:crypto'
import {
  type AnyActionDefinition,
  CancelledError,
  type CancelOptions,
  type CancelOutcome,
  createRunSpec,
  type EventsOptions,
  type ExecuteOptions,
  ExecutionError,
  type ExecutorProtocol,
  executeViaSubmit,
  isTerminalStatus,
  isValidRunId,
  PluginDiscovery,
  PluginEnvironment,
  PluginError,
  PluginRunError,
  RunConflictError,
  type RunEvent,
  type RunInfo,
  RunNotFoundError,
  type RunOutcome,
  type RunRecord,
  type RunRequest,
  raceWait,
  redact,
  resolveRequest,
  reviveResult,
  runInfoOf,
  toJsonValue,
  validateParams,
  WaitAbortedError,
  type WaitOptions,
} from '@synapse/core'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { pluginHash } from './plugin-hash'
import './queue-errors'
import type { PluginIdentity, QueueJobData } from './queue-job'
import { jobIdOf } from './queue-job'
import { bullPrefix, defaultQueueFor } from './queue-names'
import { RedisRunStore } from './redis-run-store'
import { cancelledBefore, endingEvents } from './run-outside'
import { stableJson } from './stable-json'

/** Retries of a failed run, with the wait between attempts. */
export interface RetryPolicy {
  /** Attempts in all, the first included; default 1 (no retry). */
  attempts: number
  /** `fixed`: `delayMs` between attempts; `exponential`: `2^(n-1) × delayMs`. */
  backoff?: { type: 'fixed' | 'exponential'; delayMs: number }
}

/** How a {@link QueueExecutor} reaches Redis and what it sends. */
export interface QueueExecutorOptions {
  /** `redis://host:port`. */
  redis: string
  /** The mode this executor serves, as `runPlugin` names it (`task` or `job`); default `task`. */
  name?: string
  /** The queue runs go to; default `synapse` (`synapse-job` when `name` is `job`). Workers take from the same one. */
  queue?: string
  /** Queues by action name (a `gpu` queue for training), over `queue`. */
  routes?: Readonly<Record<string, string>>
  /** Key prefix, the same as the workers'; default `synapse`. */
  prefix?: string
  /** Environment every run sees under its own (sent with the run). */
  env?: Record<string, unknown>
  /** How long the action gets to stop after `cancel`; default 2000. */
  cancelGraceMs?: number
  /** Hard timeout of each run in ms (job mode kills its process). */
  timeoutMs?: number
  /** Retries of failed runs; validation errors and errors marked non-retryable are not retried. */
  retry?: RetryPolicy
  /**
   * Params whose JSON is longer than this many bytes travel by reference (stored in Redis beside
   * the run, not in the job), so the queue stays fast. Default 64 KiB.
   */
  inlineParamsBytes?: number
  /** `submit` fails with `QUEUE_FULL` when the queue already holds this many waiting runs. */
  maxQueueDepth?: number
  /**
   * How long a call waits for Redis before failing with `QUEUE_UNAVAILABLE` (ioredis waits for a
   * reconnect forever otherwise). Default 10000.
   */
  redisTimeoutMs?: number
  /** How long finished jobs stay in the queue's own lists (the run store keeps the runs). */
  keepJobs?: { completed?: number; failed?: number }
}

/**
 * Runs actions on a pool of {@link QueueWorker}s through BullMQ and Redis, with the semantics of
 * a local run: params validated at submit, events live in `seq` order, results revived against
 * the action's result schema, failures as the same typed errors, cancel wherever the run is.
 * Runs and their events live in Redis ({@link RedisRunStore}), so `status`, `events` and `wait`
 * answer from any process, including one started after the submit.
 *
 * @example
 * const executor = new QueueExecutor({ redis: 'redis://10.0.0.5:6379' })
 * const result = await executor.execute({ action, params: { epochs: 3 }, source })
 */
export class QueueExecutor implements ExecutorProtocol {
  readonly name: string
  readonly #options: QueueExecutorOptions
  readonly #redis: Redis
  readonly #store: RedisRunStore
  readonly #queues = new Map<string, Queue<QueueJobData>>()
  /** Definitions of the runs submitted here, to revive their results with. */
  readonly #definitions = new Map<string, AnyActionDefinition>()
  /** Runs submitted here and not known to have ended: `close` cancels them. */
  readonly #live = new Set<string>()
  readonly #plugins = new Map<string, PluginIdentity>()
  readonly #readers = new Set<Promise<unknown>>()
  readonly #env: PluginEnvironment
  #closing: Promise<void> | undefined

  constructor(options: QueueExecutorOptions) {
    this.#options = options
    this.name = options.name ?? 'task'
    // Concurrent runs share the connection: their commands of one tick go in one write.
    this.#redis = new Redis(options.redis, {
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
    })
    // Outages surface as QUEUE_UNAVAILABLE on the calls that meet them, not as process crashes.
    this.#redis.on('error', () => {})
    this.#store = new RedisRunStore({
      connection: this.#redis,
      ...(options.prefix !== undefined && { prefix: options.prefix }),
    })
    this.#env = new PluginEnvironment(options.env)
  }

  /** The run store this executor reads and writes. */
  get store(): RedisRunStore {
    return this.#store
  }

  execute(request: RunRequest, options: ExecuteOptions = {}): Promise<unknown> {
    return executeViaSubmit(this, request, options)
  }

  submit(given: RunRequest): Promise<string> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new PluginRunError(`Executor '${this.name}' is closed`, { code: 'EXECUTOR_CLOSED' }),
      )
    }
    return this.#timed('submit', this.#submit(given))
  }

  async #submit(given: RunRequest): Promise<string> {
    const request = resolveRequest(given)
    const { action } = request
    if (request.runId !== undefined && !isValidRunId(request.runId)) {
      throw new PluginRunError(`Invalid run id '${request.runId}'`, {
        code: 'INVALID_RUN_ID',
        details: { runId: request.runId },
      })
    }
    // Validation happens before anything exists: a bad input leaves no run behind.
    validateParams(action, request.params)
    const runId = request.runId ?? randomUUID()
    const env =
      request.env === undefined ? this.#env : PluginEnvironment.merge(this.#env, request.env)
    const spec = createRunSpec({ ...request, env }, runId)
    const plugin = this.#identity(request.source?.pluginPath as string)
    const secrets = env.secretValues()
    const params = redact(toJsonValue(request.params ?? {}, 'params'), secrets)
    const queueName =
      this.#options.routes?.[spec.action] ??
      this.#options.queue ??
      defaultQueueFor(this.name === 'job' ? 'job' : 'task')
    const queue = this.#queue(queueName)
    await this.#checkDepth(queue, queueName)
    const { created, record } = await this.#store.createRun({
      runId,
      action: action.name,
      executor: this.name,
      params,
      plugin: request.source?.pluginPath as string,
      ...(request.parentRunId !== undefined && { parentRunId: request.parentRunId }),
    })
    if (
      !created &&
      (record.action !== action.name || stableJson(record.params) !== stableJson(params))
    ) {
      throw new RunConflictError(
        runId,
        `a different ${record.action !== action.name ? 'action' : 'params'} in the run store`,
      )
    }
    this.#definitions.set(runId, action)
    // A run recorded but never queued (its submitter died in between) is queued now; a queued or
    // finished one is not queued again (the job id dedupes a queued one; a finished one is over).
    if (!created && record.status !== 'pending') return runId
    const data: QueueJobData = { spec, plugin }
    if (this.#options.timeoutMs !== undefined) data.timeoutMs = this.#options.timeoutMs
    const paramsText = JSON.stringify(spec.params)
    if (Buffer.byteLength(paramsText) > (this.#options.inlineParamsBytes ?? 64 * 1024)) {
      await this.#redis.set(this.#store.keys.blob(runId, 'params'), paramsText)
      data.spec = { ...spec, params: null }
      data.paramsRef = true
    }
    const { retry, keepJobs } = this.#options
    await queue.add(spec.action, data, {
      jobId: jobIdOf(runId),
      attempts: retry?.attempts ?? 1,
      ...(retry?.backoff !== undefined && {
        backoff: { type: retry.backoff.type, delay: retry.backoff.delayMs },
      }),
      removeOnComplete: { count: keepJobs?.completed ?? 1000 },
      removeOnFail: { count: keepJobs?.failed ?? 5000 },
    })
    this.#live.add(runId)
    return runId
  }

  async status(runId: string): Promise<RunInfo> {
    return runInfoOf(await this.#record(runId))
  }

  events(runId: string, options: EventsOptions = {}): AsyncIterable<RunEvent> {
    return this.#store.readEvents(runId, options)
  }

  wait(runId: string, options: WaitOptions = {}): Promise<RunOutcome> {
    const waiting = this.#wait(runId, options)
    this.#readers.add(waiting)
    void waiting.then(
      () => this.#readers.delete(waiting),
      () => this.#readers.delete(waiting),
    )
    return waiting
  }

  async #wait(runId: string, options: WaitOptions): Promise<RunOutcome> {
    const { signal } = options
    if (signal?.aborted) {
      await this.#record(runId)
      throw new WaitAbortedError(runId, { cause: signal.reason })
    }
    const record = await this.#record(runId)
    if (isTerminalStatus(record.status)) return this.#outcomeOf(record)
    // Following stops with the wait: a timeout or the caller's abort ends the read too.
    const follow = new AbortController()
    const ended = (async () => {
      for await (const _ of this.#store.readEvents(runId, {
        follow: true,
        signal: follow.signal,
      })) {
        // Reading to the end is the point: the stream ends at the terminal status.
      }
      return this.#outcomeOf(await this.#record(runId))
    })()
    try {
      return await raceWait(runId, ended, options)
    } finally {
      follow.abort()
      ended.catch(() => {})
    }
  }

  /**
   * A waiting run is taken off the queue and ends cancelled at once; a running one is told on the
   * channel every worker listens to, and ends cancelled when its action stops, or after the grace
   * (a task's late result is discarded, a job's process killed). Resolves `cancelled` once the run
   * ended so, `requested` if it had not within the grace and a margin.
   */
  async cancel(runId: string, options: CancelOptions = {}): Promise<CancelOutcome> {
    const record = await this.#store.getRun(runId)
    if (record === undefined) return 'not-found'
    if (isTerminalStatus(record.status)) return 'already-terminal'
    const graceMs = options.graceMs ?? this.#options.cancelGraceMs ?? 2000
    // The flag reaches a worker that takes the job after this (or takes it over from a dead one).
    await this.#redis.set(this.#store.keys.cancelFlag(runId), String(graceMs), 'EX', 7 * 86400)
    const queue = this.#queue(this.#queueOf(record))
    const job = await queue.getJob(jobIdOf(runId))
    let removed = false
    if (job !== undefined) {
      // A job a worker holds is locked and cannot be removed: that one hears the channel.
      removed = await job.remove().then(
        () => true,
        () => false,
      )
    }
    if (removed) {
      await this.#store.appendNext(runId, endingEvents(runId, 'cancelled', cancelledBefore(runId)))
    } else {
      await this.#redis.publish(
        this.#store.keys.cancelChannel(),
        JSON.stringify({ runId, graceMs }),
      )
    }
    try {
      const outcome = await this.wait(runId, { timeoutMs: graceMs + 3000 })
      return outcome.status === 'cancelled' ? 'cancelled' : 'already-terminal'
    } catch (error) {
      if (PluginError.is(error) && error.code === 'WAIT_TIMEOUT') return 'requested'
      throw error
    }
  }

  /**
   * Refuses new runs (`EXECUTOR_CLOSED`), cancels the runs submitted here that are still going,
   * waits for their last events and for the reads in flight, then closes the connections.
   * Closing twice is harmless.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const live = [...this.#live]
      await Promise.all(
        live.map(async (runId) => {
          const record = await this.#store.getRun(runId).catch(() => undefined)
          if (record !== undefined && !isTerminalStatus(record.status)) {
            await this.cancel(runId).catch(() => {})
          }
        }),
      )
      // Followers started before close hear the endings: let them read them before the store goes.
      await Promise.race([
        Promise.allSettled([...this.#readers]),
        new Promise((resolve) => setTimeout(resolve, 2000).unref()),
      ])
      await Promise.all([...this.#queues.values()].map((queue) => queue.close().catch(() => {})))
      await this.#store.close()
      await this.#redis.quit().catch(() => this.#redis.disconnect())
    })()
    return this.#closing
  }

  async #record(runId: string): Promise<RunRecord> {
    const record = await this.#timed('read', this.#store.getRun(runId))
    if (record === undefined) throw new RunNotFoundError(runId)
    return record
  }

  #outcomeOf(record: RunRecord): RunOutcome {
    const status = isTerminalStatus(record.status) ? record.status : 'failed'
    this.#live.delete(record.runId)
    const outcome: RunOutcome = { runId: record.runId, status }
    if (status === 'completed') {
      const definition = this.#definitions.get(record.runId)
      outcome.result =
        definition === undefined ? record.result : reviveResult(definition, record.result)
    } else if (record.error !== undefined) {
      outcome.error = PluginError.fromJSON(record.error)
    } else {
      outcome.error =
        status === 'cancelled'
          ? new CancelledError(`Run '${record.runId}' was cancelled`)
          : new ExecutionError(`Run '${record.runId}' ${status}`)
    }
    return outcome
  }

  #identity(pluginPath: string): PluginIdentity {
    let identity = this.#plugins.get(pluginPath)
    if (identity === undefined) {
      const { config } = PluginDiscovery.fromPath(pluginPath)
      identity = { code: config.code, version: config.version, hash: pluginHash(pluginPath) }
      this.#plugins.set(pluginPath, identity)
    }
    return identity
  }

  #queue(name: string): Queue<QueueJobData> {
    let queue = this.#queues.get(name)
    if (queue === undefined) {
      queue = new Queue<QueueJobData>(name, {
        connection: this.#redis,
        prefix: bullPrefix(this.#store.keys.prefix),
      })
      queue.on('error', () => {})
      this.#queues.set(name, queue)
    }
    return queue
  }

  #queueOf(record: RunRecord): string {
    return (
      this.#options.routes?.[record.action] ??
      this.#options.queue ??
      defaultQueueFor(this.name === 'job' ? 'job' : 'task')
    )
  }

  async #checkDepth(queue: Queue<QueueJobData>, name: string): Promise<void> {
    const max = this.#options.maxQueueDepth
    if (max === undefined) return
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed')
    const depth = (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0)
    if (depth >= max) {
      throw new PluginError(
        `Queue '${name}' holds ${depth} waiting runs, at its limit of ${max}: try again later or add workers`,
        {
          code: 'QUEUE_FULL',
          retryable: true,
          details: { queue: name, depth, maxQueueDepth: max },
        },
      )
    }
  }

  /** Redis calls wait for a reconnect forever; a caller gets a clear error instead. */
  async #timed<T>(what: string, call: Promise<T>): Promise<T> {
    const timeoutMs = this.#options.redisTimeoutMs ?? 10_000
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new PluginError(
                  `Redis at ${redactUrl(this.#options.redis)} did not answer within ${timeoutMs} ms (${what}): is it running and reachable?`,
                  {
                    code: 'QUEUE_UNAVAILABLE',
                    retryable: true,
                    details: { redis: redactUrl(this.#options.redis), timeoutMs, operation: what },
                  },
                ),
              ),
            timeoutMs,
          )
        }),
      ])
    } finally {
      clearTimeout(timer)
      call.catch(() => {})
    }
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}
