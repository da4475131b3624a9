import type { RetryPolicy } from '../retry-policy'
import type { Step } from '../step'
import type { StepContext } from '../step-context'
import type { StepResult } from '../step-result'

/**
 * What every wrapper step shares: it stands in for the step it wraps, with the same name,
 * weight, timeout and retry policy (so progress categories and results stay under the step's
 * own name), and passes the skip test and the rollback through unless it says more.
 */
export abstract class WrappedStep<TContext extends StepContext = StepContext>
  implements Step<TContext>
{
  readonly name: string
  readonly weight: number
  readonly timeoutMs?: number
  readonly retry?: RetryPolicy
  /** The step being wrapped. */
  readonly inner: Step<TContext>
  /** A clock in ms; `performance.now` unless a test gives one. */
  protected readonly now: () => number

  constructor(inner: Step<TContext>, options: { now?: () => number } = {}) {
    this.inner = inner
    this.name = inner.name
    this.weight = inner.weight
    if (inner.timeoutMs !== undefined) this.timeoutMs = inner.timeoutMs
    if (inner.retry !== undefined) this.retry = inner.retry
    this.now = options.now ?? (() => performance.now())
  }

  /** The inner step's skip test (false when it has none). */
  async canSkip(ctx: TContext): Promise<boolean> {
    return (await this.inner.canSkip?.(ctx)) ?? false
  }

  abstract execute(ctx: TContext): Promise<StepResult>

  /** Rolls back the inner step, if it has a rollback. */
  async rollback(ctx: TContext, result: StepResult): Promise<void> {
    await this.inner.rollback?.(ctx, result)
  }
}
