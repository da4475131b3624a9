import type { DestinationStream } from 'pino'
import { LOG_LEVEL_SEVERITY, type LogLevel } from '../../enums'
import type { RunEvent } from '../run-event'

/**
 * Writes RunEvents as JSON lines to a pino destination (sonic-boom, which batches writes off the
 * hot path) or any stream. Each line is exactly the event. The line is built here rather than by a
 * pino logger: with pino's own level key removed (`formatters.level: () => ({})`), pino 10 starts
 * every line with `{,` — not JSON.
 */
export class PinoEventWriter {
  readonly #destination: DestinationStream
  readonly #minSeverity: number

  constructor(destination: DestinationStream, level: LogLevel = 'debug') {
    this.#destination = destination
    this.#minSeverity = LOG_LEVEL_SEVERITY[level]
  }

  write(event: RunEvent): void {
    if (LOG_LEVEL_SEVERITY[levelOf(event)] < this.#minSeverity) return
    this.#destination.write(`${stringifyEvent(event)}\n`)
  }
}

/** The level an event is filed under: its own for logs, `error` for errors, else `info`. */
export function levelOf(event: RunEvent): LogLevel {
  if (event.type === 'log') return event.level
  if (event.type === 'error') return 'error'
  return 'info'
}

/** JSON.stringify, falling back to a copy without cycles and with BigInts as strings. */
function stringifyEvent(event: RunEvent): string {
  try {
    return JSON.stringify(event)
  } catch {
    return JSON.stringify(toJsonSafe(event, new Set()))
  }
}

function toJsonSafe(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object' || value === null) return value
  if (ancestors.has(value)) return '[Circular]'
  const json = (value as { toJSON?: unknown }).toJSON
  if (typeof json === 'function') return toJsonSafe(json.call(value), ancestors)
  ancestors.add(value)
  const out = Array.isArray(value)
    ? value.map((item) => toJsonSafe(item, ancestors))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v, ancestors)]))
  ancestors.delete(value)
  return out
}
