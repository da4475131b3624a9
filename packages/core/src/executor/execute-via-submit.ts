import { CancelledError, ExecutionError } from '../errors/errors'
import type { ExecuteOptions, ExecutorProtocol, RunRequest } from './executor-protocol'

/**
 * `execute` in terms of the other methods: submit, stream events to `onEvent` while waiting,
 * then return the result or throw the run's error. Executors can use it as their `execute`.
 */
export async function executeViaSubmit(
  executor: ExecutorProtocol,
  request: RunRequest,
  options: ExecuteOptions = {},
): Promise<unknown> {
  const runId = await executor.submit(request)
  const { onEvent } = options
  const streaming =
    onEvent === undefined
      ? undefined
      : (async () => {
          const eventsOptions = options.signal === undefined ? {} : { signal: options.signal }
          for await (const event of executor.events(runId, { ...eventsOptions, follow: true })) {
            onEvent(event)
          }
        })().catch(() => {
          // The stream only feeds a display; the outcome below is what counts.
        })
  const outcome = await executor.wait(runId, options)
  await streaming
  if (outcome.status === 'completed') return outcome.result
  if (outcome.error !== undefined) throw outcome.error
  throw outcome.status === 'cancelled'
    ? new CancelledError(`Run '${runId}' was cancelled`)
    : new ExecutionError(`Run '${runId}' failed`)
}
