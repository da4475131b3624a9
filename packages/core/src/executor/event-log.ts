import type { RunEvent, RunEventSink } from '../logging/run-event'
import { Wakeup } from './wakeup'

/**
 * An append-only list of a run's events that readers can follow live. It is a sink, so a run
 * logger writes straight into it; `read` yields what is there, then (with `follow`) what comes,
 * until the log is closed.
 */
export class EventLog implements RunEventSink {
  readonly #events: RunEvent[] = []
  #closed = false
  readonly #wakeup = new Wakeup()

  get closed(): boolean {
    return this.#closed
  }

  get size(): number {
    return this.#events.length
  }

  write(event: RunEvent): void {
    if (this.#closed) return
    this.#events.push(event)
    this.#wakeup.wakeAll()
  }

  /** No more events will come: followers finish. */
  close(): Promise<void> {
    this.#closed = true
    this.#wakeup.wakeAll()
    return Promise.resolve()
  }

  snapshot(): readonly RunEvent[] {
    return this.#events
  }

  async *read(
    options: { follow?: boolean; afterSeq?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<RunEvent> {
    const { signal } = options
    const after = options.afterSeq ?? 0
    let index = 0
    while (true) {
      while (index < this.#events.length) {
        const event = this.#events[index++]!
        if (event.seq > after) yield event
      }
      if (!options.follow || this.#closed || signal?.aborted) return
      await this.#wakeup.wait(signal)
    }
  }
}
