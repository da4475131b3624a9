import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  type AnyActionDefinition,
  CancelledError,
  EventLineDecoder,
  ExecutionError,
  errorKindOf,
  isTerminalStatus,
  type JsonValue,
  PluginDiscovery,
  PluginEnvironment,
  PluginError,
  type PluginInstaller,
  parseRunSpec,
  type RunSpec,
  type SerializedError,
} from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { type Job, UnrecoverableError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { AttemptWriter } from './attempt-writer'
import { pluginHash } from './plugin-hash'
import './queue-errors'
import type { QueueJobData } from './queue-job'
import { bullPrefix, defaultQueueFor } from './queue-names'
import { RedisRunStore } from './redis-run-store'
import { cancelledBefore, endingEvents, errorJson } from './run-outside'

/** Where a worker logs: pino's shape (`logger.info({ runId }, 'message')`), pino or not. */
export interface WorkerLogger {
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

/** How a {@link QueueWorker} takes and runs jobs. */
export interface QueueWorkerOptions {
  /** `redis://host:port`. */
  redis: string
  /** The queue to take runs from; default `synapse` in task mode, `synapse-job` in job mode. */
  queue?: string
  /** Key prefix, the same as the executors'; default `synapse`. */
  prefix?: string
  /**
   * `task`: runs in this process, `concurrency` at a time (warm: nothing to start per run).
   * `job`: each run in a child process of its own, killed on cancel or past its timeout.
   */
  mode?: 'task' | 'job'
  /** Runs at a time; default 1. */
  concurrency?: number
  /**
   * After a cancel, how long the action gets to stop on its own: then a task is declared
   * cancelled (its late result discarded) and a job's process is killed. Default 2000.
   */
  cancelGraceMs?: number
  /** Environment every run sees under its own. */
  env?: Record<string, unknown>
  /**
   * Plugin folders this worker serves, found by their code. A run of a plugin not listed is loaded
   * from the path in its spec (the same machine, or a shared folder).
   */
  plugins?: readonly string[]
  /**
   * Installs a run's plugin from a registry when its spec names a release (`code@version`) that
   * no listed folder serves; without one, such a run is refused.
   */
  installer?: PluginInstaller
  /**
   * How long a job's lock lasts without renewal: a worker that died is noticed after about this
   * long, and its runs go to another worker. Default 30000 (BullMQ's).
   */
  lockDurationMs?: number
  /** How often stalled jobs are looked for; default 30000. */
  stalledIntervalMs?: number
  /** How many times a job may lose its worker before it fails; default 1. */
  maxStalledCount?: number
  /** Job mode: the command a run's process runs; default this Node and `run-spec-main`. */
  jobCommand?: { command: string; args: readonly string[] }
  logger?: WorkerLogger
}

interface ActiveRun {
  /** The grace of a cancel heard, once one is. */
  requested?: number
  cancel(graceMs: number): void
  /** Hands the run back: nothing more of this attempt is written, a job's process is killed. */
  abandon(): void
}

interface LoadedPlugin {
  discovery: PluginDiscovery
  hash: string
  actions: Map<string, Promise<AnyActionDefinition>>
}

const silent: WorkerLogger = { info() {}, warn() {}, error() {} }

/**
 * Takes runs from a queue and runs them, writing their events into the Redis run store as they
 * happen. Listens on the cancel channel every worker shares, so a cancel reaches the run wherever
 * it is; refuses a run whose plugin differs from its own copy (`PLUGIN_MISMATCH`). Delivery is at
 * least once: a run whose worker dies is picked up by another once the lock expires.
 *
 * @example
 * const worker = new QueueWorker({ redis: 'redis://10.0.0.5:6379', concurrency: 8 })
 * await worker.start()
 * process.once('SIGTERM', () => void worker.close({ timeoutMs: 30_000 }))
 */
export class QueueWorker {
  readonly #options: QueueWorkerOptions
  readonly #redis: Redis
  readonly #store: RedisRunStore
  readonly #subscriber: Redis
  readonly #worker: Worker<QueueJobData>
  /** BullMQ's blocking connection: BullMQ leaves a connection it was given open. */
  readonly #blocking: Redis
  readonly #active = new Map<string, ActiveRun>()
  readonly #plugins = new Map<string, LoadedPlugin>()
  readonly #byCode = new Map<string, string>()
  readonly #log: WorkerLogger
  #closing: Promise<void> | undefined

  constructor(options: QueueWorkerOptions) {
    this.#options = options
    this.#log = options.logger ?? silent
    // Concurrent runs share the connection: their commands of one tick go in one write.
    this.#redis = new Redis(options.redis, {
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
    })
    this.#redis.on('error', (error) => this.#log.warn({ err: error.message }, 'redis error'))
    this.#store = new RedisRunStore({
      connection: this.#redis,
      ...(options.prefix !== undefined && { prefix: options.prefix }),
    })
    this.#subscriber = this.#redis.duplicate()
    this.#subscriber.on('error', () => {})
    for (const dir of options.plugins ?? []) {
      this.#byCode.set(PluginDiscovery.fromPath(dir).config.code, dir)
    }
    this.#blocking = new Redis(options.redis, { maxRetriesPerRequest: null })
    this.#blocking.on('error', () => {})
    this.#worker = new Worker<QueueJobData>(
      options.queue ?? defaultQueueFor(options.mode ?? 'task'),
      (job) => this.#process(job),
      {
        connection: this.#blocking,
        prefix: bullPrefix(this.#store.keys.prefix),
        concurrency: options.concurrency ?? 1,
        autorun: false,
        ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
        ...(options.stalledIntervalMs !== undefined && {
          stalledInterval: options.stalledIntervalMs,
        }),
        ...(options.maxStalledCount !== undefined && { maxStalledCount: options.maxStalledCount }),
      },
    )
    this.#worker.on('error', (error) => this.#log.warn({ err: error.message }, 'worker error'))
    // A run whose job failed for good without the run saying so (its workers kept dying) ends
    // here; for every other run the append is a no-op, since the run has ended already.
    this.#worker.on('failed', (job, error) => {
      if (job === undefined || job.attemptsMade < (job.opts.attempts ?? 1)) return
      const runId = job.data.spec.runId
      const lost = new PluginError(`Run '${runId}' was lost: ${error.message}`, {
        code: 'RUN_LOST',
        details: { runId, attempts: job.attemptsMade },
      })
      void this.#store.appendNext(runId, endingEvents(runId, 'failed', lost)).catch(() => {})
    })
  }

  /** The run store the worker writes (for tests and tools on the same connection). */
  get store(): RedisRunStore {
    return this.#store
  }

  /** Subscribes to cancels and starts taking jobs; resolves once both are listening. */
  async start(): Promise<void> {
    this.#subscriber.on('message', (_channel: string, message: string) => this.#onCancel(message))
    await this.#subscriber.subscribe(this.#store.keys.cancelChannel())
    void this.#worker.run().catch((error: unknown) => {
      this.#log.error({ err: String(error) }, 'worker stopped')
    })
    await this.#worker.waitUntilReady()
    this.#log.info(
      {
        queue: this.#options.queue ?? defaultQueueFor(this.#options.mode ?? 'task'),
        mode: this.#options.mode ?? 'task',
        concurrency: this.#options.concurrency ?? 1,
      },
      'worker started',
    )
  }

  /** How many runs this worker holds right now. */
  get running(): number {
    return this.#active.size
  }

  /**
   * Stops taking jobs and lets the running ones finish, up to `timeoutMs` (default: no limit);
   * past it, runs still going are handed back: their jobs return to the queue once their lock
   * expires and another worker runs them. Closing twice is harmless.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= (async () => {
      this.#log.info({ running: this.#active.size }, 'worker closing')
      const graceful = this.#worker.close()
      let timer: NodeJS.Timeout | undefined
      const timedOut =
        options.timeoutMs === undefined
          ? new Promise<never>(() => {})
          : new Promise<'timeout'>((resolve) => {
              timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
            })
      const how = await Promise.race([graceful.then(() => 'done' as const), timedOut])
      clearTimeout(timer)
      if (how === 'timeout') {
        // Their locks expire and another worker takes them over; this one must not write more.
        this.#log.warn({ running: this.#active.size }, 'handing running jobs back')
        for (const run of this.#active.values()) run.abandon()
        await Promise.race([
          this.#worker.close(true).catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, 1000).unref()),
        ])
        this.#subscriber.disconnect()
        await this.#store.close().catch(() => {})
        this.#redis.disconnect()
        this.#blocking.disconnect()
        this.#log.info({}, 'worker closed')
        return
      }
      await this.#subscriber.quit().catch(() => this.#subscriber.disconnect())
      await this.#store.close()
      await this.#redis.quit().catch(() => this.#redis.disconnect())
      await this.#blocking.quit().catch(() => this.#blocking.disconnect())
      this.#log.info({}, 'worker closed')
    })()
    return this.#closing
  }

  #onCancel(message: string): void {
    let parsed: { runId?: unknown; graceMs?: unknown }
    try {
      parsed = JSON.parse(message) as typeof parsed
    } catch {
      return
    }
    if (typeof parsed.runId !== 'string') return
    const run = this.#active.get(parsed.runId)
    if (run === undefined) return
    const grace =
      typeof parsed.graceMs === 'number' ? parsed.graceMs : (this.#options.cancelGraceMs ?? 2000)
    this.#log.info({ runId: parsed.runId, graceMs: grace }, 'cancelling')
    run.cancel(grace)
  }

  async #process(job: Job<QueueJobData>): Promise<null> {
    const spec = parseRunSpec(job.data.spec)
    const { runId } = spec
    const active: ActiveRun = {
      cancel(graceMs) {
        this.requested = graceMs
      },
      abandon() {},
    }
    // Listed before the flag is read: a cancel is either seen in the flag or heard on the channel.
    this.#active.set(runId, active)
    try {
      const record = await this.#store.getRun(runId)
      if (record === undefined || isTerminalStatus(record.status)) return null
      const flag = await this.#redis.get(this.#store.keys.cancelFlag(runId))
      if (flag !== null || active.requested !== undefined) {
        await this.#store.appendNext(
          runId,
          endingEvents(runId, 'cancelled', cancelledBefore(runId)),
        )
        return null
      }
      this.#log.info({ runId, action: spec.action, attempt: job.attemptsMade + 1 }, 'run started')
      const refused = await this.#refusal(job.data, spec)
      if (refused !== undefined) {
        this.#log.warn({ runId, code: refused.code }, refused.message)
        await this.#store.appendNext(runId, endingEvents(runId, 'failed', refused))
        return null
      }
      const params = await this.#paramsOf(job.data, spec)
      const writer = new AttemptWriter(this.#store, runId, (error) => this.#retryable(job, error))
      active.abandon = () => writer.detach()
      if (this.#options.mode === 'job') {
        await this.#runJob(job, { ...spec, params }, writer, active)
      } else {
        await this.#runTask(job.data, { ...spec, params }, writer, active)
      }
      await writer.flush()
      this.#log.info({ runId, status: writer.retried ? 'retrying' : writer.ended }, 'run ended')
      if (writer.retried !== undefined) throw new Error(writer.retried.message)
      return null
    } catch (error) {
      if (error instanceof Error && !PluginError.is(error)) throw error
      // The machinery failed, not the action: end the run with why, and do not retry it.
      const failure = PluginError.from(error)
      this.#log.error({ runId, code: failure.code }, failure.message)
      await this.#store.appendNext(runId, endingEvents(runId, 'failed', failure)).catch(() => {})
      throw new UnrecoverableError(failure.message)
    } finally {
      this.#active.delete(runId)
    }
  }

  async #runTask(
    data: QueueJobData,
    spec: RunSpec,
    writer: AttemptWriter,
    active: ActiveRun,
  ): Promise<void> {
    const plugin = await this.#loaded(spec, data)
    const action = await this.#action(plugin, spec.action)
    const local = new LocalExecutor({
      sinks: () => [writer],
      retainRuns: 1,
      ...(this.#options.env !== undefined && { env: this.#options.env }),
      ...(this.#options.cancelGraceMs !== undefined && {
        cancelGraceMs: this.#options.cancelGraceMs,
      }),
    })
    const runId = await local.submit({
      action,
      params: spec.params,
      runId: spec.runId,
      source: plugin.discovery.sourceOf(spec.action),
      ...(spec.env !== undefined && { env: new PluginEnvironment(spec.env) }),
      ...(spec.checkpoint !== undefined && { checkpoint: spec.checkpoint }),
      ...(spec.parentRunId !== undefined && { parentRunId: spec.parentRunId }),
    })
    active.cancel = (graceMs) => void local.cancel(runId, { graceMs })
    // A cancel heard while the action was loading is acted on now.
    if (active.requested !== undefined) active.cancel(active.requested)
    const timeout = data.timeoutMs
    let timer: NodeJS.Timeout | undefined
    if (timeout !== undefined) {
      // In-process code cannot be killed: past its timeout the run is declared over.
      timer = setTimeout(() => {
        writer.endAs('failed', errorJson(timeoutError(runId, timeout)))
        void local.cancel(runId, { graceMs: 0 })
      }, timeout)
    }
    try {
      await local.wait(runId)
    } finally {
      clearTimeout(timer)
    }
  }

  async #runJob(
    job: Job<QueueJobData>,
    spec: RunSpec,
    writer: AttemptWriter,
    active: ActiveRun,
  ): Promise<void> {
    const { runId } = spec
    const dir = await this.#pluginDir(spec, job.data)
    const childSpec: RunSpec = { ...spec, plugin: { path: dir } }
    const grace = this.#options.cancelGraceMs ?? 2000
    const { command, args } = this.#options.jobCommand ?? defaultJobCommand()
    const env: NodeJS.ProcessEnv = { ...process.env, SYNAPSE_CANCEL_GRACE_MS: String(grace) }
    for (const [key, value] of Object.entries(this.#options.env ?? {})) {
      if (value !== undefined && env[key] === undefined) env[key] = String(value)
    }
    const child = spawn(command, [...args, '-'], { stdio: ['pipe', 'pipe', 'pipe'], env })
    const decoder = new EventLineDecoder()
    let stderr = ''
    let ending: { status: 'failed' | 'cancelled'; error: PluginError } | undefined
    const take = (items: ReturnType<EventLineDecoder['push']>) => {
      for (const item of items) {
        if ('event' in item) writer.write(item.event)
        else if (item.output.trim() !== '') {
          writer.write({
            runId,
            seq: 0,
            time: new Date().toISOString(),
            type: 'log',
            level: 'info',
            event: 'output',
            data: { message: item.output },
          })
        }
      }
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject)
        child.once('close', (code, signal) => resolve({ code, signal }))
      },
    )
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        take(decoder.push(chunk))
      } catch (error) {
        ending ??= { status: 'failed', error: PluginError.from(error) }
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child.stdin.on('error', () => {})
    child.stdin.end(JSON.stringify(childSpec))
    let killTimer: NodeJS.Timeout | undefined
    active.abandon = () => {
      writer.detach()
      child.kill('SIGKILL')
    }
    active.cancel = (graceMs) => {
      ending ??= { status: 'cancelled', error: new CancelledError(`Run '${runId}' was cancelled`) }
      child.kill('SIGTERM')
      // The child declares the run cancelled after the grace; if it cannot, it is killed.
      clearTimeout(killTimer)
      killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs + 1000)
    }
    if (active.requested !== undefined) active.cancel(active.requested)
    let timeoutTimer: NodeJS.Timeout | undefined
    const timeout = job.data.timeoutMs
    if (timeout !== undefined) {
      timeoutTimer = setTimeout(() => {
        ending ??= { status: 'failed', error: timeoutError(runId, timeout) }
        child.kill('SIGKILL')
      }, timeout)
    }
    try {
      const { code, signal } = await exited
      take(decoder.end())
      if (writer.ended === undefined) {
        const end = ending ?? {
          status: 'failed' as const,
          error: new ExecutionError(
            `The process of run '${runId}' exited (${signal ?? `code ${code}`}) before the run ended${stderr === '' ? '' : `: ${stderr.trim()}`}`,
            { details: { runId, exitCode: code, signal } },
          ),
        }
        for (const event of endingEvents(runId, end.status, end.error)) writer.write(event)
      }
    } finally {
      clearTimeout(killTimer)
      clearTimeout(timeoutTimer)
    }
  }

  /** Why this worker must not run the job, if it must not. */
  async #refusal(data: QueueJobData, spec: RunSpec): Promise<PluginError | undefined> {
    let plugin: LoadedPlugin
    try {
      plugin = await this.#loaded(spec, data)
    } catch (error) {
      return PluginError.from(error)
    }
    if (plugin.hash !== data.plugin.hash) {
      return new PluginError(
        `Plugin '${data.plugin.code}' on this worker (${plugin.hash}) is not the one run '${spec.runId}' was submitted with (${data.plugin.hash}): deploy the same version to the workers, or submit again`,
        {
          code: 'PLUGIN_MISMATCH',
          details: {
            plugin: data.plugin.code,
            version: data.plugin.version,
            expected: data.plugin.hash,
            actual: plugin.hash,
          },
        },
      )
    }
    return undefined
  }

  async #pluginDir(spec: RunSpec, data: QueueJobData): Promise<string> {
    const listed = this.#byCode.get(data.plugin.code)
    if (listed !== undefined) return listed
    if ('path' in spec.plugin) return spec.plugin.path
    if (this.#options.installer !== undefined) {
      return this.#options.installer.install(spec.plugin.code, spec.plugin.version)
    }
    throw new PluginError(
      `Plugin ${spec.plugin.code}@${spec.plugin.version} is not served by this worker (start it with the plugin's folder, or with a registry to install releases from)`,
      { code: 'ACTION_NOT_FOUND', details: { plugin: spec.plugin } },
    )
  }

  /** The plugin as this worker loaded it, hashed once: the code it runs is the code it hashed. */
  async #loaded(spec: RunSpec, data: QueueJobData): Promise<LoadedPlugin> {
    const dir = await this.#pluginDir(spec, data)
    let plugin = this.#plugins.get(dir)
    if (plugin === undefined) {
      plugin = {
        discovery: PluginDiscovery.fromPath(dir),
        hash: pluginHash(dir),
        actions: new Map(),
      }
      this.#plugins.set(dir, plugin)
    }
    return plugin
  }

  #action(plugin: LoadedPlugin, name: string): Promise<AnyActionDefinition> {
    let action = plugin.actions.get(name)
    if (action === undefined) {
      action = plugin.discovery.getAction(name)
      // A failed load is not cached: the next run tries again.
      action.catch(() => plugin.actions.delete(name))
      plugin.actions.set(name, action)
    }
    return action
  }

  async #paramsOf(data: QueueJobData, spec: RunSpec): Promise<JsonValue> {
    if (data.paramsRef !== true) return spec.params
    const text = await this.#redis.get(this.#store.keys.blob(spec.runId, 'params'))
    if (text === null) {
      throw new PluginError(`The params of run '${spec.runId}' are no longer in Redis`, {
        code: 'RUN_LOST',
        details: { runId: spec.runId },
      })
    }
    return JSON.parse(text) as JsonValue
  }

  /**
   * Whether a failure is tried again: attempts left, no input error in its chain, and the error
   * that says what went wrong (the innermost PluginError under the executor's own wrappers) is
   * marked `retryable`. A failure that is no PluginError at all (a crash, a TypeError) is retried.
   */
  #retryable(job: Job<QueueJobData>, error: SerializedError): boolean {
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) return false
    let deciding: SerializedError | undefined
    for (let e: SerializedError | undefined = error; e !== undefined; e = e.cause) {
      if (e.code === undefined) continue
      if (errorKindOf(e.code) !== 'failure') return false
      if (!WRAPPERS.has(e.code)) deciding = e
    }
    return deciding === undefined || deciding.retryable === true
  }
}

// Codes the executors put around an action's own error: they say a run failed, not why.
const WRAPPERS = new Set(['EXECUTION_FAILED', 'ACTION_CRASHED', 'PLUGIN_ERROR'])

function timeoutError(runId: string, timeoutMs: number): PluginError {
  return new PluginError(
    `Run '${runId}' went over its timeout of ${timeoutMs} ms and was stopped`,
    {
      code: 'RUN_TIMEOUT',
      details: { runId, timeoutMs },
    },
  )
}

/** This Node, with the flags it runs under (a loader in development), on the spec entry. */
function defaultJobCommand(): { command: string; args: string[] } {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = fileURLToPath(
    new URL(fromSource ? './run-spec-main.ts' : './run-spec-main.js', import.meta.url),
  )
  return { command: process.execPath, args: [...process.execArgv, entry] }
}
