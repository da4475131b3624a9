import type { DatabaseSync } from 'node:sqlite'
import { PluginError } from '@synapse/core'

/** Marks the file as a Synapse run store (`PRAGMA application_id`): 'SYNA' in ASCII. */
const APPLICATION_ID = 0x53594e41

/**
 * The schema, one step per version: step `i` takes a database from `user_version` i to i + 1.
 * A later version of this package appends a step (never edits a shipped one), and every
 * database catches up the first time a newer store opens it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY NOT NULL,
    action        TEXT NOT NULL,
    plugin        TEXT,
    executor      TEXT NOT NULL,
    status        TEXT NOT NULL,
    params        TEXT NOT NULL,
    result        TEXT,
    error         TEXT,
    parent_run_id TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    last_seq      INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_created ON runs (created_at);
  CREATE INDEX runs_by_status ON runs (status, created_at);
  CREATE INDEX runs_by_action ON runs (action, created_at);
  CREATE INDEX runs_by_parent ON runs (parent_run_id, created_at);
  -- Keyed by (run_id, seq) without a rowid: a run's events sit together in seq order, which is
  -- how they are always read, and an insert updates one b-tree instead of a table and an index.
  CREATE TABLE events (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL,
    time   TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  `,
  // A cancel asked for by another process than the one running the run (see requestCancel).
  `
  ALTER TABLE runs ADD COLUMN cancel_requested_at TEXT;
  `,
]

/** The schema version this package writes. */
export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the database to {@link SCHEMA_VERSION}. Migrating takes the write lock first and reads
 * the version again under it, so two processes opening a new file at once migrate it once. A
 * file that is SQLite but some other program's database, or one from a newer version of this
 * package, is refused rather than written into.
 */
export function migrate(db: DatabaseSync, file: string): void {
  if (readState(db, file) === SCHEMA_VERSION) return
  db.exec('BEGIN IMMEDIATE')
  try {
    const version = readState(db, file)
    if (version === 0) {
      const tables = db
        .prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")
        .get()
      if (Number(tables?.['n'] ?? 0) > 0) {
        throw new PluginError(
          `The run store ${file} is a SQLite database of another program (it has tables but is not marked as a Synapse run store)`,
          { code: 'STORE_CORRUPT', details: { file } },
        )
      }
    }
    for (let step = version; step < SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]!)
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`)
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)
    db.exec('COMMIT')
  } catch (error) {
    rollbackQuietly(db)
    throw error
  }
}

/** The file's schema version, after checking it is ours and not from the future. */
function readState(db: DatabaseSync, file: string): number {
  const applicationId = Number(db.prepare('PRAGMA application_id').get()?.['application_id'] ?? 0)
  const version = Number(db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0)
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new PluginError(
      `The run store ${file} is a SQLite database of another program (application id ${applicationId})`,
      { code: 'STORE_CORRUPT', details: { file, applicationId } },
    )
  }
  if (version > SCHEMA_VERSION) {
    throw new PluginError(
      `The run store ${file} was written by a newer @synapse/store-sqlite (schema ${version}; this one reads up to ${SCHEMA_VERSION}): upgrade the package`,
      { code: 'STORE_UNAVAILABLE', details: { file, version, supported: SCHEMA_VERSION } },
    )
  }
  return version
}

/** Ends an open transaction; when there is none (it never began) there is nothing to undo. */
export function rollbackQuietly(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK')
  } catch {
    // No transaction was active: the failure happened before BEGIN took effect.
  }
}
