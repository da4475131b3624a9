import type { RunEvent, RunEventBody, RunStore } from '@synapse/core'

/** How long a live figure (a step's progress) may wait in memory before it is stored anyway. */
const LIVE_FLUSH_MS = 200

/**
 * The pipeline run's own events, numbered on from what the store already holds (a resume picks
 * up after the last attempt's events). Events wait in memory until `flush`, which the runner
 * calls once per step with the step's checkpoint, its status and the next step's start in one
 * append: one transaction per step is the pipeline's whole cost in the store. Events between
 * flushes (progress) are stored within {@link LIVE_FLUSH_MS} by a timer.
 */
export class PipelineJournal {
  readonly #store: RunStore
  readonly #runId: string
  #seq: number
  #buffer: RunEvent[] = []
  #writing: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  #error: unknown

  constructor(store: RunStore, runId: string, lastSeq: number) {
    this.#store = store
    this.#runId = runId
    this.#seq = lastSeq
  }

  write(body: RunEventBody): void {
    this.#seq++
    this.#buffer.push({
      runId: this.#runId,
      seq: this.#seq,
      time: new Date().toISOString(),
      ...body,
    })
    this.#timer ??= setTimeout(() => {
      this.flush().catch(() => {
        // Kept in #error: the next flush the runner awaits throws it.
      })
    }, LIVE_FLUSH_MS).unref()
  }

  /** Resolves once every event written so far is stored; throws the store's failure. */
  flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#buffer
    this.#buffer = []
    // Appends are chained so batches land in seq order whoever calls flush.
    this.#writing = this.#writing.then(async () => {
      if (this.#error !== undefined) throw this.#error
      if (batch.length === 0) return
      try {
        await this.#store.appendEvents(this.#runId, batch)
      } catch (error) {
        this.#error = error
        throw error
      }
    })
    return this.#writing
  }
}
