import { pino } from 'pino'
import { LOG_LEVEL_SEVERITY, type LogLevel } from '../../enums'
import type { RunEvent, RunEventSink } from '../run-event'
import { levelOf, PinoEventWriter } from './pino-event-writer'

export interface ConsoleSinkOptions {
  /** `pretty` for people, `json` for machines; `auto` picks pretty on a TTY. Default `auto`. */
  format?: 'auto' | 'pretty' | 'json'
  level?: LogLevel
  /** Default stderr, so stdout stays free for results. */
  stream?: NodeJS.WriteStream
}

/** Prints events: readable lines on a terminal, JSON lines otherwise. */
export class ConsoleSink implements RunEventSink {
  readonly #stream: NodeJS.WriteStream
  readonly #json: PinoEventWriter | undefined
  readonly #minSeverity: number

  constructor(options: ConsoleSinkOptions = {}) {
    this.#stream = options.stream ?? process.stderr
    const format = options.format ?? 'auto'
    const pretty = format === 'pretty' || (format === 'auto' && this.#stream.isTTY === true)
    const level = options.level ?? 'info'
    this.#minSeverity = LOG_LEVEL_SEVERITY[level]
    // JSON goes straight to the stream's file descriptor when it has one (fast, synchronous, so
    // nothing is lost on exit); a stream without one (a PassThrough, a test double) gets writes.
    const fd = (this.#stream as { fd?: unknown }).fd
    this.#json = pretty
      ? undefined
      : new PinoEventWriter(
          typeof fd === 'number' ? pino.destination({ fd, sync: true }) : this.#stream,
          level,
        )
  }

  write(event: RunEvent): void {
    if (this.#json !== undefined) {
      this.#json.write(event)
      return
    }
    if (LOG_LEVEL_SEVERITY[levelOf(event)] < this.#minSeverity) return
    this.#stream.write(`${formatEvent(event)}\n`)
  }
}

/** One readable line for an event, e.g. `12:00:01 INFO    [train] Progress: 40% | ETA: 3s`. */
export function formatEvent(event: RunEvent): string {
  const time = event.time.slice(11, 19)
  const level = levelOf(event).toUpperCase().padEnd(8)
  return `${time} ${level}${describeEvent(event)}`
}

/** The part of {@link formatEvent} after time and level. */
export function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'log': {
      const { message, ...rest } = event.data
      const head = event.event === 'message' ? String(message ?? '') : event.event
      const data = event.event === 'message' ? rest : event.data
      const extra = Object.keys(data).length > 0 ? ` ${compact(data)}` : ''
      const file = event.file !== undefined ? ` (file: ${event.file})` : ''
      const cat = event.category !== undefined ? `[${event.category}] ` : ''
      return `${cat}${head}${extra}${file}`
    }
    case 'progress': {
      const eta = event.etaSeconds === null ? '' : ` | ETA: ${event.etaSeconds}s`
      const state = event.failed ? ' FAILED' : ''
      return `[${event.category}] Progress: ${event.percent}%${eta}${state}`
    }
    case 'metrics':
      return `[${event.category}] Metrics: ${compact(event.values)}`
    case 'status':
      return `Run ${event.status}`
    case 'result':
      return `Result: ${compact(event.result)}`
    case 'error':
      return `${event.error.name} [${event.error.code ?? 'ERROR'}]: ${event.error.message}`
  }
}

function compact(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value)
    return text.length > 400 ? `${text.slice(0, 397)}...` : text
  } catch {
    return String(value)
  }
}
