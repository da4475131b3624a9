import type { ExecuteOptions, ExecutorProtocol, RunRequest } from './executor-protocol'
import { followRun, outcomeError } from './follow-run'

/**
 * `execute` in terms of the other methods: submit, follow the run (events to `onEvent`), then
 * return the result or throw the run's error. Aborting `signal` cancels the run (the caller then
 * gets its `CancelledError`), as `execute` promises; `timeoutMs` only stops the waiting.
 * Executors can use it as their `execute`.
 */
export async function executeViaSubmit(
  executor: ExecutorProtocol,
  request: RunRequest,
  options: ExecuteOptions = {},
): Promise<unknown> {
  const { onEvent, signal, timeoutMs } = options
  const runId = await executor.submit(request)
  // The signal is not handed to `wait`: aborting cancels the run, and the wait then reports it.
  const onAbort = () => void executor.cancel(runId).catch(() => {})
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const outcome = await followRun(executor, runId, {
      ...(onEvent !== undefined && { onEvent }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    })
    if (outcome.status === 'completed') return outcome.result
    throw outcomeError(outcome)
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}
