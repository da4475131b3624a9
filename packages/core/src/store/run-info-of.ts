import type { RunInfo } from '../executor/executor-protocol'
import type { RunRecord } from './run-store'

/** What `status()` answers for a run known from its stored record: every executor says it alike. */
export function runInfoOf(record: RunRecord): RunInfo {
  const info: RunInfo = {
    runId: record.runId,
    action: record.action,
    status: record.status,
    createdAt: record.createdAt,
  }
  if (record.startedAt !== undefined) info.startedAt = record.startedAt
  if (record.finishedAt !== undefined) info.finishedAt = record.finishedAt
  if (record.error !== undefined) info.error = record.error
  return info
}
