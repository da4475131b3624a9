import {
  PluginError,
  type PluginErrorOptions,
  type SerializedError,
  serializeError,
} from '@synapse/core'

/** A rollback that threw: which step's, and what it threw. */
export interface RollbackFailure {
  step: string
  error: Error
}

/** What {@link StepFailedError} is built from besides the failed step and its error. */
export interface StepFailedErrorOptions extends Omit<PluginErrorOptions, 'cause' | 'code'> {
  /** How many times the step ran before giving up. Default 1. */
  attempts?: number
  /** Every rollback that threw while undoing the run, in the order they ran. */
  rollbackFailures?: readonly RollbackFailure[]
}

/**
 * A step failed and the run's executed steps were rolled back. `cause` is what the step threw
 * (or the error its result carried); `rollbackFailures` holds every rollback that threw, as
 * errors, and `details.rollbackFailures` the same serialised, so nothing is lost across a
 * process boundary.
 */
export class StepFailedError extends PluginError {
  /** The step that failed. */
  readonly step: string
  /** How many attempts the step had. */
  readonly attempts: number
  /** Rollbacks that threw, in the order they ran (the failed step's first). */
  readonly rollbackFailures: readonly RollbackFailure[]

  constructor(step: string, cause: unknown, options: StepFailedErrorOptions = {}) {
    const { attempts = 1, rollbackFailures = [], ...rest } = options
    const reason = cause instanceof Error ? cause.message : String(cause)
    const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
    const undo =
      rollbackFailures.length === 0
        ? ''
        : `; ${rollbackFailures.length} rollback(s) failed: ${rollbackFailures
            .map((f) => `'${f.step}' (${f.error.message})`)
            .join(', ')}`
    super(`Step '${step}' failed${tries}: ${reason}${undo}`, {
      ...rest,
      code: 'STEP_FAILED',
      cause,
      details: {
        ...rest.details,
        step,
        attempts,
        rollbackFailures: rollbackFailures.map((f) => ({
          step: f.step,
          error: serializeError(f.error),
        })),
      },
    })
    this.step = step
    this.attempts = attempts
    this.rollbackFailures = rollbackFailures
  }
}

PluginError.register('StepFailedError', (json) => {
  const d = json.details ?? {}
  const failures = (d['rollbackFailures'] as { step: string; error: SerializedError }[]) ?? []
  const { step: _s, attempts: _a, rollbackFailures: _r, ...rest } = d
  const error = new StepFailedError(String(d['step']), undefined, {
    attempts: Number(d['attempts'] ?? 1),
    rollbackFailures: failures.map((f) => ({ step: f.step, error: PluginError.fromJSON(f.error) })),
    details: rest,
  })
  // The serialised message already names the cause and the rollbacks; keep it as sent.
  Object.defineProperty(error, 'message', {
    value: json.message,
    enumerable: false,
    writable: true,
  })
  return error
})
