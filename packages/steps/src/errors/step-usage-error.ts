import { PluginError, type PluginErrorOptions } from '@synapse/core'
import type { StepErrorCode } from './step-error-codes'

/**
 * A workflow was put together or used wrongly: a registry operation naming a missing step, a
 * duplicate name, a malformed step, progress with no category outside a step. Always a bug in
 * the plugin, raised where it happens so the stack points at the faulty call.
 */
export class StepUsageError extends PluginError {
  constructor(
    code: Exclude<StepErrorCode, 'STEP_FAILED' | 'STEP_TIMEOUT'>,
    message: string,
    options: PluginErrorOptions = {},
  ) {
    super(message, { ...options, code })
  }
}

PluginError.register(
  'StepUsageError',
  (json) =>
    new StepUsageError(json.code as ConstructorParameters<typeof StepUsageError>[0], json.message, {
      details: json.details,
    }),
)
