import type { StepContext } from '../step-context'
import type { StepResult } from '../step-result'
import { WrappedStep } from './wrapped-step'

/**
 * Wraps a step so the run's log shows it: `step_start {step}`, then `step_end {step, elapsed,
 * success, skipped}` (`elapsed` in seconds, 3 decimals; `error` when it failed, the failure being
 * passed on), and `step_rollback {step}` before its rollback. A skip is logged as a `step_end`
 * with `skipped: true`. The wrapper keeps the step's name, weight, timeout and retry policy, so
 * progress categories and results stay under the step's own name.
 */
export class LoggingStep<TContext extends StepContext = StepContext> extends WrappedStep<TContext> {
  /** The inner step's skip test; a skip is logged as a `step_end` with `skipped: true`. */
  override async canSkip(ctx: TContext): Promise<boolean> {
    const skip = await super.canSkip(ctx)
    if (skip) ctx.log('step_end', { step: this.name, elapsed: 0, success: true, skipped: true })
    return skip
  }

  /** Runs the inner step. */
  override async execute(ctx: TContext): Promise<StepResult> {
    ctx.log('step_start', { step: this.name })
    const started = this.now()
    const elapsed = () => Math.round(this.now() - started) / 1000
    try {
      const result = await this.inner.execute(ctx)
      ctx.log('step_end', {
        step: this.name,
        elapsed: elapsed(),
        success: result.success,
        skipped: result.skipped,
        ...(result.error !== undefined && { error: result.error.message }),
      })
      return result
    } catch (error) {
      ctx.log('step_end', {
        step: this.name,
        elapsed: elapsed(),
        success: false,
        skipped: false,
        error: error instanceof Error ? error.message : String(error),
      })
      throw error
    }
  }

  /** Rolls back the inner step, if it has a rollback. */
  override async rollback(ctx: TContext, result: StepResult): Promise<void> {
    ctx.log('step_rollback', { step: this.name })
    await super.rollback(ctx, result)
  }
}
