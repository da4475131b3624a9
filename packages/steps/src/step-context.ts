import { AsyncLocalStorage } from 'node:async_hooks'
import type { Logger, LogLevel, RuntimeContext } from '@synapse/core'
import { StepUsageError } from './errors/step-usage-error'
import type { StepResult } from './step-result'

/** What the orchestrator tells a context about the step running now. */
export interface ActiveStep {
  readonly name: string
  /** The run's signal, or the run's combined with the step's timeout. */
  readonly signal: AbortSignal
  /** Called with the step's own fraction done (0..1) each time it reports progress. */
  onProgress(fraction: number): void
}

/**
 * The attempt a call comes from, for attempts that may be abandoned (a step past its timeout goes
 * on in the background while the workflow moves on): its calls must still see its own signal,
 * not whichever step is current by then. Keyed by context, so an inner workflow's own context is
 * not confused with its parent's.
 */
const attemptScope = new AsyncLocalStorage<{ ctx: StepContext; active: ActiveStep }>()

/** Runs `fn` as the attempt `active` of `ctx`, however long its async work outlives the attempt. */
export function runInAttempt<T>(ctx: StepContext, active: ActiveStep, fn: () => T): T {
  return attemptScope.run({ ctx, active }, fn)
}

// The orchestrator's way in: set once by the class's static block, exported below but not from the
// package, so a step cannot change which step is current while one runs.
let setActive: (ctx: StepContext, active: ActiveStep | undefined) => void
let setOwned: (ctx: StepContext, owned: boolean) => boolean

/**
 * The state one workflow's steps share, and their way to the run: extend it with the fields your
 * steps pass each other. It carries the run's {@link RuntimeContext}, the results so far, the
 * errors collected (a rollback that threw is one) and the step running now.
 *
 * `setProgress` and `setMetrics` default their category to the current step, and progress in
 * that category also moves the run's overall progress within the step's share. Outside a step
 * they need a category (`STEP_CATEGORY_MISSING`).
 *
 * @example
 * class UploadContext extends StepContext {
 *   files: string[] = []
 *   uploaded: string[] = []
 * }
 * const ctx = new UploadContext(runtime)
 */
export class StepContext {
  /** The run this workflow belongs to. */
  readonly runtime: RuntimeContext
  /** Every step's result, in the order they ran or were skipped. */
  readonly stepResults: StepResult[] = []
  /** Errors collected along the way: each rollback that threw is added here too. */
  readonly errors: Error[] = []
  /** Step names, parallel to {@link StepContext.stepResults}. */
  readonly #names: string[] = []
  #active: ActiveStep | undefined
  #owned = false

  static {
    setActive = (ctx, active) => {
      ctx.#active = active
    }
    setOwned = (ctx, owned) => {
      if (owned && ctx.#owned) return false
      ctx.#owned = owned
      return true
    }
  }

  constructor(runtime: RuntimeContext) {
    this.runtime = runtime
  }

  /** The step the caller belongs to: its own attempt if it has one in scope, else the current. */
  #scoped(): ActiveStep | undefined {
    const scope = attemptScope.getStore()
    return scope !== undefined && scope.ctx === this ? scope.active : this.#active
  }

  /** Name of the step running (or being rolled back) now; `undefined` between steps. */
  get currentStep(): string | undefined {
    return this.#scoped()?.name
  }

  /** The run's logger. */
  get logger(): Logger {
    return this.runtime.logger
  }

  /**
   * Aborted when the run is cancelled or, inside a step with a timeout, when the step times out
   * (its reason is then a `StepTimeoutError`). Pass it to fetch, streams and long loops.
   */
  get signal(): AbortSignal {
    return this.#scoped()?.signal ?? this.runtime.signal
  }

  /** Throws `CancelledError` if the run was cancelled, or `StepTimeoutError` if the step timed out. */
  throwIfCancelled(): void {
    this.runtime.throwIfCancelled()
    const signal = this.#scoped()?.signal
    if (signal?.aborted) throw signal.reason
  }

  /** The result of the step named `name`, once it has run or been skipped. */
  resultOf(name: string): StepResult | undefined {
    // A scan rather than a map: results are recorded once per step and looked up rarely, so the
    // recording (on every step of every run) is what must be cheap. The latest result wins.
    const index = this.#names.lastIndexOf(name)
    return index === -1 ? undefined : this.stepResults[index]
  }

  /**
   * Reports `current` of `total` done in `category`, by default the current step's. Progress of
   * the current step also moves the overall progress within its share.
   */
  setProgress(current: number, total: number, category?: string): void {
    const active = this.#scoped()
    const target = category ?? active?.name ?? missingCategory('setProgress')
    this.runtime.setProgress(current, total, target)
    if (active !== undefined && target === active.name) active.onProgress(current / total)
  }

  /** Merges `values` into the metrics of `category`, by default the current step's. */
  setMetrics(values: Record<string, unknown>, category?: string): void {
    this.runtime.setMetrics(
      values,
      category ?? this.#scoped()?.name ?? missingCategory('setMetrics'),
    )
  }

  /** Logs a structured event (see `RuntimeContext.log`). */
  log(event: string, data: Record<string, unknown> = {}, file?: string): void {
    this.runtime.log(event, data, file)
  }

  /** Logs a message meant for the person running the action. */
  logMessage(message: string, level?: LogLevel): void {
    this.runtime.logMessage(message, level)
  }

  /** Records `result` as the outcome of `step`; the orchestrator calls it. */
  recordResult(step: string, result: StepResult): void {
    this.stepResults.push(result)
    this.#names.push(step)
  }
}

/** Sets (or clears) the step a context is running. Orchestrator only. */
export function activateStep(ctx: StepContext, active: ActiveStep | undefined): void {
  setActive(ctx, active)
}

/** Claims a context for one orchestrator run; `false` when another run holds it. */
export function claimContext(ctx: StepContext): boolean {
  return setOwned(ctx, true)
}

/** Gives a claimed context back. */
export function releaseContext(ctx: StepContext): void {
  setOwned(ctx, false)
}

function missingCategory(call: string): never {
  throw new StepUsageError(
    'STEP_CATEGORY_MISSING',
    `${call} needs a category when no step is running (current step is undefined)`,
  )
}
