import type { StepContext } from '../step-context'
import type { StepResult } from '../step-result'
import { WrappedStep } from './wrapped-step'

/**
 * Wraps a step so its result's `data.durationSeconds` holds how long `execute` took (seconds, 6
 * decimals), on success and on a returned failure alike. It keeps the step's name, weight,
 * timeout, retry policy, skip test and rollback.
 */
export class TimingStep<TContext extends StepContext = StepContext> extends WrappedStep<TContext> {
  /** Runs the inner step. */
  override async execute(ctx: TContext): Promise<StepResult> {
    const started = this.now()
    const result = await this.inner.execute(ctx)
    const durationSeconds = Math.round((this.now() - started) * 1000) / 1e6
    // The inner result keeps its own timestamp: only the data gains the duration.
    return { ...result, data: { ...result.data, durationSeconds } }
  }
}
