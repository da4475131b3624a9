import { PluginError } from '@synapse/core'

// SQLite's primary result codes (the low byte of an extended code) that decide what to tell.
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_CORRUPT = 11
const SQLITE_CANTOPEN = 14
const SQLITE_NOTADB = 26

/** What a store was doing when SQLite failed, for the message. */
export type StoreOperation =
  | 'open'
  | 'create a run in'
  | 'read'
  | 'list runs of'
  | 'append events to'
  | 'request a cancel in'
  | 'close'

/** Which store was doing what when it failed. */
export interface StoreErrorContext {
  file: string
  operation: StoreOperation
  /** The busy timeout in force, for the message of a lock that outlasted it. */
  busyTimeoutMs?: number
}

/**
 * Turns whatever SQLite (or the file system under it) threw into a `PluginError` that names the
 * database file: `STORE_CORRUPT` when the file is not a database or is damaged, otherwise
 * `STORE_UNAVAILABLE` (locked past the busy timeout, cannot be opened, disk full…). The original
 * error stays as `cause`. PluginErrors pass through untouched.
 */
export function storeError(error: unknown, where: StoreErrorContext): PluginError {
  const { file, operation, busyTimeoutMs } = where
  if (PluginError.is(error)) return error
  const reason = error instanceof Error ? error.message : String(error)
  const primary = sqliteCode(error) & 0xff
  const details = { file, operation, sqliteCode: sqliteCode(error), reason }
  if (primary === SQLITE_NOTADB || primary === SQLITE_CORRUPT) {
    return new PluginError(
      `The run store ${file} is corrupt or not a SQLite database (${reason}): move it aside or delete it to start a new store`,
      { code: 'STORE_CORRUPT', details, cause: error },
    )
  }
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
    const waited = busyTimeoutMs === undefined ? '' : ` after waiting ${busyTimeoutMs} ms`
    return new PluginError(
      `The run store ${file} is locked by another connection${waited}: could not ${operation} it`,
      { code: 'STORE_UNAVAILABLE', details, cause: error, retryable: true },
    )
  }
  if (primary === SQLITE_CANTOPEN) {
    return new PluginError(`Cannot open the run store ${file} (${reason})`, {
      code: 'STORE_UNAVAILABLE',
      details,
      cause: error,
    })
  }
  return new PluginError(`Could not ${operation} the run store ${file}: ${reason}`, {
    code: 'STORE_UNAVAILABLE',
    details,
    cause: error,
  })
}

/** The extended SQLite result code node:sqlite attaches as `errcode`, or 0 for other errors. */
function sqliteCode(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 0
  const code = (error as { errcode?: unknown }).errcode
  return typeof code === 'number' ? code : 0
}
