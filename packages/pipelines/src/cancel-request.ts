import { type CancelOutcome, isTerminalStatus, PluginError, type RunStore } from '@synapse/core'

/**
 * Asks a pipeline run to stop, whichever process runs it: the request is marked in the store
 * (`RunStore.requestCancel`) and the running pipeline, which polls for it, cancels the step
 * going and ends the run `cancelled` (its completed steps kept for `resume`). Resolves to
 * `requested`, `already-terminal` for a run that has ended, `not-found` for an unknown id.
 * A store that cannot carry a request fails with `CANCEL_NOT_SUPPORTED`.
 */
export async function requestPipelineCancel(
  store: RunStore,
  runId: string,
): Promise<CancelOutcome> {
  if (store.requestCancel === undefined) {
    throw new PluginError(
      `This run store cannot carry a cancel to another process, so run '${runId}' can only be cancelled by the process running it`,
      { code: 'CANCEL_NOT_SUPPORTED', details: { runId } },
    )
  }
  const record = await store.requestCancel(runId)
  if (record === undefined) return 'not-found'
  return isTerminalStatus(record.status) ? 'already-terminal' : 'requested'
}
