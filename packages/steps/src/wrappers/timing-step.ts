import type { RetryPolicy } from '../retry-policy'
import type { Step } from '../step'
import type { StepContext } from '../step-context'
import type { StepResult } from '../step-result'

/**
 * Wraps a step so its result's `data.durationSeconds` holds how long `execute` took (seconds, 6
 * decimals), on success and on a returned failure alike. It keeps the step's name, weight,
 * timeout, retry policy, skip test and rollback.
 */
export class TimingStep<TContext extends StepContext = StepContext> implements Step<TContext> {
  // The inner step's name, weight, timeout and retry policy, unchanged (see `Step`).
  readonly name: string
  readonly weight: number
  readonly timeoutMs?: number
  readonly retry?: RetryPolicy
  /** The step being wrapped. */
  readonly inner: Step<TContext>
  readonly #now: () => number

  /** `now` is a clock in ms, for tests; default `performance.now`. */
  constructor(inner: Step<TContext>, options: { now?: () => number } = {}) {
    this.inner = inner
    this.name = inner.name
    this.weight = inner.weight
    if (inner.timeoutMs !== undefined) this.timeoutMs = inner.timeoutMs
    if (inner.retry !== undefined) this.retry = inner.retry
    this.#now = options.now ?? (() => performance.now())
  }

  /** The inner step's skip test (false when it has none). */
  async canSkip(ctx: TContext): Promise<boolean> {
    return (await this.inner.canSkip?.(ctx)) ?? false
  }

  /** Runs the inner step. */
  async execute(ctx: TContext): Promise<StepResult> {
    const started = this.#now()
    const result = await this.inner.execute(ctx)
    const durationSeconds = Math.round((this.#now() - started) * 1000) / 1e6
    // The inner result keeps its own timestamp: only the data gains the duration.
    return { ...result, data: { ...result.data, durationSeconds } }
  }

  /** Rolls back the inner step, if it has a rollback. */
  async rollback(ctx: TContext, result: StepResult): Promise<void> {
    await this.inner.rollback?.(ctx, result)
  }
}
