import type { LogLevel, RunStatus } from '../enums'
import type { SerializedError } from '../errors/plugin-error'

/**
 * The one wire format of a run. Everything a run does that can be observed is a RunEvent: the
 * CLI's progress display, the run store and remote executors all read and write these, whatever
 * executor produced them. Every event is plain JSON.
 */
export type RunEvent = RunEventHeader & RunEventBody

/** What every event starts with: whose it is, its place in the run, and when. */
export interface RunEventHeader {
  runId: string
  /** Orders the events of one run, starting at 1 with no gaps. */
  seq: number
  /** ISO-8601 time the event was made. */
  time: string
}

/** The body of an event, by `type`. */
export type RunEventBody =
  | StatusEventBody
  | LogEventBody
  | ProgressEventBody
  | MetricsEventBody
  | ResultEventBody
  | ErrorEventBody

/** The run moved to a new status. */
export interface StatusEventBody {
  type: 'status'
  status: RunStatus
}

/** Something the action (or the SDK for it) logged. */
export interface LogEventBody {
  type: 'log'
  level: LogLevel
  /** Event name: `message` for plain messages, or the action's own (`model_saved`, …). */
  event: string
  data: Record<string, unknown>
  file?: string
  category?: string
}

/** Where one progress category stands. */
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

/** The metrics of one category, merged so far. */
export interface MetricsEventBody {
  type: 'metrics'
  category: string
  /** All metrics of the category so far, merged. */
  values: Record<string, unknown>
}

/** The run completed with this result, in its JSON form (see `toJsonValue`). */
export interface ResultEventBody {
  type: 'result'
  result: unknown
}

/** The run failed or was cancelled with this error. */
export interface ErrorEventBody {
  type: 'error'
  error: SerializedError
}

/** The kinds of event: `status`, `log`, `progress`, `metrics`, `result`, `error`. */
export type RunEventType = RunEvent['type']

/** Where events go: a console, a file, memory, a queue… Sinks never throw into the run. */
export interface RunEventSink {
  write(event: RunEvent): void
  /** Waits until everything written so far is stored. */
  flush?(): Promise<void>
  /** Flushes and releases resources; no writes after. */
  close?(): Promise<void>
}
