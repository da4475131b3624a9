import type { SQLOutputValue } from 'node:sqlite'
import { type JsonValue, PluginError, type RunEvent, type RunRecord } from '@synapse/core'

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>

/** The columns of `runs` a record is read from, in the order the SELECTs name them. */
export const RUN_COLUMNS =
  'run_id, action, plugin, executor, status, params, result, error, parent_run_id, created_at, started_at, finished_at, last_seq, cancel_requested_at'

/** A `runs` row as a {@link RunRecord}; absent columns stay absent rather than `null`. */
export function toRunRecord(row: Row, file: string): RunRecord {
  const runId = String(row['run_id'])
  // Built in the interface's field order, so `runs show --json` reads the same for every run.
  const record = { runId, action: String(row['action']) } as RunRecord
  if (row['plugin'] !== null) record.plugin = String(row['plugin'])
  record.executor = String(row['executor'])
  record.status = String(row['status']) as RunRecord['status']
  record.params = parseJson(row['params'], file, runId, 'params') as JsonValue
  if (row['result'] !== null) {
    record.result = parseJson(row['result'], file, runId, 'result') as JsonValue
  }
  if (row['error'] !== null) {
    record.error = parseJson(row['error'], file, runId, 'error') as RunRecord['error'] & object
  }
  if (row['parent_run_id'] !== null) record.parentRunId = String(row['parent_run_id'])
  record.createdAt = String(row['created_at'])
  if (row['started_at'] !== null) record.startedAt = String(row['started_at'])
  if (row['finished_at'] !== null) record.finishedAt = String(row['finished_at'])
  record.lastSeq = Number(row['last_seq'])
  if (row['cancel_requested_at'] !== null && row['cancel_requested_at'] !== undefined) {
    record.cancelRequestedAt = String(row['cancel_requested_at'])
  }
  return record
}

/** An `events` row (seq, time, body) as the event it was appended as. */
export function toRunEvent(runId: string, row: Row, file: string): RunEvent {
  const seq = Number(row['seq'])
  const body = parseJson(row['body'], file, runId, `event ${seq}`) as object
  return { runId, seq, time: String(row['time']), ...body } as RunEvent
}

/**
 * What an event row stores as `body`: the event without its header, which has columns of its own.
 * Fails with `EVENT_INVALID` on a value JSON cannot hold (a `bigint`), naming the event.
 */
export function eventBody(event: RunEvent): string {
  const { runId: _runId, seq: _seq, time: _time, ...body } = event
  try {
    return JSON.stringify(body)
  } catch (cause) {
    throw new PluginError(
      `Event ${event.seq} of run '${event.runId}' is not JSON (${(cause as Error).message})`,
      { code: 'EVENT_INVALID', details: { runId: event.runId, seq: event.seq }, cause },
    )
  }
}

function parseJson(value: unknown, file: string, runId: string, what: string): unknown {
  try {
    return JSON.parse(String(value))
  } catch (cause) {
    throw new PluginError(
      `The run store ${file} is corrupt: the ${what} of run '${runId}' is not JSON`,
      { code: 'STORE_CORRUPT', details: { file, runId, what }, cause },
    )
  }
}
