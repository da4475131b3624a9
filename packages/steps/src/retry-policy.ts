import { PluginError } from '@synapse/core'
import { StepUsageError } from './errors/step-usage-error'

/**
 * How a failing step is tried again. Cancellation is never retried. A step that is retried
 * should be idempotent: its failed attempts are not rolled back one by one, only the whole run is.
 *
 * @example
 * // 3 attempts, waiting 100 ms then 200 ms, never retrying bad input.
 * { attempts: 3, backoffMs: 100, nonRetryableCodes: ['VALIDATION_ERROR'] }
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 1 (no retry). */
  attempts?: number
  /** Wait before the second attempt, in ms. Default 0. */
  backoffMs?: number
  /** Each later wait is the previous one times this. Default 2. */
  backoffFactor?: number
  /** Upper bound of a wait, in ms. Default unbounded. */
  maxBackoffMs?: number
  /** Error codes (`PluginError.code`, or a Node error's `code`) that fail at once. */
  nonRetryableCodes?: readonly string[]
  /** Decides per failure; `false` fails at once. Runs after `nonRetryableCodes`. */
  retryIf?: (error: Error, attempt: number) => boolean
}

/** A {@link RetryPolicy} with every default filled in and checked. */
export interface ResolvedRetryPolicy {
  readonly attempts: number
  readonly backoffMs: number
  readonly backoffFactor: number
  readonly maxBackoffMs: number
  readonly nonRetryableCodes: ReadonlySet<string>
  readonly retryIf: ((error: Error, attempt: number) => boolean) | undefined
}

/** One attempt, no waiting: what a step gets when nobody asked for retries. */
export const NO_RETRY: ResolvedRetryPolicy = resolveRetryPolicy({}, 'default')

/** Fills in the defaults of `policy` and rejects impossible values, naming `owner`. */
export function resolveRetryPolicy(policy: RetryPolicy, owner: string): ResolvedRetryPolicy {
  const attempts = policy.attempts ?? 1
  const backoffMs = policy.backoffMs ?? 0
  const backoffFactor = policy.backoffFactor ?? 2
  const maxBackoffMs = policy.maxBackoffMs ?? Number.POSITIVE_INFINITY
  if (!Number.isInteger(attempts) || attempts < 1)
    throw invalid(owner, `attempts must be an integer ≥ 1, got ${attempts}`)
  if (!(backoffMs >= 0) || !Number.isFinite(backoffMs))
    throw invalid(owner, `backoffMs must be a finite number ≥ 0, got ${backoffMs}`)
  if (!(backoffFactor >= 1) || !Number.isFinite(backoffFactor))
    throw invalid(owner, `backoffFactor must be a finite number ≥ 1, got ${backoffFactor}`)
  if (!(maxBackoffMs >= 0)) throw invalid(owner, `maxBackoffMs must be ≥ 0, got ${maxBackoffMs}`)
  return {
    attempts,
    backoffMs,
    backoffFactor,
    maxBackoffMs,
    nonRetryableCodes: new Set(policy.nonRetryableCodes ?? []),
    retryIf: policy.retryIf,
  }
}

/** Whether the failure of `attempt` (1-based) earns another one under `policy`. */
export function shouldRetry(policy: ResolvedRetryPolicy, error: Error, attempt: number): boolean {
  if (attempt >= policy.attempts) return false
  if (PluginError.is(error) && error.code === 'RUN_CANCELLED') return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && policy.nonRetryableCodes.has(code)) return false
  return policy.retryIf === undefined || policy.retryIf(error, attempt)
}

/** How long to wait after the failure of `attempt` (1-based) before the next one. */
export function backoffDelay(policy: ResolvedRetryPolicy, attempt: number): number {
  return Math.min(policy.backoffMs * policy.backoffFactor ** (attempt - 1), policy.maxBackoffMs)
}

function invalid(owner: string, reason: string): StepUsageError {
  return new StepUsageError('STEP_INVALID', `Retry policy of '${owner}': ${reason}`, {
    details: { step: owner },
  })
}
