import { once } from 'node:events'
import { pino } from 'pino'
import type { LogLevel } from '../../enums'
import type { RunEvent, RunEventSink } from '../run-event'
import { PinoEventWriter } from './pino-event-writer'

type SonicBoom = ReturnType<typeof pino.destination>

/** Appends every event as one JSON line to a file (one file per run, e.g. `.synapse/runs/<id>/events.jsonl`). */
export class JsonlFileSink implements RunEventSink {
  readonly path: string
  readonly #dest: SonicBoom
  readonly #writer: PinoEventWriter
  #closed = false

  constructor(path: string, options: { level?: LogLevel } = {}) {
    this.path = path
    // Synchronous open so a bad path fails here, at setup, not silently later.
    this.#dest = pino.destination({ dest: path, mkdir: true, sync: false, append: true })
    this.#writer = new PinoEventWriter(this.#dest, options.level)
  }

  write(event: RunEvent): void {
    if (!this.#closed) this.#writer.write(event)
  }

  async flush(): Promise<void> {
    if (this.#closed) return
    await new Promise<void>((resolve) => {
      this.#dest.flush((err) => {
        // flush reports an error when nothing is pending yet (file still opening): not a failure.
        void err
        resolve()
      })
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const closed = once(this.#dest, 'close')
    this.#dest.end()
    await closed
  }
}
