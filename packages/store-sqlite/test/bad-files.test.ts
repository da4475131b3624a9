import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { PluginError } from '@synapse/core'
import { openRunStore, SCHEMA_VERSION, SqliteRunStore } from '@synapse/store-sqlite'
import { describe, expect, it } from 'vitest'
import { tempDir } from './helpers'

/** The error opening `path` fails with. */
function openError(path: string): PluginError {
  try {
    new SqliteRunStore({ path }).close()
  } catch (error) {
    if (PluginError.is(error)) return error
    throw error
  }
  throw new Error(`opening ${path} did not fail`)
}

describe('files a store cannot use', () => {
  it('reports random bytes as STORE_CORRUPT, naming the file, with the cause', () => {
    const path = join(tempDir(), 'synapse.db')
    writeFileSync(path, randomBytes(8192))
    const error = openError(path)
    expect(error.code).toBe('STORE_CORRUPT')
    expect(error.message).toContain(path)
    expect(error.details).toMatchObject({ file: path })
    expect(error.cause).toMatchObject({ code: 'ERR_SQLITE_ERROR', errcode: 26 })
  })

  it('reports a text file as STORE_CORRUPT', () => {
    const path = join(tempDir(), 'notes.db')
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200))
    expect(openError(path)).toMatchObject({ code: 'STORE_CORRUPT' })
  })

  it('reports a damaged store (a valid header, garbage after it) as STORE_CORRUPT', async () => {
    const path = join(tempDir(), 'synapse.db')
    const store = new SqliteRunStore({ path })
    await store.createRun({ runId: 'r1', action: 'a', executor: 'local', params: {} })
    await store.close()
    const header = Buffer.from('SQLite format 3\0')
    writeFileSync(path, Buffer.concat([header, Buffer.alloc(84, 0xff), randomBytes(8000)]))
    expect(openError(path)).toMatchObject({ code: 'STORE_CORRUPT' })
  })

  it('refuses another program’s SQLite database instead of writing into it', () => {
    const path = join(tempDir(), 'other.db')
    const other = new DatabaseSync(path)
    other.exec('CREATE TABLE contacts (name TEXT)')
    other.close()
    const error = openError(path)
    expect(error.code).toBe('STORE_CORRUPT')
    expect(error.message).toContain('another program')
    const check = new DatabaseSync(path)
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([
      { name: 'contacts' },
    ])
    check.close()
  })

  it('refuses a store written by a newer schema, asking for an upgrade', () => {
    const path = join(tempDir(), 'synapse.db')
    new SqliteRunStore({ path }).close()
    const raw = new DatabaseSync(path)
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    const error = openError(path)
    expect(error.code).toBe('STORE_UNAVAILABLE')
    expect(error.message).toMatch(/newer .*upgrade/)
  })

  it('reports a folder it cannot create as STORE_UNAVAILABLE, naming the file', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be')
    const path = join(dir, 'blocker', 'synapse.db')
    const error = await openRunStore({ path }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' })
    expect((error as Error).message).toContain(path)
    expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) })
  })

  it('reports a path that is a folder as STORE_UNAVAILABLE', () => {
    const path = join(tempDir(), 'synapse.db')
    mkdirSync(path)
    const error = openError(path)
    expect(error.code).toBe('STORE_UNAVAILABLE')
    expect(error.message).toContain(path)
  })

  it('reports a file another connection holds exclusively as STORE_UNAVAILABLE on open', () => {
    const path = join(tempDir(), 'synapse.db')
    new SqliteRunStore({ path }).close()
    // A connection in exclusive locking mode keeps the file to itself: not even a reader gets in.
    const other = new DatabaseSync(path)
    other.exec('PRAGMA locking_mode = EXCLUSIVE')
    other.exec('BEGIN EXCLUSIVE')
    other.exec(
      "INSERT INTO runs (run_id, action, executor, status, params, created_at) VALUES ('x', 'a', 'l', 'pending', '{}', '')",
    )
    try {
      const started = performance.now()
      let error: unknown
      try {
        new SqliteRunStore({ path, busyTimeoutMs: 100 }).close()
      } catch (e) {
        error = e
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(90)
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { operation: 'open' } })
      expect((error as Error).message).toContain(path)
      expect((error as Error).message).toContain('after waiting 100 ms')
      expect((error as Error).cause).toMatchObject({ errcode: 5 })
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })

  it('migrates a new file once when two stores open it', async () => {
    const path = join(tempDir(), 'synapse.db')
    const a = new SqliteRunStore({ path })
    const b = new SqliteRunStore({ path })
    await a.createRun({ runId: 'r1', action: 'a', executor: 'local', params: {} })
    expect((await b.getRun('r1'))?.runId).toBe('r1')
    await a.close()
    await b.close()
  })
})
