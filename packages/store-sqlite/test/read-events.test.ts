import type { RunEvent } from '@synapse/core'
import { RunNotFoundError } from '@synapse/core'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { EventMaker } from './events'
import { tempDb } from './helpers'

const open: SqliteRunStore[] = []
afterEach(async () => {
  for (const store of open.splice(0)) await store.close()
})

/** A store that polls slowly, so a follower that sees an append at once was woken, not polling. */
async function storeWithRun(pollIntervalMs = 50): Promise<SqliteRunStore> {
  const store = new SqliteRunStore({ path: tempDb(), pollIntervalMs })
  open.push(store)
  await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
  return store
}

async function collect(items: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const item of items) out.push(item)
  return out
}

// A follower that misses a wake-up hangs: fail in seconds, not at the global minute.
describe('readEvents', { timeout: 5_000 }, () => {
  it('fails with RunNotFoundError on the first iteration, not when called', async () => {
    const store = await storeWithRun()
    const events = store.readEvents('missing', { follow: true })
    const iterator = events[Symbol.asyncIterator]()
    const first = iterator.next()
    await expect(first).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(first).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      details: { runId: 'missing' },
    })
  })

  it('follows appends made through the same store and ends after the terminal status', async () => {
    // An hour between polls: only the store's own wake-up can deliver the events in time.
    const store = await storeWithRun(3_600_000)
    const maker = new EventMaker('r1')
    const seen: number[] = []
    const following = (async () => {
      for await (const event of store.readEvents('r1', { follow: true })) seen.push(event.seq)
    })()
    const started = performance.now()
    await store.appendEvents('r1', [maker.status('running')])
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(seen).toEqual([1])
    await store.appendEvents('r1', maker.work(5))
    await store.appendEvents('r1', [maker.result(1), maker.status('completed')])
    // Events after the terminal status are not waited for.
    await store.appendEvents('r1', [maker.log('late')])
    await following
    expect(performance.now() - started).toBeLessThan(1000)
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('resumes after a seq and ends at once for a run that ended before it', async () => {
    const store = await storeWithRun(3_600_000)
    const maker = new EventMaker('r1')
    await store.appendEvents('r1', [maker.status('running'), ...maker.work(3)])
    await store.appendEvents('r1', [maker.status('completed')])
    const after = await collect(store.readEvents('r1', { afterSeq: 2, follow: true }))
    expect(after.map((e) => e.seq)).toEqual([3, 4, 5])
    expect(await collect(store.readEvents('r1', { afterSeq: 5, follow: true }))).toEqual([])
  })

  it('ends a follower when its signal aborts', async () => {
    const store = await storeWithRun()
    const maker = new EventMaker('r1')
    await store.appendEvents('r1', [maker.status('running')])
    const controller = new AbortController()
    const seen: number[] = []
    const following = (async () => {
      for await (const event of store.readEvents('r1', {
        follow: true,
        signal: controller.signal,
      })) {
        seen.push(event.seq)
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 120))
    controller.abort()
    await following
    expect(seen).toEqual([1])
  })

  it('ends followers when the store closes', async () => {
    const store = new SqliteRunStore({ path: tempDb(), pollIntervalMs: 3_600_000 })
    await store.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const following = collect(store.readEvents('r1', { follow: true }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    await store.close()
    expect(await following).toEqual([])
  })

  it('sees events another store on the same file appends, by polling', async () => {
    const path = tempDb()
    const reader = new SqliteRunStore({ path, pollIntervalMs: 20 })
    const writer = new SqliteRunStore({ path })
    open.push(reader, writer)
    await writer.createRun({ runId: 'r1', action: 'train', executor: 'local', params: {} })
    const maker = new EventMaker('r1')
    const following = collect(reader.readEvents('r1', { follow: true }))
    await writer.appendEvents('r1', [maker.status('running'), ...maker.work(2)])
    await new Promise((resolve) => setTimeout(resolve, 60))
    await writer.appendEvents('r1', [maker.status('cancelled')])
    const events = await following
    expect(events.map((e) => e.type)).toEqual(['status', 'progress', 'log', 'status'])
    expect((await reader.getRun('r1'))?.status).toBe('cancelled')
  })
})
