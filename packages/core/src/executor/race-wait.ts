import { WaitAbortedError, WaitTimeoutError } from '../errors/errors'
import type { RunOutcome, WaitOptions } from './executor-protocol'

/**
 * `wait()`'s timeout and signal around the promise of a run's outcome: rejects with
 * `WaitTimeoutError` after `timeoutMs`, or `WaitAbortedError` once `signal` aborts (at once if it
 * already has). The run itself goes on either way; every executor's `wait` keeps this one rule.
 */
export async function raceWait(
  runId: string,
  outcome: Promise<RunOutcome>,
  { timeoutMs, signal }: WaitOptions,
): Promise<RunOutcome> {
  if (timeoutMs === undefined && signal === undefined) return outcome
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      outcome,
      new Promise<never>((_, reject) => {
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => reject(new WaitTimeoutError(runId, timeoutMs)), timeoutMs)
        }
        if (signal !== undefined) {
          onAbort = () => reject(new WaitAbortedError(runId, { cause: signal.reason }))
          if (signal.aborted) onAbort()
          else signal.addEventListener('abort', onAbort, { once: true })
        }
      }),
    ])
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
  }
}
