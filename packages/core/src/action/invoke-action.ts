import type { RuntimeContext } from '../context/runtime-context'
import { CancelledError, ExecutionError } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'
import { redactError } from '../logging/redact'
import type { AnyActionDefinition } from './action-definition'
import { validateResult } from './validate'

/**
 * Runs an action whose params are already validated, and checks its result. Every executor (and
 * the worker entrypoint of remote ones) goes through here, so actions behave the same everywhere.
 * Failures come out as `ExecutionError` with the original error as `cause`, or `CancelledError`
 * when the run's signal was aborted.
 */
export function invokeAction(
  action: AnyActionDefinition,
  params: unknown,
  ctx: RuntimeContext,
): Promise<unknown> {
  // Plain promise chaining rather than async/await: this is the hot path of every run.
  let pending: Promise<unknown>
  try {
    ctx.throwIfCancelled()
    pending = action.run(params, ctx)
  } catch (error) {
    return Promise.reject(toRunError(action, error, ctx))
  }
  return pending.then(
    (result) => (action.result === undefined ? result : validateResult(action, result, ctx.logger)),
    (error: unknown) => {
      throw toRunError(action, error, ctx)
    },
  )
}

function toRunError(action: AnyActionDefinition, error: unknown, ctx: RuntimeContext): PluginError {
  // An action's error often quotes what it was given; no secret of the run leaves in it.
  return redactError(classify(action, error, ctx), ctx.env.secretValues())
}

function classify(action: AnyActionDefinition, error: unknown, ctx: RuntimeContext): PluginError {
  if (PluginError.is(error) && error.code === 'RUN_CANCELLED') return error
  if (ctx.signal.aborted)
    return new CancelledError(`Action '${action.name}' was cancelled`, { cause: error })
  if (PluginError.is(error) && error.code === 'EXECUTION_FAILED') return error
  const message = error instanceof Error ? error.message : String(error)
  return new ExecutionError(`Action '${action.name}' failed: ${message}`, {
    cause: error,
    details: { action: action.name },
  })
}
