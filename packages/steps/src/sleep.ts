import { CancelledError } from '@synapse/core'

/** Waits `ms`, or rejects with `CancelledError` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(cancelled(signal))
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(cancelled(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

function cancelled(signal: AbortSignal): CancelledError {
  return new CancelledError('Run was cancelled while waiting to retry', { cause: signal.reason })
}
