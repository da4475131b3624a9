import { randomUUID } from 'node:crypto'
import {
  type CancelOptions,
  type CancelOutcome,
  type DataTypeRegistry,
  defaultDataTypes,
  defaultTypeAdapters,
  ExecutionError,
  type ExecutorProtocol,
  isTerminalStatus,
  type JsonValue,
  outcomeError,
  PluginError,
  RunConflictError,
  RunNotFoundError,
  type RunOutcome,
  type RunRecord,
  type RunStore,
  reviveResult,
  SchemaIncompatibleError,
  serializeError,
  type TypeAdapterRegistry,
  toJsonValue,
  ValidationError,
  WaitAbortedError,
  type WaitOptions,
  WaitTimeoutError,
} from '@synapse/core'
import { buildSteps } from './build-steps'
import { requestPipelineCancel } from './cancel-request'
import { missingParams } from './check-params'
import { isPlainObject, mergeResult } from './merge-result'
import type { PipelineDiagnostic } from './pipeline-diagnostic'
import { PipelineAlreadyCompletedError, PipelineMismatchError } from './pipeline-errors'
import { PipelineJournal } from './pipeline-journal'
import { type PipelinePlan, type PlanStep, planSteps, renderPlan } from './pipeline-plan'
import { PIPELINE_EVENT, type PipelineState, readPipelineState } from './pipeline-state'
import type { PipelineStepInput, ResolvedStep } from './pipeline-step'
import { pipelineLog, runSteps } from './run-steps'

/** How an {@link ActionPipeline} checks its edges and bridges them. */
export interface ActionPipelineOptions {
  /** Name of the pipeline run's record in the store; default `pipeline`. */
  name?: string
  /** Edges whose types do not fit, and required params no earlier result provides, throw. */
  strict?: boolean
  /** Where type names are looked up; default core's `defaultDataTypes`. */
  types?: DataTypeRegistry
  /** Where converters are looked up; default core's `defaultTypeAdapters`. */
  adapters?: TypeAdapterRegistry
  /** Splice adapters into edges whose types differ (opt-in: a conversion costs time and may lose data). */
  insertConverters?: boolean
  /** Params the caller will pass at the start: strict mode counts them as provided. */
  initialParams?: readonly string[]
  /** Hears every diagnostic of construction. Without it, warnings go to `process.emitWarning`. */
  onDiagnostic?: (diagnostic: PipelineDiagnostic) => void
  /**
   * What the pipeline was built from (a pipeline file's definition), kept with each run it
   * starts (`PipelineState.source`), so another process can rebuild it to resume the run.
   */
  source?: Record<string, JsonValue>
}

/** Where a pipeline runs: its actions on `executor`, its own record and checkpoints in `store`. */
export interface PipelineRunOptions {
  executor: ExecutorProtocol
  /** Should be the store the executor records into, so step runs and the pipeline run sit together. */
  store: RunStore
  /** Caller-chosen id of the pipeline run; default `pipeline-<uuid>`. */
  runId?: string
}

/** What {@link ActionPipeline.wait} needs: the store, and when to stop waiting. */
export interface PipelineWaitOptions extends WaitOptions {
  store: RunStore
}

/** How often a running pipeline looks in the store for a cancel asked for by another process. */
const CANCEL_POLL_MS = 200

interface ActiveRun {
  controller: AbortController
  executor: ExecutorProtocol
  done: Promise<RunOutcome>
  stepRunId: string | undefined
}

/**
 * A chain of actions checked before it runs: each action's output type against the next one's
 * input type, each action's required params against what comes before it. It runs on any
 * executor, each action a run of its own linked to the pipeline run by `parentRunId`, and keeps a
 * checkpoint in the store after each step, so `resume` continues a run that failed, was cancelled
 * or whose process died.
 *
 * Data flow: each action's params are the params merged so far (see `mergeResult`: result keys
 * win), or what its step's `mapParams` makes of them. The pipeline's result is the last step's.
 *
 * @example
 * const pipeline = new ActionPipeline([download, { action: train, mapParams: (p) => ({ ...p, operation: 'train' }) }])
 * const executor = new LocalExecutor({ store })
 * const result = await pipeline.run({ dataset: 'ds-1' }, { executor, store })
 */
export class ActionPipeline {
  /** What the construction checks found (type mismatches, inserted converters, uncovered params). */
  readonly diagnostics: readonly PipelineDiagnostic[]
  readonly name: string
  readonly #steps: readonly ResolvedStep[]
  readonly #source: Record<string, JsonValue> | undefined
  readonly #active = new Map<string, ActiveRun>()

  constructor(actions: readonly PipelineStepInput[], options: ActionPipelineOptions = {}) {
    if (actions.length === 0) throw new TypeError('A pipeline needs at least one action')
    this.name = options.name ?? 'pipeline'
    const strict = options.strict ?? false
    const { steps, diagnostics } = buildSteps(actions, {
      types: options.types ?? defaultDataTypes,
      adapters: options.adapters ?? defaultTypeAdapters,
      insertConverters: options.insertConverters ?? false,
      strict,
    })
    // Uncovered params are only news until the initial params are known: `plan` decides then.
    diagnostics.push(
      ...missingParams(steps, new Set(options.initialParams ?? []), strict ? 'error' : 'info'),
    )
    this.#steps = steps
    this.#source = options.source
    this.diagnostics = diagnostics
    const errors = diagnostics.filter((d) => d.severity === 'error')
    if (errors.length > 0) {
      throw new SchemaIncompatibleError(
        `Pipeline '${this.name}' does not fit together:\n${errors.map((d) => `  - ${d.message}`).join('\n')}`,
        { details: { diagnostics: errors } },
      )
    }
    for (const d of diagnostics) {
      if (options.onDiagnostic !== undefined) options.onDiagnostic(d)
      else if (d.severity === 'warning')
        process.emitWarning(d.message, { code: 'SYNAPSE_PIPELINE' })
    }
  }

  /** The steps as they will run, converters included. */
  get steps(): PlanStep[] {
    return planSteps(this.#steps)
  }

  /**
   * A dry run: the construction diagnostics, and with `params` the checks that need them (the
   * first action's params validated by its schema, every later action's required params found in
   * `params` or an earlier result). Nothing runs and nothing is stored.
   */
  plan(params?: Record<string, unknown>): PipelinePlan {
    const diagnostics =
      params === undefined
        ? [...this.diagnostics]
        : [
            ...this.diagnostics.filter((d) => d.code !== 'MISSING_PARAMS'),
            ...this.#checkParams(params),
          ]
    const steps = planSteps(this.#steps)
    return {
      name: this.name,
      ok: diagnostics.every((d) => d.severity !== 'error'),
      steps,
      diagnostics,
      text: renderPlan(this.name, steps, diagnostics),
    }
  }

  /** Starts the pipeline and resolves to its result; throws its error if it did not complete. */
  async run(params: Record<string, unknown>, options: PipelineRunOptions): Promise<unknown> {
    const runId = await this.submit(params, options)
    const outcome = await this.wait(runId, { store: options.store })
    if (outcome.status !== 'completed') throw outcomeError(outcome)
    return outcome.result
  }

  /**
   * Checks `params` (see `plan`; a failed check throws `ValidationError` and nothing is stored),
   * records the pipeline run and starts it in this process. Resolves to the run's id.
   */
  async submit(params: Record<string, unknown>, options: PipelineRunOptions): Promise<string> {
    const problems = this.#checkParams(params).filter((d) => d.severity === 'error')
    if (problems.length > 0) {
      throw new ValidationError(
        `Invalid params for pipeline '${this.name}'`,
        problems.flatMap((d) =>
          (d.missing ?? ['(params)']).map((key) => ({
            path: [d.to, key],
            message:
              d.code === 'MISSING_PARAMS' ? 'required, and no earlier step provides it' : d.message,
          })),
        ),
        { code: 'INVALID_PARAMS', details: { pipeline: this.name } },
      )
    }
    const runId = options.runId ?? `pipeline-${randomUUID()}`
    const { store } = options
    const { created, record } = await store.createRun({
      runId,
      action: this.name,
      executor: 'pipeline',
      params: toJsonValue(params, 'params', 'PARAMS_NOT_ENCODABLE'),
    })
    if (!created)
      throw new RunConflictError(
        runId,
        `action '${record.action}' in the run store; resume it instead`,
      )
    const journal = new PipelineJournal(store, runId, record.lastSeq)
    journal.write({ type: 'status', status: 'pending' })
    journal.write(
      pipelineLog(PIPELINE_EVENT.plan, {
        steps: planSteps(this.#steps),
        ...(this.#source !== undefined && { source: this.#source }),
      }),
    )
    journal.write({ type: 'status', status: 'running' })
    journal.write(pipelineLog(PIPELINE_EVENT.attempt, { attempt: 1, startIndex: 0 }))
    await journal.flush()
    this.#launch(runId, options, journal, 1, 0, { ...params }, undefined)
    return runId
  }

  /**
   * Continues a pipeline run from the first step that did not complete, reusing the stored
   * results of those that did (revived to their actions' types). The run keeps its id; its steps
   * run again under new step-run ids. Throws `PipelineAlreadyCompletedError` for a completed run
   * (nothing runs), `PipelineMismatchError` when this pipeline's steps are not the run's, and
   * `RunConflictError` while the run still goes in this process.
   */
  async resume(runId: string, options: Omit<PipelineRunOptions, 'runId'>): Promise<string> {
    if (this.#active.has(runId)) throw new RunConflictError(runId, 'its attempt still running here')
    const { store } = options
    const state = await readPipelineState(store, runId)
    if (state.status === 'completed') throw new PipelineAlreadyCompletedError(runId)
    const given = this.#steps.map((s) => s.name)
    const stored = state.steps.map((s) => s.name)
    if (given.join('\n') !== stored.join('\n'))
      throw new PipelineMismatchError(runId, stored, given)
    const record = (await store.getRun(runId)) as RunRecord
    // Rebuild the merged params exactly as the first attempt made them, mappings replayed.
    let merged: Record<string, unknown> = isPlainObject(record.params) ? { ...record.params } : {}
    let last: unknown
    let start = 0
    for (const step of this.#steps) {
      const checkpoint = state.checkpoints[step.index]
      if (checkpoint === undefined) break
      if (step.kind === 'action') {
        const input = step.mapParams === undefined ? merged : step.mapParams(merged)
        last = reviveResult(step.action, checkpoint.result)
        merged = mergeResult(input, last)
      } else {
        last = checkpoint.result
        merged = mergeResult(merged, last)
      }
      start = step.index + 1
    }
    const attempt = state.attempt + 1
    await closeAbandonedStepRuns(store, state, attempt)
    const journal = new PipelineJournal(store, runId, record.lastSeq)
    journal.write({ type: 'status', status: 'running' })
    journal.write(pipelineLog(PIPELINE_EVENT.attempt, { attempt, startIndex: start }))
    await journal.flush()
    this.#launch(runId, options, journal, attempt, start, merged, last)
    return runId
  }

  /** The pipeline run as the store has it: status, percent, each step's status and checkpoint. */
  status(runId: string, options: { store: RunStore }): Promise<PipelineState> {
    return readPipelineState(options.store, runId)
  }

  /**
   * Waits for the pipeline run to end, whichever process runs it. `WaitTimeoutError` after
   * `timeoutMs`, `WaitAbortedError` when `signal` aborts; the run goes on in both cases.
   */
  async wait(runId: string, options: PipelineWaitOptions): Promise<RunOutcome> {
    const active = this.#active.get(runId)
    const { store, timeoutMs, signal } = options
    const stop = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const gaveUp = new Promise<never>((_, reject) => {
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => reject(new WaitTimeoutError(runId, timeoutMs)), timeoutMs)
      }
      const onAbort = () => reject(new WaitAbortedError(runId))
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    })
    gaveUp.catch(() => stop.abort())
    try {
      return await Promise.race([
        active === undefined ? this.#awaitStored(store, runId, stop.signal) : active.done,
        gaveUp,
      ])
    } finally {
      clearTimeout(timer)
      stop.abort()
    }
  }

  /**
   * Stops a pipeline run this process is running: the step going is cancelled on its executor
   * and the run ends `cancelled`, its completed steps kept for `resume`. A run of another
   * process is reached through `store` (see `requestPipelineCancel`): `requested`, and that
   * process stops it within a poll; without a store, `not-found`.
   */
  async cancel(
    runId: string,
    options: CancelOptions & { store?: RunStore } = {},
  ): Promise<CancelOutcome> {
    const active = this.#active.get(runId)
    if (active === undefined) {
      return options.store === undefined ? 'not-found' : requestPipelineCancel(options.store, runId)
    }
    active.controller.abort()
    const { store: _, ...cancelOptions } = options
    if (active.stepRunId !== undefined)
      await active.executor.cancel(active.stepRunId, cancelOptions)
    const outcome = await active.done
    return outcome.status === 'cancelled' ? 'cancelled' : 'already-terminal'
  }

  #launch(
    runId: string,
    options: Omit<PipelineRunOptions, 'runId'>,
    journal: PipelineJournal,
    attempt: number,
    startIndex: number,
    merged: Record<string, unknown>,
    lastResult: unknown,
  ): void {
    const { executor, store } = options
    const controller = new AbortController()
    const active: ActiveRun = {
      controller,
      executor,
      stepRunId: undefined,
      done: undefined as never,
    }
    active.done = runSteps({
      runId,
      pipelineName: this.name,
      steps: this.#steps,
      executor,
      journal,
      attempt,
      startIndex,
      merged,
      lastResult,
      signal: controller.signal,
      onStepRun: (id) => {
        active.stepRunId = id
      },
    })
      .catch((error: unknown): RunOutcome => {
        // Only the store failing gets here: the run's end could not be recorded.
        return { runId, status: 'failed', error: PluginError.from(error) }
      })
      .finally(() => {
        clearInterval(poll)
        this.#active.delete(runId)
      })
    this.#active.set(runId, active)
    // A cancel asked for by another process arrives through the store; only a store that can
    // carry one is polled.
    const poll =
      store.requestCancel === undefined
        ? undefined
        : setInterval(() => {
            store.getRun(runId).then(
              (record) => {
                if (record?.cancelRequestedAt === undefined || controller.signal.aborted) return
                clearInterval(poll)
                void this.cancel(runId)
              },
              () => {
                // A failed read is tried again at the next poll; the run's own writes report
                // a store that is gone.
              },
            )
          }, CANCEL_POLL_MS).unref()
  }

  async #awaitStored(store: RunStore, runId: string, signal: AbortSignal): Promise<RunOutcome> {
    let record = await store.getRun(runId)
    if (record === undefined) throw new RunNotFoundError(runId)
    if (!isTerminalStatus(record.status)) {
      // From the last event seen: an earlier attempt's terminal status must not end the read.
      for await (const _ of store.readEvents(runId, {
        follow: true,
        afterSeq: record.lastSeq,
        signal,
      })) {
        // The stream ends at the run's terminal status.
      }
      record = (await store.getRun(runId)) as RunRecord
    }
    return this.#outcomeOf(record)
  }

  #outcomeOf(record: RunRecord): RunOutcome {
    const status = record.status
    if (status === 'completed') {
      const last = this.#steps.at(-1)
      const result =
        last?.kind === 'action' ? reviveResult(last.action, record.result) : record.result
      return { runId: record.runId, status, result }
    }
    const error = record.error === undefined ? undefined : PluginError.fromJSON(record.error)
    return {
      runId: record.runId,
      status: status === 'cancelled' ? 'cancelled' : 'failed',
      ...(error !== undefined && { error }),
    }
  }

  /** The checks that need the initial params: the first action's schema, then coverage. */
  #checkParams(params: Record<string, unknown>): PipelineDiagnostic[] {
    const diagnostics: PipelineDiagnostic[] = []
    const first = this.#steps[0]
    if (first?.kind === 'action') {
      const input = first.mapParams === undefined ? params : first.mapParams(params)
      const parsed = first.action.params.safeParse(input)
      if (!parsed.success) {
        for (const issue of parsed.error.issues as { path: PropertyKey[]; message: string }[]) {
          const path = issue.path.map(String).join('.') || '(params)'
          diagnostics.push({
            severity: 'error',
            code: 'INVALID_PARAMS',
            from: '(params)',
            to: first.name,
            missing: [path],
            message: `'${first.name}': ${path}: ${issue.message}`,
          })
        }
      }
    }
    diagnostics.push(...missingParams(this.#steps, new Set(Object.keys(params)), 'error'))
    return diagnostics
  }
}

/**
 * A step run the last attempt left going (its process died with it) would read as running
 * forever: resuming declares it failed, so `runs list` tells the truth. Only records still not
 * terminal are touched; resuming asserts the last attempt is gone.
 */
async function closeAbandonedStepRuns(
  store: RunStore,
  state: PipelineState,
  attempt: number,
): Promise<void> {
  for (const step of state.steps) {
    if (step.runId === undefined || step.status === 'completed') continue
    const record = await store.getRun(step.runId)
    if (record === undefined || isTerminalStatus(record.status)) continue
    const error = new ExecutionError(
      `Step run '${step.runId}' was abandoned: its pipeline run '${state.runId}' was resumed as attempt ${attempt}`,
      { details: { runId: step.runId, pipelineRunId: state.runId, attempt, reason: 'abandoned' } },
    )
    const time = new Date().toISOString()
    await store.appendEvents(step.runId, [
      {
        runId: step.runId,
        seq: record.lastSeq + 1,
        time,
        type: 'error',
        error: serializeError(error),
      },
      { runId: step.runId, seq: record.lastSeq + 2, time, type: 'status', status: 'failed' },
    ])
  }
}
