import type { JsonValue } from '../codec/json-value'
import { isTerminalStatus, type RunStatus } from '../enums'
import { RunNotFoundError } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'
import { Wakeup } from '../executor/wakeup'
import type { RunEvent } from '../logging/run-event'
import { RunEventSchema } from '../logging/run-event-schema'
import type {
  NewRunRecord,
  ReadEventsOptions,
  RunFilter,
  RunRecord,
  RunStore,
} from '../store/run-store'

interface StoredRun {
  record: RunRecord
  events: RunEvent[]
  /** Insertion order breaks ties between runs created in the same millisecond. */
  order: number
}

/**
 * A {@link RunStore} in memory, for tests: it keeps the interface's whole contract (idempotent
 * `createRun`, appends applied to the record and skipped at or below `lastSeq`, followable reads
 * that end at the terminal status, unknown ids failing on the first iteration), so code written
 * against it behaves the same on the SQLite or Redis stores. Events are checked against
 * {@link RunEventSchema} and stored as JSON copies, as a real store serialises them: an event
 * that is not JSON fails the append, and nothing a caller mutates later changes what is stored.
 *
 * @example
 * const store = new MemoryRunStore()
 * const executor = new LocalExecutor({ store })
 */
export class MemoryRunStore implements RunStore {
  readonly #runs = new Map<string, StoredRun>()
  readonly #wakeup = new Wakeup()
  #closed = false
  #created = 0

  async createRun(input: NewRunRecord): Promise<{ created: boolean; record: RunRecord }> {
    this.#assertOpen()
    const existing = this.#runs.get(input.runId)
    if (existing !== undefined) return { created: false, record: copy(existing.record) }
    const record: RunRecord = {
      runId: input.runId,
      action: input.action,
      executor: input.executor,
      status: 'pending',
      params: json(input.params),
      createdAt: input.createdAt ?? new Date().toISOString(),
      lastSeq: 0,
    }
    if (input.plugin !== undefined) record.plugin = input.plugin
    if (input.parentRunId !== undefined) record.parentRunId = input.parentRunId
    this.#runs.set(input.runId, { record, events: [], order: this.#created++ })
    return { created: true, record: copy(record) }
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.#assertOpen()
    const run = this.#runs.get(runId)
    return run === undefined ? undefined : copy(run.record)
  }

  /** Marks a run that has not ended as asked to cancel; the first request's time is kept. */
  async requestCancel(runId: string): Promise<RunRecord | undefined> {
    this.#assertOpen()
    const run = this.#runs.get(runId)
    if (run === undefined) return undefined
    if (!isTerminalStatus(run.record.status))
      run.record.cancelRequestedAt ??= new Date().toISOString()
    return copy(run.record)
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    this.#assertOpen()
    const statuses =
      filter.status === undefined
        ? undefined
        : new Set<RunStatus>(typeof filter.status === 'string' ? [filter.status] : filter.status)
    return [...this.#runs.values()]
      .filter(
        ({ record }) =>
          (statuses === undefined || statuses.has(record.status)) &&
          (filter.action === undefined || record.action === filter.action) &&
          (filter.parentRunId === undefined || record.parentRunId === filter.parentRunId),
      )
      .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.order - a.order)
      .slice(0, filter.limit ?? 50)
      .map(({ record }) => copy(record))
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    this.#assertOpen()
    const run = this.#runs.get(runId)
    if (run === undefined) throw new RunNotFoundError(runId)
    // Checked as a whole before any is applied: a store applies a batch atomically or not at all.
    const batch = events.map((event) => {
      if (event.runId !== runId) {
        throw new PluginError(`Event of run '${event.runId}' appended to run '${runId}'`, {
          code: 'EVENT_INVALID',
          details: { runId, eventRunId: event.runId },
        })
      }
      const parsed = RunEventSchema.safeParse(event)
      if (!parsed.success) {
        throw new PluginError(
          `Event ${event.seq} of run '${runId}' is not a valid event: ${parsed.error.issues[0]?.message}`,
          { code: 'EVENT_INVALID', details: { runId, seq: event.seq } },
        )
      }
      return JSON.parse(JSON.stringify(parsed.data)) as RunEvent
    })
    const { record } = run
    for (const event of batch) {
      if (event.seq <= record.lastSeq) continue
      run.events.push(event)
      record.lastSeq = event.seq
      if (event.type === 'status') {
        // A run that starts again (a resume) leaves its last life's cancel request behind.
        if (event.status === 'running' && record.status !== 'pending')
          delete record.cancelRequestedAt
        record.status = event.status
        if (event.status === 'running') record.startedAt ??= event.time
        if (isTerminalStatus(event.status)) record.finishedAt = event.time
      } else if (event.type === 'result') {
        record.result = event.result as JsonValue
      } else if (event.type === 'error') {
        record.error = event.error
      }
    }
    this.#wakeup.wakeAll()
  }

  async *readEvents(runId: string, options: ReadEventsOptions = {}): AsyncGenerator<RunEvent> {
    this.#assertOpen()
    const run = this.#runs.get(runId)
    if (run === undefined) throw new RunNotFoundError(runId)
    const { signal } = options
    let after = options.afterSeq ?? 0
    let index = 0
    while (true) {
      while (index < run.events.length) {
        const event = run.events[index++]!
        if (event.seq <= after) continue
        after = event.seq
        yield copy(event)
        if (event.type === 'status' && isTerminalStatus(event.status)) return
      }
      // A run already over whose terminal event lies at or before `afterSeq` has nothing to come.
      if (!options.follow || isTerminalStatus(run.record.status) || this.#closed) return
      if (signal?.aborted) return
      await this.#wakeup.wait(signal)
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#wakeup.wakeAll()
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new PluginError('The run store is closed', { code: 'STORE_UNAVAILABLE' })
    }
  }
}

function copy<T>(value: T): T {
  return structuredClone(value)
}

function json(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue
}
