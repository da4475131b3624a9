import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import {
  isTerminalStatus,
  type NewRunRecord,
  PluginError,
  type ReadEventsOptions,
  type RunEvent,
  type RunFilter,
  RunNotFoundError,
  type RunRecord,
  type RunStatus,
  type RunStore,
} from '@synapse/core'
import { loadSqlite } from './load-sqlite'
import { eventBody, type Row, RUN_COLUMNS, toRunEvent, toRunRecord } from './run-row'
import { migrate, rollbackQuietly } from './schema'
import { type StoreOperation, storeError } from './store-error'
import { MEMORY_PATH } from './store-path'

/** How a {@link SqliteRunStore} opens its file. */
export interface SqliteRunStoreOptions {
  /** The database file (created with its folders if missing), or `:memory:`. */
  path: string
  /**
   * How long a write waits for another connection's write to finish before failing with
   * `STORE_UNAVAILABLE`. Default 5000 ms. node:sqlite is synchronous: the wait blocks the thread.
   */
  busyTimeoutMs?: number
  /** How often a follower looks for events written by other processes. Default 50 ms. */
  pollIntervalMs?: number
}

/** Events read per query while reading a run, so a long run is never loaded all at once. */
const PAGE_SIZE = 500
const DEFAULT_LIMIT = 50

/** The record fields a batch of events changes; `undefined` leaves the column as it is. */
interface RecordChanges {
  status: RunStatus | undefined
  startedAt: string | undefined
  finishedAt: string | undefined
  result: string | undefined
  error: string | undefined
}

/**
 * The embedded run store: runs and their events in one SQLite file through Node's built-in
 * `node:sqlite`, so a run outlives its process and any process opening the same file sees it.
 *
 * - WAL mode: readers never block the writer, and a follower in another process sees each
 *   append once it commits.
 * - Each `createRun` and each `appendEvents` call is one transaction: a process killed halfway
 *   leaves the file as it was before that call.
 * - Writers from several processes queue on SQLite's write lock for up to `busyTimeoutMs`.
 *
 * @example
 * const store = new SqliteRunStore({ path: '.synapse/synapse.db' })
 * await store.createRun({ runId, action: 'train', executor: 'local', params: { epochs: 2 } })
 * await store.appendEvents(runId, events)
 * for await (const event of store.readEvents(runId, { follow: true })) console.log(event.type)
 * await store.close()
 */
export class SqliteRunStore implements RunStore {
  /** The database file this store reads and writes. */
  readonly path: string
  readonly #db: DatabaseSync
  readonly #busyTimeoutMs: number
  readonly #pollIntervalMs: number
  readonly #statements: {
    begin: StatementSync
    commit: StatementSync
    insertRun: StatementSync
    selectRun: StatementSync
    selectRunState: StatementSync
    insertEvent: StatementSync
    updateRun: StatementSync
    selectEvents: StatementSync
    requestCancel: StatementSync
  }
  /** Prepared `listRuns` queries, one per filter shape. */
  readonly #listStatements = new Map<string, StatementSync>()
  /** Followers of a run in this process, woken as soon as this store appends to it. */
  readonly #followers = new Map<string, Set<() => void>>()
  /** Counts this store's appends, so a follower knows whether one came while it was yielding. */
  #appends = 0
  #closed = false

  /** Opens (creating if needed) the database at `options.path` and brings its schema up to date. */
  constructor(options: SqliteRunStoreOptions) {
    this.path = options.path
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000
    this.#pollIntervalMs = options.pollIntervalMs ?? 50
    const { DatabaseSync } = loadSqlite(this.path)
    if (this.path !== MEMORY_PATH) {
      try {
        mkdirSync(dirname(this.path), { recursive: true })
      } catch (cause) {
        throw storeError(cause, { file: this.path, operation: 'open' })
      }
    }
    let db: DatabaseSync | undefined
    try {
      db = new DatabaseSync(this.path)
      // The busy timeout first: every later statement, the WAL switch included, may meet a lock.
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(this.#busyTimeoutMs))}`)
      db.exec('PRAGMA journal_mode = WAL')
      // With WAL, NORMAL loses no committed transaction when the process dies (only on power
      // loss), and spares an fsync per commit.
      db.exec('PRAGMA synchronous = NORMAL')
      migrate(db, this.path)
      this.#db = db
      this.#statements = {
        begin: db.prepare('BEGIN IMMEDIATE'),
        commit: db.prepare('COMMIT'),
        insertRun: db.prepare(
          `INSERT INTO runs (run_id, action, plugin, executor, status, params, parent_run_id, created_at)
           VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`,
        ),
        selectRun: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`),
        selectRunState: db.prepare('SELECT status, last_seq FROM runs WHERE run_id = ?'),
        insertEvent: db.prepare(
          'INSERT INTO events (run_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)',
        ),
        // A run that starts again (a resumed pipeline: it had ended, or its process died while
        // it was running) starts without the cancel request its last life may have left; a
        // request made while it was still pending holds.
        updateRun: db.prepare(
          `UPDATE runs SET cancel_requested_at = CASE WHEN ?1 = 'running' AND status <> 'pending'
               THEN NULL ELSE cancel_requested_at END,
             status = coalesce(?1, status), started_at = coalesce(started_at, ?2),
             finished_at = coalesce(?3, finished_at), result = coalesce(?4, result),
             error = coalesce(?5, error), last_seq = ?6 WHERE run_id = ?7`,
        ),
        requestCancel: db.prepare(
          `UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, ?)
           WHERE run_id = ? AND status NOT IN ('completed', 'failed', 'cancelled')`,
        ),
        selectEvents: db.prepare(
          'SELECT seq, time, body FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        ),
      }
    } catch (error) {
      try {
        db?.close()
      } catch {
        // Already failing; the first error is the one worth reporting.
      }
      throw storeError(error, {
        file: this.path,
        operation: 'open',
        busyTimeoutMs: this.#busyTimeoutMs,
      })
    }
  }

  /**
   * Records a new `pending` run; an id already recorded is returned untouched with `created`
   * false. `createdAt` (now by default) is stored in `toISOString` form.
   */
  async createRun(record: NewRunRecord): Promise<{ created: boolean; record: RunRecord }> {
    this.#open('create a run in')
    for (const field of ['runId', 'action', 'executor'] as const) {
      const value: unknown = record[field]
      if (typeof value !== 'string' || value === '') {
        throw invalid(`A run needs a non-empty ${field} (got ${JSON.stringify(value)})`, {
          runId: record.runId,
          field,
        })
      }
    }
    const params = jsonText(record.params, `params of run '${record.runId}'`)
    const createdAt = isoTime(record.createdAt, record.runId)
    const outcome = this.#run('create a run in', () => {
      const info = this.#statements.insertRun.run(
        record.runId,
        record.action,
        record.plugin ?? null,
        record.executor,
        params,
        record.parentRunId ?? null,
        createdAt,
      )
      const row = this.#statements.selectRun.get(record.runId) as Row
      return { created: Number(info.changes) === 1, row }
    })
    return { created: outcome.created, record: toRunRecord(outcome.row, this.path) }
  }

  /** The run's record, or `undefined` for an id never recorded. */
  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.#open('read')
    const row = this.#run('read', () => this.#statements.selectRun.get(runId))
    return row === undefined ? undefined : toRunRecord(row, this.path)
  }

  /** Runs matching every field of `filter`, newest first (ties: the later insert first). */
  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const db = this.#open('list runs of')
    const limit = filter.limit ?? DEFAULT_LIMIT
    if (!Number.isInteger(limit) || limit < 1) {
      throw invalid(`listRuns: limit must be a positive integer, not ${limit}`, { limit })
    }
    const where: string[] = []
    const args: (string | number)[] = []
    if (filter.status !== undefined) {
      const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status]
      if (statuses.length === 0) return []
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`)
      args.push(...statuses)
    }
    if (filter.action !== undefined) {
      where.push('action = ?')
      args.push(filter.action)
    }
    if (filter.parentRunId !== undefined) {
      where.push('parent_run_id = ?')
      args.push(filter.parentRunId)
    }
    // rowid breaks ties between runs created in the same millisecond: the later insert first.
    const sql = `SELECT ${RUN_COLUMNS} FROM runs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`
    const rows = this.#run('list runs of', () => {
      let statement = this.#listStatements.get(sql)
      if (statement === undefined) {
        statement = db.prepare(sql)
        this.#listStatements.set(sql, statement)
      }
      return statement.all(...args, limit)
    })
    return rows.map((row) => toRunRecord(row, this.path))
  }

  /**
   * Stores a batch of a run's events and folds them into its record, in one transaction. Events
   * at or below the stored `lastSeq` are skipped; an unknown run fails with `RunNotFoundError`,
   * a batch out of `seq` order or holding another run's event with `EVENT_INVALID`.
   */
  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    this.#open('append events to')
    const s = this.#statements
    let appended = false
    this.#run('append events to', () => {
      s.begin.run()
      try {
        const state = s.selectRunState.get(runId)
        if (state === undefined) throw new RunNotFoundError(runId)
        const stored = Number(state['last_seq'])
        let last = stored
        const changes: RecordChanges = {
          status: undefined,
          startedAt: undefined,
          finishedAt: undefined,
          result: undefined,
          error: undefined,
        }
        for (const event of events) {
          const seq = event.seq
          // A retried batch: what is stored already stays as it was.
          if (seq <= stored) continue
          if (!(seq > last) || !Number.isInteger(seq) || event.runId !== runId) {
            throw badEvent(runId, event, last)
          }
          s.insertEvent.run(runId, seq, event.type, event.time, eventBody(event))
          last = seq
          applyEvent(changes, event)
        }
        if (last !== stored) {
          s.updateRun.run(
            changes.status ?? null,
            changes.startedAt ?? null,
            changes.finishedAt ?? null,
            changes.result ?? null,
            changes.error ?? null,
            last,
            runId,
          )
          appended = true
        }
        s.commit.run()
      } catch (error) {
        rollbackQuietly(this.#db)
        throw error
      }
    })
    if (appended) {
      this.#appends++
      this.#wake(runId)
    }
  }

  /**
   * Marks the run as asked to cancel (the first request's time is kept), unless it has ended.
   * The process running it finds the mark through `getRun`; other processes see it at once.
   */
  async requestCancel(runId: string): Promise<RunRecord | undefined> {
    this.#open('request a cancel in')
    const row = this.#run('request a cancel in', () => {
      this.#statements.requestCancel.run(new Date().toISOString(), runId)
      return this.#statements.selectRun.get(runId)
    })
    return row === undefined ? undefined : toRunRecord(row, this.path)
  }

  /**
   * The run's events after `afterSeq`, in `seq` order. With `follow`, waits for more (woken at
   * once by appends through this store, polling for other processes') and ends after the
   * terminal `status` event, when `signal` aborts or when the store closes.
   */
  readEvents(runId: string, options: ReadEventsOptions = {}): AsyncIterable<RunEvent> {
    // A generator runs nothing until the first `next()`: an unknown id fails there, not here.
    return this.#read(runId, options)
  }

  /** Ends this store's followers and closes the database; later calls fail. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // Followers wake, see the store closed and end.
    for (const runId of [...this.#followers.keys()]) this.#wake(runId)
    try {
      this.#db.close()
    } catch (error) {
      throw storeError(error, { file: this.path, operation: 'close' })
    }
  }

  async *#read(runId: string, options: ReadEventsOptions): AsyncGenerator<RunEvent> {
    const { follow = false, signal } = options
    this.#open('read')
    const s = this.#statements
    let state = this.#run('read', () => s.selectRunState.get(runId))
    if (state === undefined) throw new RunNotFoundError(runId)
    let cursor = options.afterSeq ?? 0
    while (!this.#stopped(signal)) {
      const appends = this.#appends
      const rows = this.#run('read', () => s.selectEvents.all(runId, cursor, PAGE_SIZE))
      for (const row of rows) {
        const event = toRunEvent(runId, row, this.path)
        cursor = event.seq
        yield event
        if (follow && event.type === 'status' && isTerminalStatus(event.status)) return
        if (this.#stopped(signal)) return
      }
      if (!follow) {
        if (rows.length < PAGE_SIZE) return
        continue
      }
      // The state was read before the events: when it already said the run had ended, every
      // event it counted was in that read, so an empty read means nothing is left (a run that
      // ended before `afterSeq` has no terminal event left to yield).
      const ended = isTerminalStatus(String(state?.['status']) as RunStatus)
      if (ended && rows.length === 0) return
      // An append through this store while the events were being yielded would not wake a
      // follower that starts waiting after it: read again at once instead.
      if (!ended && rows.length < PAGE_SIZE && appends === this.#appends) {
        await this.#nextAppend(runId, signal)
      }
      if (this.#closed) return
      state = this.#run('read', () => s.selectRunState.get(runId))
    }
  }

  /** Resolves on this store's next append to the run, the poll interval, an abort or close. */
  #nextAppend(runId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.#followers.get(runId)
      if (waiting === undefined) {
        waiting = new Set()
        this.#followers.set(runId, waiting)
      }
      const set = waiting
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        set.delete(done)
        if (set.size === 0 && this.#followers.get(runId) === set) this.#followers.delete(runId)
        resolve()
      }
      const timer = setTimeout(done, this.#pollIntervalMs)
      set.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  /** A reader stops when its signal aborts or the store closes; checked after every await. */
  #stopped(signal: AbortSignal | undefined): boolean {
    return this.#closed || signal?.aborted === true
  }

  #wake(runId: string): void {
    const waiting = this.#followers.get(runId)
    if (waiting === undefined) return
    for (const wake of [...waiting]) wake()
  }

  #open(operation: StoreOperation): DatabaseSync {
    if (this.#closed) {
      throw new PluginError(`Cannot ${operation} the run store ${this.path}: it is closed`, {
        code: 'STORE_UNAVAILABLE',
        details: { file: this.path, operation },
      })
    }
    return this.#db
  }

  /** Runs SQLite work, turning its failures into errors that name the file. */
  #run<TResult>(operation: StoreOperation, work: () => TResult): TResult {
    try {
      return work()
    } catch (error) {
      throw storeError(error, { file: this.path, operation, busyTimeoutMs: this.#busyTimeoutMs })
    }
  }
}

/** Folds one event into the record changes of its batch; later events win. */
function applyEvent(changes: RecordChanges, event: RunEvent): void {
  switch (event.type) {
    case 'status':
      changes.status = event.status
      if (event.status === 'running') changes.startedAt ??= event.time
      else if (isTerminalStatus(event.status)) changes.finishedAt = event.time
      return
    case 'result':
      changes.result = jsonText(event.result, `result of run '${event.runId}'`)
      return
    case 'error':
      changes.error = jsonText(event.error, `error of run '${event.runId}'`)
      return
    default:
      return
  }
}

function badEvent(runId: string, event: RunEvent, last: number): PluginError {
  const reason =
    event.runId !== runId
      ? `belongs to run '${event.runId}'`
      : Number.isInteger(event.seq)
        ? `comes after seq ${last} in the batch (events must be in seq order)`
        : `has seq ${event.seq}, not a positive integer`
  return new PluginError(`Cannot append event ${event.seq} to run '${runId}': it ${reason}`, {
    code: 'EVENT_INVALID',
    details: { runId, seq: event.seq, eventRunId: event.runId },
  })
}

function invalid(message: string, details: Record<string, unknown>): PluginError {
  return new PluginError(message, { code: 'INVALID_ARGUMENT', details })
}

/** `value` as JSON text; fails naming `what` when it has no JSON form. */
function jsonText(value: unknown, what: string): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (cause) {
    throw new PluginError(`The ${what} is not JSON (${(cause as Error).message})`, {
      code: 'INVALID_ARGUMENT',
      cause,
    })
  }
  if (text === undefined) throw invalid(`The ${what} is not JSON`, {})
  return text
}

/**
 * A creation time in the one ISO form (`toISOString`), so that ordering by the text column
 * orders by time; now when none is given.
 */
function isoTime(value: string | undefined, runId: string): string {
  if (value === undefined) return new Date().toISOString()
  const time = new Date(value)
  if (Number.isNaN(time.getTime())) {
    throw invalid(`The createdAt of run '${runId}' is not a time: ${value}`, { runId, value })
  }
  return time.toISOString()
}
