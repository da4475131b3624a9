import { writeFileSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import type { RunEvent } from '@synapse/core'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnChild, tempDb } from './helpers'

// Real second processes on the same file: what `runs logs -f` in one terminal and
// `plugin run` in another do.

const open: SqliteRunStore[] = []
afterEach(async () => {
  for (const store of open.splice(0)) await store.close()
})

function newStore(path: string, busyTimeoutMs?: number): SqliteRunStore {
  const store = new SqliteRunStore({
    path,
    pollIntervalMs: 20,
    ...(busyTimeoutMs && { busyTimeoutMs }),
  })
  open.push(store)
  return store
}

async function collect(items: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('a store shared by processes', { timeout: 15_000 }, () => {
  it('follows a run another process writes until its terminal status', async () => {
    const path = tempDb()
    const store = newStore(path)
    await store.createRun({ runId: 'r1', action: 'child', executor: 'local', params: {} })
    const following = collect(store.readEvents('r1', { follow: true }))
    // 30 work events in batches of 5, 15 ms apart: the follower sees them arrive over time.
    const child = spawnChild(['write', path, 'r1', '30', '5', '15'])
    const events = await following
    await child.exited()
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 33 }, (_, i) => i + 1))
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' })
    expect(await store.getRun('r1')).toMatchObject({
      status: 'completed',
      result: { pid: child.process.pid },
      lastSeq: 33,
    })
  })

  it('records both runs fully when two processes write at the same time', async () => {
    const path = tempDb()
    // Start from an existing store so both children contend on appends, not only on creating it.
    newStore(path)
    // Both begin together once both have started up: the go file is their starting gun.
    const go = `${path}.go`
    const children = [
      spawnChild(['write', path, 'first', '3000', '10', '0', go]),
      spawnChild(['write', path, 'second', '3000', '10', '0', go]),
    ]
    await Promise.all(children.map((child) => child.printed('ready')))
    writeFileSync(go, '')
    await Promise.all(children.map((child) => child.exited()))
    // The two writing windows overlapped: the appends really did contend for the lock.
    const [a, b] = children.map((child) =>
      child
        .stdout()
        .match(/window (\d+) (\d+)/)!
        .slice(1)
        .map(Number),
    )
    expect(a![0]! < b![1]! && b![0]! < a![1]!).toBe(true)
    const store = newStore(path)
    for (const runId of ['first', 'second']) {
      expect(await store.getRun(runId)).toMatchObject({ status: 'completed', lastSeq: 3003 })
      const events = await collect(store.readEvents(runId))
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 3003 }, (_, i) => i + 1))
      expect(events.every((e) => e.runId === runId)).toBe(true)
    }
  })

  it('leaves a consistent file when a writer is killed mid-append', async () => {
    const path = tempDb()
    const child = spawnChild(['loop', path, 'killed'])
    await child.printed('started')
    await new Promise((resolve) => setTimeout(resolve, 150))
    child.process.kill('SIGKILL')
    await child.exited()
    const store = newStore(path)
    const record = await store.getRun('killed')
    const events = await collect(store.readEvents('killed'))
    // Whole batches only: the record's lastSeq is the last event stored, with no gaps before it.
    expect(record?.lastSeq).toBeGreaterThan(1)
    expect((record!.lastSeq - 1) % 50).toBe(0)
    expect(events.length).toBe(record?.lastSeq)
    expect(events.at(-1)?.seq).toBe(record?.lastSeq)
  })

  it('waits for a write lock another process holds, then writes', async () => {
    const path = tempDb()
    const store = newStore(path, 5_000)
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const locker = spawnChild(['lock', path, '300'])
    await locker.printed('locked')
    const started = performance.now()
    await store.createRun({ runId: 'r2', action: 'train', executor: 'local', params: {} })
    expect(performance.now() - started).toBeGreaterThan(100)
    await locker.exited()
    expect((await store.getRun('r2'))?.status).toBe('pending')
  })

  it('fails with STORE_UNAVAILABLE naming the file when the lock outlasts the busy timeout', async () => {
    const path = tempDb()
    const store = newStore(path, 100)
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    // Another connection holding the write lock; node:sqlite is synchronous, so the one in
    // this process can only let go after our wait has failed.
    const other = new DatabaseSync(path)
    other.exec('BEGIN IMMEDIATE')
    try {
      const attempt = store.createRun({ runId: 'r2', action: 'a', executor: 'local', params: {} })
      await expect(attempt).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        retryable: true,
        message: expect.stringContaining(path),
      })
      const error = await attempt.catch((e: unknown) => e)
      expect((error as Error).message).toContain('locked')
      expect((error as Error).cause).toMatchObject({ errcode: 5 })
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    // Reading never waits on a writer under WAL, and the store works again once the lock is gone.
    expect((await store.getRun('r1'))?.status).toBe('pending')
    await store.createRun({ runId: 'r2', action: 'a', executor: 'local', params: {} })
  })
})
