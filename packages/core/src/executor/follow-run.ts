import { CancelledError, ExecutionError } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'
import type { RunEvent } from '../logging/run-event'
import type { ExecutorProtocol, RunOutcome, WaitOptions } from './executor-protocol'

/** Options of {@link followRun}: those of `wait`, and a listener for the events. */
export interface FollowRunOptions extends WaitOptions {
  /** Called with every event of the run, in `seq` order, while it runs. */
  onEvent?: (event: RunEvent) => void
}

/**
 * Waits for a run while streaming its events to `onEvent`, and returns how it ended once both
 * the outcome and the last event are in. The one way a caller watches a run, whoever started it
 * (`executeViaSubmit`, the CLI's `plugin run`).
 *
 * @example
 * const outcome = await followRun(executor, runId, { onEvent: (e) => display.handle(e) })
 * if (outcome.status !== 'completed') throw outcomeError(outcome)
 */
export async function followRun(
  executor: ExecutorProtocol,
  runId: string,
  options: FollowRunOptions = {},
): Promise<RunOutcome> {
  const { onEvent, ...wait } = options
  // The stream only feeds a display: it ends with the run, or early if the waiter gives up.
  const stop = new AbortController()
  const streaming =
    onEvent === undefined
      ? undefined
      : (async () => {
          for await (const event of executor.events(runId, { follow: true, signal: stop.signal })) {
            onEvent(event)
          }
        })().catch(() => {
          // A display that lost its stream must not hide the run's own outcome.
        })
  try {
    const outcome = await executor.wait(runId, wait)
    await streaming
    return outcome
  } catch (error) {
    stop.abort()
    await streaming
    throw error
  }
}

/**
 * The error to throw for a run that did not complete: its own, or one that says how it ended
 * when the executor gave none. Never `undefined`.
 */
export function outcomeError(outcome: RunOutcome): PluginError {
  if (outcome.error !== undefined) return PluginError.from(outcome.error)
  return outcome.status === 'cancelled'
    ? new CancelledError(`Run '${outcome.runId}' was cancelled`)
    : new ExecutionError(`Run '${outcome.runId}' ${outcome.status} without an error`)
}
