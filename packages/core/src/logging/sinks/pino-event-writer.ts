import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino'
import { LOG_LEVEL_SEVERITY, type LogLevel } from '../../enums'
import type { RunEvent } from '../run-event'

/**
 * Writes RunEvents as JSON lines through pino: its serialiser copes with cycles and odd values,
 * its destination (sonic-boom) batches writes off the hot path, and its level filter is cheap.
 * Each line is exactly the event; pino adds nothing of its own.
 */
export class PinoEventWriter {
  readonly #pino: PinoLogger<LogLevel>

  constructor(destination: DestinationStream, level: LogLevel = 'debug') {
    this.#pino = pino<LogLevel>(
      {
        base: null,
        timestamp: false,
        level,
        customLevels: LOG_LEVEL_SEVERITY,
        useOnlyCustomLevels: true,
        formatters: { level: () => ({}) },
      },
      destination,
    )
  }

  write(event: RunEvent): void {
    this.#pino[levelOf(event)](event)
  }
}

/** The level an event is filed under: its own for logs, `error` for errors, else `info`. */
export function levelOf(event: RunEvent): LogLevel {
  if (event.type === 'log') return event.level
  if (event.type === 'error') return 'error'
  return 'info'
}
