import type { JsonValue } from '../codec/json-value'
import type { RunStatus } from '../enums'
import type { SerializedError } from '../errors/plugin-error'
import type { RunEvent } from '../logging/run-event'

/** A run as a store keeps it. Everything is JSON, so any store can hold it. */
export interface RunRecord {
  runId: string
  action: string
  /** The plugin's folder, or `code@version`. */
  plugin?: string
  /** The executor mode that ran it (`local`, `task`, `ray-job`…). */
  executor: string
  status: RunStatus
  /** Params as submitted, with secret values masked. */
  params: JsonValue
  /** Set once completed: the result as it travels (see `toJsonValue`). */
  result?: JsonValue
  /** Set once failed or cancelled. */
  error?: SerializedError
  /** The pipeline run this run is a step of. */
  parentRunId?: string
  createdAt: string
  startedAt?: string
  finishedAt?: string
  /** `seq` of the last event stored. */
  lastSeq: number
  /**
   * Set by {@link RunStore.requestCancel} while the run has not ended: the process running it
   * (which may not be the one that asked) is to stop it. Cleared when the run starts again (a
   * `running` status on a run that is not `pending`: a resume).
   */
  cancelRequestedAt?: string
}

/** What a new record starts with; the store fills in the rest (`pending`, `lastSeq` 0). */
export type NewRunRecord = Pick<RunRecord, 'runId' | 'action' | 'executor' | 'params'> &
  Partial<Pick<RunRecord, 'plugin' | 'parentRunId' | 'createdAt'>>

/** Which runs {@link RunStore.listRuns} returns. */
export interface RunFilter {
  status?: RunStatus | readonly RunStatus[]
  action?: string
  parentRunId?: string
  /** Newest first; default 50. */
  limit?: number
}

/** How {@link RunStore.readEvents} reads: from where, and whether it follows. */
export interface ReadEventsOptions {
  /** Only events with `seq` greater than this. */
  afterSeq?: number
  /** Keep reading as events arrive, from this process or another, until the run ends. */
  follow?: boolean
  signal?: AbortSignal
}

/**
 * Where runs outlive the process that ran them: each run's record and its events, readable from
 * any process that opens the same store. Appending events is the one way a record changes: a
 * `status` event sets the status and its timestamp, `result` and `error` events set those fields,
 * in the same write as the events themselves.
 *
 * The embedded default is SQLite (`@synapse/store-sqlite`); the queue executor keeps its runs in
 * Redis behind the same interface.
 */
export interface RunStore {
  /**
   * Records a new run. An id already recorded is left as it is and `created` is false, so a
   * retried submit is harmless; the caller decides whether the existing run conflicts.
   */
  createRun(record: NewRunRecord): Promise<{ created: boolean; record: RunRecord }>
  getRun(runId: string): Promise<RunRecord | undefined>
  /** Newest first. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>
  /**
   * Appends events of one run, in `seq` order, and applies them to its record, atomically. Events
   * at or below the stored `lastSeq` are skipped (a retried append is harmless).
   */
  appendEvents(runId: string, events: readonly RunEvent[]): Promise<void>
  /**
   * A run's events in `seq` order. With `follow`, waits for more until the run's terminal status
   * event has been yielded or `signal` aborts. An unknown run fails with `RunNotFoundError` on the
   * first iteration.
   */
  readEvents(runId: string, options?: ReadEventsOptions): AsyncIterable<RunEvent>
  /**
   * Asks the process running `runId`, whichever it is, to cancel it: sets `cancelRequestedAt`
   * unless the run has ended (then the record is returned unchanged). The runner polls
   * `getRun` for it; the store itself stops nothing. Resolves to the record, `undefined` for an
   * unknown id. Optional: a store without it cannot carry a cancel between processes.
   */
  requestCancel?(runId: string): Promise<RunRecord | undefined>
  /** Waits for pending writes and releases the store. */
  close(): Promise<void>
}
