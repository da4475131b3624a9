import type { RetryPolicy } from './retry-policy'
import type { StepContext } from './step-context'
import type { StepResult } from './step-result'

/**
 * One stage of a multi-stage action. The orchestrator runs `execute` unless `canSkip` says the
 * work is already done, and on a later failure (or cancellation) calls `rollback` with the result
 * `execute` gave, so the step can undo what it did. A step may be a class or an object literal.
 *
 * `weight` is the step's share of the run's overall progress, relative to the other steps' (they
 * need not sum to 1). While it runs, `ctx.setProgress(current, total)` reports its own progress
 * under its name and moves the overall bar within its share.
 *
 * @example
 * const upload: Step<UploadContext> = {
 *   name: 'upload',
 *   weight: 0.8,
 *   async execute(ctx) {
 *     for (const [i, file] of ctx.files.entries()) {
 *       ctx.throwIfCancelled()
 *       ctx.uploaded.push(await put(file, { signal: ctx.signal }))
 *       ctx.setProgress(i + 1, ctx.files.length)
 *     }
 *     return stepResult({ rollbackData: { urls: [...ctx.uploaded] } })
 *   },
 *   async rollback(_ctx, result) {
 *     for (const url of result.rollbackData['urls'] as string[]) await remove(url)
 *   },
 * }
 */
export interface Step<TContext extends StepContext = StepContext> {
  /** Unique within a registry; also the progress and metrics category of the step. */
  readonly name: string
  /** Share of the overall progress, any finite number ≥ 0. */
  readonly weight: number
  /**
   * Runs the step. Throwing and returning a failed result both fail it; either way the run's
   * executed steps, this one included, are rolled back.
   */
  execute(ctx: TContext): StepResult | Promise<StepResult>
  /** True when the work is already done: the step is credited its weight and never rolled back. */
  canSkip?(ctx: TContext): boolean | Promise<boolean>
  /** Undoes what `execute` did; `result` is what it returned (or the failure it ended with). */
  rollback?(ctx: TContext, result: StepResult): void | Promise<void>
  /** Aborts the step after this many milliseconds (overrides the orchestrator's default). */
  readonly timeoutMs?: number
  /** How the step is retried (overrides the orchestrator's default). */
  readonly retry?: RetryPolicy
}
