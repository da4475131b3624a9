import { CancelledError, PluginError, serializeError } from '@synapse/core'
import { type RollbackFailure, StepFailedError } from './errors/step-failed-error'
import { StepTimeoutError } from './errors/step-timeout-error'
import { StepUsageError } from './errors/step-usage-error'
import {
  backoffDelay,
  NO_RETRY,
  type ResolvedRetryPolicy,
  type RetryPolicy,
  resolveRetryPolicy,
  shouldRetry,
} from './retry-policy'
import { sleep } from './sleep'
import type { Step } from './step'
import {
  type ActiveStep,
  activateStep,
  claimContext,
  releaseContext,
  runInAttempt,
  type StepContext,
} from './step-context'
import { assertValidStep, StepRegistry } from './step-registry'
import { type StepResult, stepResult } from './step-result'
import { WeightedProgress } from './weighted-progress'

/** The progress category of the overall percent unless {@link OrchestratorOptions} names another. */
export const OVERALL_CATEGORY = 'overall'

/** How an {@link Orchestrator} runs its steps. */
export interface OrchestratorOptions {
  /** Category of the overall percent. Default {@link OVERALL_CATEGORY}. */
  overallCategory?: string
  /**
   * The context of the step this workflow runs inside. The overall percent is then reported as
   * that step's own progress, so it fills the step's share of the outer run's overall bar.
   */
  parent?: StepContext
  /** Timeout of each step that sets none, in ms. Default none. */
  timeoutMs?: number
  /** Retry policy of each step that sets none. Default one attempt. */
  retry?: RetryPolicy
  /** Clock in ms for step durations, for tests. Default `performance.now`. */
  now?: () => number
}

/** How one step of a successful run went. */
export interface StepRunRecord {
  name: string
  status: 'succeeded' | 'skipped'
  /** From just before `canSkip` to the end of the last attempt, in ms. */
  durationMs: number
  /** Attempts made: 0 for a skipped step. */
  attempts: number
}

/** What {@link Orchestrator.execute} returns when every step succeeded or was skipped. */
export interface OrchestratorSummary {
  success: true
  /** Steps that ran (not skipped). */
  stepsExecuted: number
  stepsSkipped: number
  stepsTotal: number
  /** Each step in order, with its duration and attempts. */
  steps: StepRunRecord[]
}

/** How a step's attempts ended: the last result, and how many were made. */
interface Attempted {
  result: StepResult
  attempts: number
}

/** The step a context is running, for one attempt. */
class StepAttempt implements ActiveStep {
  readonly name: string
  readonly signal: AbortSignal
  readonly #progress: WeightedProgress
  readonly #index: number
  /** Cleared when the attempt ends: an abandoned attempt no longer moves the overall bar. */
  live = true

  constructor(name: string, signal: AbortSignal, progress: WeightedProgress, index: number) {
    this.name = name
    this.signal = signal
    this.#progress = progress
    this.#index = index
  }

  onProgress(fraction: number): void {
    if (this.live) this.#progress.step(this.#index, fraction)
  }
}

interface Executed<TContext extends StepContext> {
  step: Step<TContext>
  result: StepResult
}

const noProgress = (): void => {}
/** A signal never aborted: rollbacks run to the end even in a cancelled run. */
const ROLLBACK_SIGNAL = new AbortController().signal

/**
 * Runs a workflow's steps in order over one context, with weighted overall progress.
 *
 * - A step whose `canSkip` is true is credited its weight and never rolled back.
 * - When a step fails (throws, returns a failed result, or times out) after its retries, every
 *   executed step is rolled back in reverse order, the failed one first; a rollback that throws
 *   does not stop the others. The run then rejects with {@link StepFailedError}, whose `cause` is
 *   the step's error and whose `rollbackFailures` hold every rollback error.
 * - When the run's signal aborts, no further step starts (a step that checks its signal stops
 *   too), the executed steps are rolled back the same way, and the run rejects with core's
 *   `CancelledError` (`RUN_CANCELLED`), so executors report it `cancelled`.
 * - The overall percent goes to the `overall` category (or into the parent step, see
 *   {@link OrchestratorOptions.parent}): monotonic, at most 100, exactly 100 on success.
 *
 * @example
 * const ctx = new UploadContext(runtime)
 * const summary = await new Orchestrator(registry, ctx, { retry: { attempts: 2 } }).execute()
 */
export class Orchestrator<TContext extends StepContext = StepContext> {
  readonly #source: StepRegistry<TContext> | readonly Step<TContext>[]
  readonly #ctx: TContext
  readonly #overall: string
  readonly #parent: StepContext | undefined
  readonly #timeoutMs: number | undefined
  readonly #retry: ResolvedRetryPolicy
  readonly #now: () => number

  constructor(
    steps: StepRegistry<TContext> | readonly Step<TContext>[],
    context: TContext,
    options: OrchestratorOptions = {},
  ) {
    if (options.parent === context) {
      throw new StepUsageError(
        'STEP_BUSY',
        'An inner orchestrator needs its own context, not its parent step’s',
      )
    }
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
      throw new StepUsageError('STEP_INVALID', `timeoutMs must be > 0, got ${options.timeoutMs}`)
    }
    this.#source = steps
    this.#ctx = context
    this.#overall = options.overallCategory ?? OVERALL_CATEGORY
    this.#parent = options.parent
    this.#timeoutMs = options.timeoutMs
    this.#retry = options.retry ? resolveRetryPolicy(options.retry, 'orchestrator') : NO_RETRY
    this.#now = options.now ?? (() => performance.now())
  }

  /** The context the steps share. */
  get context(): TContext {
    return this.#ctx
  }

  /** Runs every step; see the class description for failure, skip and cancellation. */
  async execute(): Promise<OrchestratorSummary> {
    const steps = this.#snapshot()
    const policies = steps.map((s) =>
      s.retry === undefined ? this.#retry : resolveRetryPolicy(s.retry, s.name),
    )
    const ctx = this.#ctx
    const parent = this.#parent
    if (parent !== undefined && parent.currentStep === undefined) {
      throw new StepUsageError(
        'STEP_CATEGORY_MISSING',
        'An inner orchestrator reports into its parent’s current step, but none is running',
      )
    }
    if (!claimContext(ctx)) {
      throw new StepUsageError('STEP_BUSY', 'This context is already running a workflow')
    }
    const runtime = ctx.runtime
    const overallCategory = this.#overall
    const progress = new WeightedProgress(
      steps.map((s) => s.weight),
      parent === undefined
        ? (percent) => runtime.setProgress(percent, 100, overallCategory)
        : (percent) => parent.setProgress(percent, 100),
    )
    const executed: Executed<TContext>[] = []
    const records: StepRunRecord[] = []
    let skipped = 0
    try {
      progress.start()
      // One clock reading per step: each step's end is the next one's start.
      let mark = this.#now()
      for (let index = 0; index < steps.length; index++) {
        const step = steps[index]!
        const runSignal = runtime.signal
        if (runSignal.aborted) {
          throw await this.#cancelled(executed, undefined, step.name)
        }
        const base = this.#baseSignal()
        if (base.aborted) {
          // The parent step timed out: this inner workflow fails with its reason, undone.
          throw await this.#failed(executed, step.name, toError(base.reason), 0)
        }
        const started = mark
        let skip = false
        if (step.canSkip !== undefined) {
          activateStep(ctx, { name: step.name, signal: base, onProgress: noProgress })
          try {
            const answer = step.canSkip(ctx)
            skip = isThenable(answer) ? await answer : answer
          } catch (thrown) {
            // The step never ran, so only the ones before it are undone.
            const error = toError(thrown)
            if (isCancellation(error) || runSignal.aborted) {
              throw await this.#cancelled(executed, undefined, step.name, error)
            }
            throw await this.#failed(executed, step.name, error, 0)
          }
        }
        if (skip) {
          ctx.recordResult(step.name, stepResult({ skipped: true }))
          mark = this.#now()
          records.push({
            name: step.name,
            status: 'skipped',
            durationMs: mark - started,
            attempts: 0,
          })
          skipped++
          activateStep(ctx, undefined)
          progress.complete(index)
          continue
        }
        const attempted = this.#attempt(step, index, policies[index]!, progress)
        const { result, attempts } = attempted instanceof Promise ? await attempted : attempted
        activateStep(ctx, undefined)
        ctx.recordResult(step.name, result)
        executed.push({ step, result })
        if (!result.success) {
          const error = result.error ?? new Error(`Step '${step.name}' returned a failed result`)
          if (isCancellation(error) || runSignal.aborted) {
            throw await this.#cancelled(executed, step.name, undefined, error)
          }
          throw await this.#failed(executed, step.name, error, attempts)
        }
        mark = this.#now()
        records.push({
          name: step.name,
          status: 'succeeded',
          durationMs: mark - started,
          attempts,
        })
        progress.complete(index)
      }
      // A cancel that lands during the last step, which then succeeds, changes nothing: there is
      // no next step to hold back, and finished work is not thrown away.
      progress.finish()
      return {
        success: true,
        stepsExecuted: executed.length,
        stepsSkipped: skipped,
        stepsTotal: steps.length,
        steps: records,
      }
    } finally {
      activateStep(ctx, undefined)
      releaseContext(ctx)
    }
  }

  /** The signal steps see: the run's, or the parent step's (its timeout included). */
  #baseSignal(): AbortSignal {
    return this.#parent === undefined ? this.#ctx.runtime.signal : this.#parent.signal
  }

  /** The steps as they are now, checked: a registry checks on change, a plain array here. */
  #snapshot(): Step<TContext>[] {
    if (this.#source instanceof StepRegistry) return this.#source.getSteps()
    const seen = new Set<string>()
    for (const step of this.#source) {
      assertValidStep(step)
      if (seen.has(step.name)) {
        throw new StepUsageError('STEP_DUPLICATE', `Step '${step.name}' appears twice`, {
          details: { step: step.name },
        })
      }
      seen.add(step.name)
    }
    return [...this.#source]
  }

  /**
   * Runs `step` until it succeeds, fails for good, or the run is cancelled. A synchronous step
   * that succeeds at once is answered synchronously: a workflow of quick steps pays no promise
   * per step.
   */
  #attempt(
    step: Step<TContext>,
    index: number,
    policy: ResolvedRetryPolicy,
    progress: WeightedProgress,
  ): Attempted | Promise<Attempted> {
    const first = this.#attemptOnce(step, index, progress)
    if (!isThenable(first) && first.success) return { result: first, attempts: 1 }
    return this.#retrying(step, index, policy, progress, first)
  }

  async #retrying(
    step: Step<TContext>,
    index: number,
    policy: ResolvedRetryPolicy,
    progress: WeightedProgress,
    first: StepResult | PromiseLike<StepResult>,
  ): Promise<Attempted> {
    const ctx = this.#ctx
    const runSignal = ctx.runtime.signal
    const base = this.#baseSignal()
    let result = await first
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) result = await this.#attemptOnce(step, index, progress)
      if (result.success) return { result, attempts: attempt }
      const error = result.error ?? new Error(`Step '${step.name}' returned a failed result`)
      if (base.aborted || !shouldRetry(policy, error, attempt)) {
        return { result, attempts: attempt }
      }
      const delayMs = backoffDelay(policy, attempt)
      ctx.runtime.logger.log('warning', 'step_retry', {
        step: step.name,
        attempt,
        nextAttempt: attempt + 1,
        delayMs,
        error: error.message,
      })
      activateStep(ctx, undefined)
      try {
        await sleep(delayMs, runSignal)
      } catch (cancelled) {
        return { result: stepResult({ error: toError(cancelled) }), attempts: attempt }
      }
    }
  }

  /** One attempt of `step`; whatever it throws becomes a failed result. */
  #attemptOnce(
    step: Step<TContext>,
    index: number,
    progress: WeightedProgress,
  ): StepResult | Promise<StepResult> {
    const ctx = this.#ctx
    const timeoutMs = step.timeoutMs ?? this.#timeoutMs
    if (timeoutMs !== undefined) return this.#attemptTimed(step, index, progress, timeoutMs)
    const attempt = new StepAttempt(step.name, this.#baseSignal(), progress, index)
    activateStep(ctx, attempt)
    let out: StepResult | Promise<StepResult>
    try {
      out = step.execute(ctx)
    } catch (error) {
      attempt.live = false
      return stepResult({ error: toError(error) })
    }
    if (isThenable(out)) return settle(out, attempt, step.name)
    attempt.live = false
    return checked(out, step.name)
  }

  async #attemptTimed(
    step: Step<TContext>,
    index: number,
    progress: WeightedProgress,
    timeoutMs: number,
  ): Promise<StepResult> {
    const ctx = this.#ctx
    const expiry = new AbortController()
    const signal = AbortSignal.any([this.#baseSignal(), expiry.signal])
    const attempt = new StepAttempt(step.name, signal, progress, index)
    activateStep(ctx, attempt)
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StepTimeoutError(step.name, timeoutMs)
        expiry.abort(error)
        reject(error)
      }, timeoutMs)
    })
    try {
      // A step that ignores its signal keeps running in the background; racing it is what
      // lets the workflow move on (and roll back) anyway. Its late outcome is discarded.
      const running = runInAttempt(ctx, attempt, () => step.execute(ctx))
      return checked(await Promise.race([running, expired]), step.name)
    } catch (error) {
      return stepResult({ error: toError(error) })
    } finally {
      attempt.live = false
      clearTimeout(timer)
    }
  }

  /** Rolls back every executed step, last first; collects what each rollback threw. */
  async #rollBack(executed: readonly Executed<TContext>[]): Promise<RollbackFailure[]> {
    const ctx = this.#ctx
    const failures: RollbackFailure[] = []
    for (let i = executed.length - 1; i >= 0; i--) {
      const { step, result } = executed[i]!
      if (step.rollback === undefined) continue
      activateStep(ctx, { name: step.name, signal: ROLLBACK_SIGNAL, onProgress: noProgress })
      try {
        await step.rollback(ctx, result)
      } catch (thrown) {
        const error = toError(thrown)
        failures.push({ step: step.name, error })
        ctx.errors.push(error)
        ctx.runtime.logger.log('error', 'step_rollback_failed', {
          step: step.name,
          error: serializeError(error),
        })
      }
    }
    activateStep(ctx, undefined)
    return failures
  }

  async #failed(
    executed: readonly Executed<TContext>[],
    step: string,
    error: Error,
    attempts: number,
  ): Promise<StepFailedError> {
    const rollbackFailures = await this.#rollBack(executed)
    const logger = this.#ctx.runtime.logger
    // The bars say where the run stopped: the failed step's, and the overall of a top-level run.
    logger.setProgressFailed(step)
    if (this.#parent === undefined) logger.setProgressFailed(this.#overall)
    return new StepFailedError(step, error, { attempts: Math.max(attempts, 1), rollbackFailures })
  }

  async #cancelled(
    executed: readonly Executed<TContext>[],
    during: string | undefined,
    before?: string,
    error?: Error,
  ): Promise<CancelledError> {
    const rollbackFailures = await this.#rollBack(executed)
    const where =
      during !== undefined
        ? ` during step '${during}'`
        : before !== undefined
          ? ` before step '${before}'`
          : ''
    const undo =
      rollbackFailures.length === 0 ? '' : `; ${rollbackFailures.length} rollback(s) failed`
    return new CancelledError(`Run was cancelled${where}${undo}`, {
      cause: error ?? this.#ctx.runtime.signal.reason,
      details: {
        ...(during !== undefined && { step: during }),
        ...(before !== undefined && { before }),
        rollbackFailures: rollbackFailures.map((f) => ({
          step: f.step,
          error: serializeError(f.error),
        })),
      },
    })
  }
}

/** Awaits an async step's result, turning a rejection into a failed result. */
async function settle(
  pending: PromiseLike<StepResult>,
  attempt: StepAttempt,
  step: string,
): Promise<StepResult> {
  try {
    return checked(await pending, step)
  } catch (error) {
    return stepResult({ error: toError(error) })
  } finally {
    attempt.live = false
  }
}

/** `result` if it is a StepResult, else a failed result saying what the step returned. */
function checked(result: StepResult, step: string): StepResult {
  if (typeof result === 'object' && result !== null && typeof result.success === 'boolean') {
    return result
  }
  return stepResult({
    error: new StepUsageError(
      'STEP_INVALID',
      `Step '${step}' returned ${String(result)} instead of a StepResult`,
      { details: { step } },
    ),
  })
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function isCancellation(error: Error): boolean {
  return PluginError.is(error) && error.code === 'RUN_CANCELLED'
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : PluginError.from(value)
}
