import { CancelledError, ExecutionError } from '../errors/errors'
import type { ExecuteOptions, ExecutorProtocol, RunRequest } from './executor-protocol'

/**
 * `execute` in terms of the other methods: submit, stream events to `onEvent` while waiting,
 * then return the result or throw the run's error. Aborting `signal` cancels the run (the
 * caller then gets its `CancelledError`), as `execute` promises; `timeoutMs` only stops the
 * waiting. Executors can use it as their `execute`.
 */
export async function executeViaSubmit(
  executor: ExecutorProtocol,
  request: RunRequest,
  options: ExecuteOptions = {},
): Promise<unknown> {
  const { onEvent, signal, timeoutMs } = options
  const runId = await executor.submit(request)
  // The stream ends with the run; this stops it early when waiting gives up (a timeout).
  const stop = new AbortController()
  const streaming =
    onEvent === undefined
      ? undefined
      : (async () => {
          for await (const event of executor.events(runId, { follow: true, signal: stop.signal })) {
            onEvent(event)
          }
        })().catch(() => {
          // The stream only feeds a display; the outcome below is what counts.
        })
  // The signal is not handed to `wait`: aborting cancels the run, and the wait then reports it.
  const onAbort = () => void executor.cancel(runId).catch(() => {})
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const outcome = await executor.wait(runId, timeoutMs === undefined ? {} : { timeoutMs })
    await streaming
    if (outcome.status === 'completed') return outcome.result
    if (outcome.error !== undefined) throw outcome.error
    throw outcome.status === 'cancelled'
      ? new CancelledError(`Run '${runId}' was cancelled`)
      : new ExecutionError(`Run '${runId}' failed`)
  } finally {
    signal?.removeEventListener('abort', onAbort)
    stop.abort()
  }
}
