import { once } from 'node:events'
import { mkdirSync, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import {
  LOG_LEVEL_SEVERITY,
  type LogLevel,
  PluginError,
  type RunEvent,
  type RunEventSink,
  registerErrorCodes,
} from '@synapse/core'
import type { pino } from 'pino'
import { levelOf } from '../ui/format-event'

type SonicBoom = ReturnType<typeof pino.destination>

// pino (for its sonic-boom destination) loads with the first events file, not with every command.
const require = createRequire(import.meta.url)
let loadedPino: typeof pino | undefined
function destination(options: Parameters<typeof pino.destination>[0]): SonicBoom {
  loadedPino ??= (require('pino') as { pino: typeof pino }).pino
  return loadedPino.destination(options)
}

// A path the user gave that cannot be written (a folder, no permission) is bad input.
registerErrorCodes({ EVENTS_FILE_UNWRITABLE: 'input' })

/** Appends every event as one JSON line to a file (one file per run, e.g. `.synapse/runs/<id>/events.jsonl`). */
export class JsonlFileSink implements RunEventSink {
  readonly path: string
  readonly #dest: SonicBoom
  readonly #minSeverity: number
  #closing: Promise<void> | undefined
  #failed = false

  constructor(path: string, options: { level?: LogLevel } = {}) {
    this.path = path
    // Open synchronously so a bad path fails here, at setup: sonic-boom's own asynchronous open
    // reports failure as an 'error' event nobody listens to, which crashes the process.
    let fd: number
    try {
      mkdirSync(dirname(path), { recursive: true })
      fd = openSync(path, 'a')
    } catch (cause) {
      const reason =
        (cause as NodeJS.ErrnoException).code === 'EISDIR'
          ? 'it is a folder'
          : String((cause as Error).message)
      throw new PluginError(`Cannot write the events file ${path}: ${reason}`, {
        code: 'EVENTS_FILE_UNWRITABLE',
        cause,
        details: { path },
      })
    }
    // minLength 1 (not 0): with 0, sonic-boom's flush() returns before pending writes land.
    this.#dest = destination({ fd, sync: false, minLength: 1 })
    // A write that fails later (disk full) must not crash the run: the sink just stops.
    this.#dest.on('error', () => {
      this.#failed = true
    })
    this.#minSeverity = LOG_LEVEL_SEVERITY[options.level ?? 'debug']
  }

  write(event: RunEvent): void {
    if (this.#closing !== undefined || this.#failed) return
    if (LOG_LEVEL_SEVERITY[levelOf(event)] < this.#minSeverity) return
    // Events are JSON by construction (the run logger encodes them), so stringify cannot throw.
    this.#dest.write(`${JSON.stringify(event)}\n`)
  }

  async flush(): Promise<void> {
    if (this.#closing !== undefined || this.#failed) return
    await new Promise<void>((resolve) => {
      this.#dest.flush(() => resolve())
    })
  }

  /** Idempotent: every call resolves once the file is complete and closed. */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    if (this.#failed) {
      this.#dest.destroy()
      return
    }
    const closed = once(this.#dest, 'close')
    this.#dest.end()
    await closed
  }
}
