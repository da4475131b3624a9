import { DatabaseSync } from 'node:sqlite'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { EventMaker } from './events'
import { tempDb } from './helpers'

const open: SqliteRunStore[] = []
afterEach(async () => {
  for (const store of open.splice(0)) await store.close()
})

function newStore(path: string): SqliteRunStore {
  const store = new SqliteRunStore({ path })
  open.push(store)
  return store
}

describe('SqliteRunStore.requestCancel', () => {
  it('marks a running run for its runner in another connection, keeping the first time', async () => {
    const path = tempDb()
    const runner = newStore(path)
    const other = newStore(path)
    await runner.createRun({ runId: 'p1', action: 'pipe', executor: 'pipeline', params: {} })
    const maker = new EventMaker('p1')
    await runner.appendEvents('p1', [maker.status('running')])
    expect((await runner.getRun('p1'))?.cancelRequestedAt).toBeUndefined()

    const asked = await other.requestCancel('p1')
    expect(asked?.cancelRequestedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    const seen = await runner.getRun('p1')
    expect(seen?.cancelRequestedAt).toBe(asked?.cancelRequestedAt)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect((await other.requestCancel('p1'))?.cancelRequestedAt).toBe(asked?.cancelRequestedAt)
  })

  it('leaves an ended run as it is, and a restarted run starts without the old request', async () => {
    const path = tempDb()
    const store = newStore(path)
    await store.createRun({ runId: 'done', action: 'a', executor: 'local', params: {} })
    const done = new EventMaker('done')
    await store.appendEvents('done', [done.status('running'), done.status('completed')])
    expect((await store.requestCancel('done'))?.cancelRequestedAt).toBeUndefined()
    expect(await store.requestCancel('never-recorded')).toBeUndefined()

    await store.createRun({ runId: 'again', action: 'a', executor: 'pipeline', params: {} })
    const again = new EventMaker('again')
    await store.appendEvents('again', [again.status('running')])
    await store.requestCancel('again')
    await store.appendEvents('again', [again.status('cancelled')])
    // The request stays on the record of the life it ended…
    expect((await store.getRun('again'))?.cancelRequestedAt).toBeDefined()
    await store.appendEvents('again', [again.status('running')])
    // …and a resume does not inherit it.
    expect((await store.getRun('again'))?.cancelRequestedAt).toBeUndefined()

    // A run whose process died still reads running; resuming it drops the request it left.
    await store.createRun({ runId: 'dead', action: 'a', executor: 'pipeline', params: {} })
    const dead = new EventMaker('dead')
    await store.requestCancel('dead')
    await store.appendEvents('dead', [dead.status('pending'), dead.status('running')])
    // Asked while pending: the first start keeps it.
    expect((await store.getRun('dead'))?.cancelRequestedAt).toBeDefined()
    await store.appendEvents('dead', [dead.status('running')])
    expect((await store.getRun('dead'))?.cancelRequestedAt).toBeUndefined()
  })

  it('migrates a version 1 file in place, its runs kept', async () => {
    const path = tempDb()
    const first = newStore(path)
    await first.createRun({ runId: 'old', action: 'a', executor: 'local', params: { x: 1 } })
    await first.close()
    const raw = new DatabaseSync(path)
    raw.exec('ALTER TABLE runs DROP COLUMN cancel_requested_at')
    raw.exec('PRAGMA user_version = 1')
    raw.close()
    const store = newStore(path)
    expect(await store.getRun('old')).toMatchObject({ runId: 'old', params: { x: 1 } })
    expect((await store.requestCancel('old'))?.cancelRequestedAt).toBeDefined()
  })
})
