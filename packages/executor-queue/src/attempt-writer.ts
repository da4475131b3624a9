import {
  isTerminalStatus,
  type RunEvent,
  type RunEventSink,
  type RunStatus,
  type SerializedError,
} from '@synapse/core'
import type { RedisRunStore } from './redis-run-store'

/**
 * Writes the events of one attempt of a run into the store, after whatever earlier attempts or
 * the submitter wrote (`appendNext`), a batch per tick. When `retry` says the failure is to be
 * retried, the attempt's error and failed status are held back and a warning takes their place:
 * the run is not over, the next attempt goes on with it.
 */
export class AttemptWriter implements RunEventSink {
  readonly #store: RedisRunStore
  readonly #runId: string
  readonly #retry: (error: SerializedError) => boolean
  #buffer: RunEvent[] = []
  #writing: Promise<void> = Promise.resolve()
  #scheduled = false
  #error: unknown
  /** The terminal status stored (or held back), once seen. */
  ended: RunStatus | undefined
  /** The failure held back for a retry. */
  retried: SerializedError | undefined
  #override: { status: RunStatus; error: SerializedError } | undefined
  #detached = false

  constructor(
    store: RedisRunStore,
    runId: string,
    retry: (error: SerializedError) => boolean = () => false,
  ) {
    this.#store = store
    this.#runId = runId
    this.#retry = retry
  }

  /** The store's failure, if a write failed. */
  get error(): unknown {
    return this.#error
  }

  /**
   * Makes the run end as `status` with `error` whatever the attempt reports next (a timeout that
   * stops the action by cancelling it must not end it `cancelled`).
   */
  endAs(status: RunStatus, error: SerializedError): void {
    this.#override ??= { status, error }
  }

  /** Writes nothing more, from now on (the attempt was handed to another worker). */
  detach(): void {
    this.#detached = true
    this.#buffer = []
  }

  write(event: RunEvent): void {
    if (this.#detached) return
    this.#buffer.push(event)
    if (this.#scheduled) return
    this.#scheduled = true
    queueMicrotask(() => {
      this.#scheduled = false
      this.#drain()
    })
  }

  flush(): Promise<void> {
    this.#drain()
    return this.#writing.then(() => {
      if (this.#error !== undefined) throw this.#error
    })
  }

  close(): Promise<void> {
    return this.flush()
  }

  #drain(): void {
    if (this.#buffer.length === 0) return
    const batch = this.#hold(this.#buffer)
    this.#buffer = []
    this.#writing = this.#writing.then(async () => {
      if (this.#error !== undefined || this.#detached) return
      try {
        await this.#store.appendNext(this.#runId, batch)
      } catch (error) {
        this.#error = error
      }
    })
  }

  #hold(batch: RunEvent[]): RunEvent[] {
    const out: RunEvent[] = []
    let failure: SerializedError | undefined
    for (const given of batch) {
      if (this.ended !== undefined) continue
      const event = this.#overridden(given)
      if (event.type === 'error') failure = event.error
      if (event.type === 'status' && isTerminalStatus(event.status)) {
        this.ended = event.status
        if (event.status === 'failed' && failure !== undefined && this.#retry(failure)) {
          this.retried = failure
          const dropped = out.findIndex((e) => e.type === 'error')
          if (dropped !== -1) out.splice(dropped, 1)
          out.push({
            runId: event.runId,
            seq: event.seq,
            time: event.time,
            type: 'log',
            level: 'warning',
            event: 'attempt_failed',
            data: { message: `Attempt failed, retrying: ${failure.message}`, code: failure.code },
          })
          continue
        }
      }
      out.push(event)
    }
    return out
  }

  #overridden(event: RunEvent): RunEvent {
    const override = this.#override
    if (override === undefined) return event
    if (event.type === 'error') return { ...event, error: override.error }
    if (event.type === 'status' && isTerminalStatus(event.status)) {
      return { ...event, status: override.status }
    }
    return event
  }
}
