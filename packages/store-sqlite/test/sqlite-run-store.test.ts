import { DatabaseSync } from 'node:sqlite'
import { type NewRunRecord, PluginError, RunNotFoundError } from '@synapse/core'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { EventMaker } from './events'
import { tempDb } from './helpers'

const open: SqliteRunStore[] = []
afterEach(async () => {
  for (const store of open.splice(0)) await store.close()
})

function newStore(path = tempDb()): SqliteRunStore {
  const store = new SqliteRunStore({ path })
  open.push(store)
  return store
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

describe('SqliteRunStore records', () => {
  it('creates a run as pending and reads it back from a second store on the same file', async () => {
    const path = tempDb()
    const store = newStore(path)
    const { created, record } = await store.createRun({
      runId: 'r1',
      action: 'train',
      plugin: 'examples/yolo',
      executor: 'local',
      params: { epochs: 2, tags: ['a', 'b'], nested: { lr: 0.1 } },
      parentRunId: 'p1',
      createdAt: '2026-12-04T10:00:00.000Z',
    })
    expect(created).toBe(true)
    expect(record).toEqual({
      runId: 'r1',
      action: 'train',
      plugin: 'examples/yolo',
      executor: 'local',
      status: 'pending',
      params: { epochs: 2, tags: ['a', 'b'], nested: { lr: 0.1 } },
      parentRunId: 'p1',
      createdAt: '2026-12-04T10:00:00.000Z',
      lastSeq: 0,
    })
    await store.close()
    const again = newStore(path)
    expect(await again.getRun('r1')).toEqual(record)
    expect(await again.getRun('nope')).toBeUndefined()
  })

  it('leaves an existing run untouched when its id is created again', async () => {
    const store = newStore()
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: { a: 1 } })
    const maker = new EventMaker('r1')
    await store.appendEvents('r1', [maker.status('running')])
    const second = await store.createRun({
      runId: 'r1',
      action: 'other',
      executor: 'ray-job',
      params: { a: 2 },
    })
    expect(second.created).toBe(false)
    expect(second.record).toMatchObject({
      action: 'train',
      executor: 'local',
      params: { a: 1 },
      status: 'running',
      lastSeq: 1,
    })
  })

  it('stamps createdAt when none is given and refuses one that is not a time', async () => {
    const store = newStore()
    const before = Date.now()
    const { record } = await store.createRun({ runId: 'r', action: 'a', executor: 'l', params: {} })
    expect(Date.parse(record.createdAt)).toBeGreaterThanOrEqual(before)
    await expect(
      store.createRun({ runId: 's', action: 'a', executor: 'l', params: {}, createdAt: 'soon' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('soon') })
    await expect(
      store.createRun({ runId: '', action: 'a', executor: 'l', params: {} }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'runId' } })
    const noAction = { runId: 't', executor: 'l', params: {} } as unknown as NewRunRecord
    await expect(store.createRun(noAction)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'action' },
    })
    const bigParams = { runId: 'u', action: 'a', executor: 'l', params: { n: 1n } }
    await expect(store.createRun(bigParams as unknown as NewRunRecord)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("params of run 'u'"),
    })
    expect(await store.listRuns()).toHaveLength(1)
  })

  it('lists newest first, filtered by status, action and parent, with a limit', async () => {
    const store = newStore()
    const at = (minute: number) => `2026-12-04T10:${String(minute).padStart(2, '0')}:00.000Z`
    const runs = [
      { runId: 'a', action: 'train', createdAt: at(1) },
      { runId: 'b', action: 'infer', createdAt: at(2), parentRunId: 'pipe' },
      { runId: 'c', action: 'train', createdAt: at(3), parentRunId: 'pipe' },
      // Same millisecond as c: the one created later comes first.
      { runId: 'd', action: 'train', createdAt: at(3) },
      { runId: 'e', action: 'infer', createdAt: at(0) },
    ]
    for (const run of runs) await store.createRun({ ...run, executor: 'local', params: {} })
    const done = new EventMaker('c')
    await store.appendEvents('c', [done.status('running'), done.status('completed')])
    const failed = new EventMaker('e')
    await store.appendEvents('e', [failed.status('failed')])

    const ids = async (filter?: Parameters<SqliteRunStore['listRuns']>[0]) =>
      (await store.listRuns(filter)).map((r) => r.runId)
    expect(await ids()).toEqual(['d', 'c', 'b', 'a', 'e'])
    expect(await ids({ limit: 2 })).toEqual(['d', 'c'])
    expect(await ids({ action: 'train' })).toEqual(['d', 'c', 'a'])
    expect(await ids({ status: 'pending' })).toEqual(['d', 'b', 'a'])
    expect(await ids({ status: ['completed', 'failed'] })).toEqual(['c', 'e'])
    expect(await ids({ status: [] })).toEqual([])
    expect(await ids({ parentRunId: 'pipe', action: 'train' })).toEqual(['c'])
    await expect(store.listRuns({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })
})

describe('SqliteRunStore events', () => {
  it('stores events as they were appended and the record follows them', async () => {
    const store = newStore()
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    const running = maker.status('running')
    const work = maker.work(7)
    const result = maker.result({ accuracy: 0.93, at: '2026-12-04T10:00:00.000Z' })
    const completed = maker.status('completed')

    await store.appendEvents('r1', [running, ...work.slice(0, 3)])
    expect(await store.getRun('r1')).toMatchObject({
      status: 'running',
      startedAt: running.time,
      lastSeq: 4,
    })
    await store.appendEvents('r1', [...work.slice(3), result, completed])
    const record = await store.getRun('r1')
    expect(record).toMatchObject({
      status: 'completed',
      startedAt: running.time,
      finishedAt: completed.time,
      result: { accuracy: 0.93, at: '2026-12-04T10:00:00.000Z' },
      lastSeq: 10,
    })
    expect(record?.error).toBeUndefined()
    expect(await collect(store.readEvents('r1'))).toEqual([running, ...work, result, completed])
    expect((await collect(store.readEvents('r1', { afterSeq: 8 }))).map((e) => e.seq)).toEqual([
      9, 10,
    ])
  })

  it('records the error and finish time of a failed run', async () => {
    const store = newStore()
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    const events = [maker.status('running'), maker.error('boom'), maker.status('failed')]
    await store.appendEvents('r1', events)
    expect(await store.getRun('r1')).toMatchObject({
      status: 'failed',
      finishedAt: events[2]!.time,
      error: { name: 'ExecutionError', code: 'EXECUTION_FAILED', message: 'boom' },
    })
  })

  it('skips events at or below the stored lastSeq, so a retried append is harmless', async () => {
    const store = newStore()
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    const first = [maker.status('running'), ...maker.work(4)]
    const second = maker.work(3)
    await store.appendEvents('r1', first)
    await store.appendEvents('r1', first)
    await store.appendEvents('r1', [...first.slice(2), ...second])
    const events = await collect(store.readEvents('r1'))
    expect(events).toEqual([...first, ...second])
    expect((await store.getRun('r1'))?.lastSeq).toBe(8)
  })

  it('reads a long run across pages in seq order', async () => {
    const store = newStore()
    await store.createRun({ runId: 'long', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('long')
    const events = maker.work(1234)
    for (let i = 0; i < events.length; i += 200) {
      await store.appendEvents('long', events.slice(i, i + 200))
    }
    const read = await collect(store.readEvents('long'))
    expect(read.length).toBe(1234)
    expect(read.map((e) => e.seq)).toEqual(events.map((e) => e.seq))
  })

  it('rejects an append to an unknown run, an out-of-order batch and a foreign event', async () => {
    const store = newStore()
    const maker = new EventMaker('r1')
    const events = [maker.status('running'), maker.log('a'), maker.log('b')]
    const unknown = store.appendEvents('r1', events)
    await expect(unknown).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(unknown).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })

    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    await expect(
      store.appendEvents('r1', [events[0]!, events[2]!, events[1]!]),
    ).rejects.toMatchObject({
      code: 'EVENT_INVALID',
      message: expect.stringContaining('seq order'),
    })
    const foreign = new EventMaker('r2').log('not mine')
    await expect(store.appendEvents('r1', [foreign])).rejects.toMatchObject({
      code: 'EVENT_INVALID',
      message: expect.stringContaining("run 'r2'"),
    })
    // A failed batch is one transaction: nothing of it was kept.
    expect(await store.getRun('r1')).toMatchObject({ status: 'pending', lastSeq: 0 })
    expect(await collect(store.readEvents('r1'))).toEqual([])
  })

  it('rejects an event that JSON cannot hold and keeps nothing of its batch', async () => {
    const store = newStore()
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    const events = [maker.status('running'), maker.log('big', { n: 10n })]
    const error = await store.appendEvents('r1', events).catch((e: unknown) => e)
    expect(PluginError.is(error) && error.code).toBe('EVENT_INVALID')
    expect(await store.getRun('r1')).toMatchObject({ status: 'pending', lastSeq: 0 })
  })

  it('writes the rows the schema promises', async () => {
    const path = tempDb()
    const store = newStore(path)
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    await store.appendEvents('r1', [maker.log('hello')])
    const raw = new DatabaseSync(path, { readOnly: true })
    try {
      expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
      expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 })
      const row = raw.prepare('SELECT run_id, seq, type, body FROM events').get()
      expect(row).toEqual({
        run_id: 'r1',
        seq: 1,
        type: 'log',
        body: JSON.stringify({
          type: 'log',
          level: 'info',
          event: 'message',
          data: { message: 'hello' },
        }),
      })
    } finally {
      raw.close()
    }
  })

  it('refuses work once closed, naming the file', async () => {
    const path = tempDb()
    const store = new SqliteRunStore({ path })
    await store.close()
    await store.close()
    await expect(store.getRun('r1')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining(path),
    })
  })
})
