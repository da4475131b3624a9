import { PluginError, type PluginErrorOptions } from '@synapse/core'

/**
 * A step ran past its `timeoutMs`. The step's signal is aborted with this error so a step that
 * listens stops; the orchestrator treats it as the step's failure (retried if the policy says so).
 */
export class StepTimeoutError extends PluginError {
  /** The step that timed out. */
  readonly step: string
  /** The limit it exceeded, in milliseconds. */
  readonly timeoutMs: number

  constructor(step: string, timeoutMs: number, options: PluginErrorOptions = {}) {
    super(`Step '${step}' timed out after ${timeoutMs} ms`, {
      retryable: true,
      ...options,
      code: 'STEP_TIMEOUT',
      details: { ...options.details, step, timeoutMs },
    })
    this.step = step
    this.timeoutMs = timeoutMs
  }
}

PluginError.register('StepTimeoutError', (json) => {
  const d = json.details ?? {}
  const error = new StepTimeoutError(String(d['step']), Number(d['timeoutMs']), {
    retryable: json.retryable ?? true,
  })
  Object.defineProperty(error, 'message', {
    value: json.message,
    enumerable: false,
    writable: true,
  })
  return error
})
