import {
  CancelledError,
  type PluginError,
  type RunEvent,
  type RunStatus,
  serializeError,
  toJsonValue,
} from '@synapse/core'

/**
 * The events that end a run from outside its action (a refused job, a cancel before it started,
 * a killed process): the error, then the terminal status. Seqs are placeholders: the store numbers
 * them after what the run already holds.
 */
export function endingEvents(runId: string, status: RunStatus, error: PluginError): RunEvent[] {
  const time = new Date().toISOString()
  return [
    { runId, seq: 0, time, type: 'error', error: errorJson(error) },
    { runId, seq: 0, time, type: 'status', status },
  ]
}

/** A cancel that ended the run before (or without) its action. */
export function cancelledBefore(runId: string, why = 'before it started'): PluginError {
  return new CancelledError(`Run '${runId}' was cancelled ${why}`)
}

/** An error as an error event carries it: JSON, details that are not dropped. */
export function errorJson(error: PluginError): ReturnType<typeof serializeError> {
  const serialized = serializeError(error)
  try {
    return toJsonValue(serialized, 'error') as unknown as ReturnType<typeof serializeError>
  } catch {
    return JSON.parse(JSON.stringify({ ...serialized, details: {} }))
  }
}
