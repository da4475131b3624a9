import type { LogLevel, RunStatus } from '../enums'
import type { SerializedError } from '../errors/plugin-error'

/**
 * The one wire format of a run. Everything a run does that can be observed is a RunEvent: the
 * CLI's progress display, the run store and remote executors all read and write these, whatever
 * executor produced them. Every event is plain JSON.
 */
export type RunEvent = RunEventHeader & RunEventBody

export interface RunEventHeader {
  runId: string
  /** Orders the events of one run, starting at 1 with no gaps. */
  seq: number
  /** ISO-8601 time the event was made. */
  time: string
}

export type RunEventBody =
  | StatusEventBody
  | LogEventBody
  | ProgressEventBody
  | MetricsEventBody
  | ResultEventBody
  | ErrorEventBody

export interface StatusEventBody {
  type: 'status'
  status: RunStatus
}

export interface LogEventBody {
  type: 'log'
  level: LogLevel
  /** Event name: `message` for plain messages, or the action's own (`model_saved`, …). */
  event: string
  data: Record<string, unknown>
  file?: string
  category?: string
}

export interface ProgressEventBody {
  type: 'progress'
  category: string
  current: number
  total: number
  /** 0–100, two decimals. */
  percent: number
  /** Seconds left at the current rate; null until there is a rate to go by. */
  etaSeconds: number | null
  elapsedSeconds: number
  failed?: boolean
}

export interface MetricsEventBody {
  type: 'metrics'
  category: string
  /** All metrics of the category so far, merged. */
  values: Record<string, unknown>
}

export interface ResultEventBody {
  type: 'result'
  result: unknown
}

export interface ErrorEventBody {
  type: 'error'
  error: SerializedError
}

export type RunEventType = RunEvent['type']

/** Where events go: a console, a file, memory, a queue… Sinks never throw into the run. */
export interface RunEventSink {
  write(event: RunEvent): void
  /** Waits until everything written so far is stored. */
  flush?(): Promise<void>
  /** Flushes and releases resources; no writes after. */
  close?(): Promise<void>
}
