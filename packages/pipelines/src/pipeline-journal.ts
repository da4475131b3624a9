import { type RunEventBody, type RunStore, RunStoreSink } from '@synapse/core'

/**
 * The pipeline run's own events, numbered on from what the store already holds (a resume picks
 * up after the last attempt's events). Writes are batched like a run's (see `RunStoreSink`);
 * `flush` is what makes a checkpoint durable before the next step starts.
 */
export class PipelineJournal {
  readonly #runId: string
  readonly #sink: RunStoreSink
  #seq: number

  constructor(store: RunStore, runId: string, lastSeq: number) {
    this.#runId = runId
    this.#sink = new RunStoreSink(store, runId)
    this.#seq = lastSeq
  }

  write(body: RunEventBody): void {
    this.#seq++
    this.#sink.write({
      runId: this.#runId,
      seq: this.#seq,
      time: new Date().toISOString(),
      ...body,
    })
  }

  /** Resolves once every event written so far is stored; throws the store's failure. */
  async flush(): Promise<void> {
    await this.#sink.flush()
    if (this.#sink.error !== undefined) throw this.#sink.error
  }
}
