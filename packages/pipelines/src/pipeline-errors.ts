import { PluginError, type PluginErrorOptions, registerErrorCodes } from '@synapse/core'

// Each says the request was wrong and nothing ran: the CLI maps them to its input exit code.
registerErrorCodes({
  PIPELINE_ALREADY_COMPLETED: 'input',
  PIPELINE_MISMATCH: 'input',
  PIPELINE_FILE_INVALID: 'input',
  PIPELINE_FILE_NOT_FOUND: 'input',
  PIPELINE_NO_DEFINITION: 'input',
  CANCEL_NOT_SUPPORTED: 'input',
})

/** `resume` of a pipeline run that already completed: nothing is run again. */
export class PipelineAlreadyCompletedError extends PluginError {
  constructor(runId: string, options: PluginErrorOptions = {}) {
    super(`Pipeline run '${runId}' already completed; there is nothing to resume`, {
      code: 'PIPELINE_ALREADY_COMPLETED',
      ...options,
      details: { runId, ...options.details },
    })
  }
}

/**
 * `resume` with a pipeline whose steps are not those the run was started with: reusing its
 * checkpoints would feed results into the wrong actions.
 */
export class PipelineMismatchError extends PluginError {
  constructor(runId: string, stored: string[], given: string[], options: PluginErrorOptions = {}) {
    super(
      `Pipeline run '${runId}' was started with steps [${stored.join(', ')}], not [${given.join(', ')}]`,
      {
        code: 'PIPELINE_MISMATCH',
        ...options,
        details: { runId, stored, given, ...options.details },
      },
    )
  }
}

PluginError.register(
  'PipelineAlreadyCompletedError',
  (json) => new PipelineAlreadyCompletedError(String(json.details?.['runId'])),
)
PluginError.register('PipelineMismatchError', (json) => {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [])
  return new PipelineMismatchError(
    String(json.details?.['runId']),
    list(json.details?.['stored']),
    list(json.details?.['given']),
  )
})
