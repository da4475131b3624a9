import type { RunEvent, RunEventSink } from '../logging/run-event'
import type { RunStore } from './run-store'

/**
 * Writes a run's events into a {@link RunStore}, a batch at a time: events written in one tick
 * go in one append (one transaction), so a burst of logs costs one write, not one per event.
 * The run never waits on the store; `flush` and `close` do. A store that fails stops being
 * written to and the failure is kept in `error` (the run goes on: its events still reach its
 * other sinks).
 */
export class RunStoreSink implements RunEventSink {
  readonly #store: RunStore
  readonly #runId: string
  #buffer: RunEvent[] = []
  #writing: Promise<void> = Promise.resolve()
  #scheduled = false
  #error: unknown

  constructor(store: RunStore, runId: string) {
    this.#store = store
    this.#runId = runId
  }

  /** The store's failure, if a write failed. */
  get error(): unknown {
    return this.#error
  }

  write(event: RunEvent): void {
    if (this.#error !== undefined) return
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
    return this.#writing
  }

  close(): Promise<void> {
    return this.flush()
  }

  #drain(): void {
    if (this.#buffer.length === 0 || this.#error !== undefined) return
    const batch = this.#buffer
    this.#buffer = []
    // Appends are chained so batches land in seq order even on a store with async writes.
    this.#writing = this.#writing.then(() =>
      this.#error === undefined
        ? this.#store.appendEvents(this.#runId, batch).catch((error: unknown) => {
            this.#error = error
          })
        : undefined,
    )
  }
}
