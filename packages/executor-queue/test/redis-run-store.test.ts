import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { RunEvent, RunStatus } from '@synapse/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisRunStore } from '../src/index'
import { type RedisTestServer, startRedisTestServer } from '../src/testing/index'

let redis: RedisTestServer
let store: RedisRunStore

beforeAll(async () => {
  redis = await startRedisTestServer()
  store = new RedisRunStore({ connection: redis.url, pollMs: 5000 })
})

afterAll(async () => {
  await store?.close()
  await redis?.stop()
})

let counter = 0
const newId = () => `store-${process.pid}-${++counter}`
const time = () => new Date().toISOString()

function status(runId: string, seq: number, value: RunStatus) {
  return { runId, seq, time: time(), type: 'status', status: value } as RunEvent
}

function log(runId: string, seq: number, message: string): RunEvent {
  return {
    runId,
    seq,
    time: time(),
    type: 'log',
    level: 'info',
    event: 'message',
    data: { message },
  }
}

async function collect(iterable: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const event of iterable) out.push(event)
  return out
}

describe('RedisRunStore', () => {
  it('creates a run once: a second create leaves the first record as it is', async () => {
    const runId = newId()
    const first = await store.createRun({ runId, action: 'a', executor: 'task', params: { x: 1 } })
    expect(first.created).toBe(true)
    expect(first.record).toMatchObject({ runId, action: 'a', status: 'pending', lastSeq: 0 })
    const again = await store.createRun({ runId, action: 'b', executor: 'task', params: { x: 2 } })
    expect(again.created).toBe(false)
    expect(again.record.action).toBe('a')
    expect(again.record.params).toEqual({ x: 1 })
  })

  it('appends in seq order, skips what it holds, and applies status, result and error', async () => {
    const runId = newId()
    await store.createRun({ runId, action: 'a', executor: 'task', params: {} })
    await store.appendEvents(runId, [log(runId, 2, 'two'), status(runId, 1, 'running')])
    await store.appendEvents(runId, [status(runId, 1, 'running'), log(runId, 2, 'again')])
    const result: RunEvent = { runId, seq: 3, time: time(), type: 'result', result: { at: 'x' } }
    await store.appendEvents(runId, [result, status(runId, 4, 'completed')])
    const record = await store.getRun(runId)
    expect(record).toMatchObject({ status: 'completed', lastSeq: 4, result: { at: 'x' } })
    expect(record?.startedAt).toBeDefined()
    expect(record?.finishedAt).toBeDefined()
    const events = await collect(store.readEvents(runId))
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(events[1]).toMatchObject({ data: { message: 'two' } })
    expect((await collect(store.readEvents(runId, { afterSeq: 2 }))).map((e) => e.seq)).toEqual([
      3, 4,
    ])
  })

  it('appendNext numbers after what is stored, and stores nothing once the run ended', async () => {
    const runId = newId()
    await store.createRun({ runId, action: 'a', executor: 'task', params: {} })
    expect(await store.appendNext(runId, [status(runId, 0, 'running'), log(runId, 0, 'a')])).toBe(2)
    expect(await store.appendNext(runId, [log(runId, 7, 'b'), status(runId, 0, 'cancelled')])).toBe(
      2,
    )
    // A late writer (a run declared cancelled whose action finished after all) changes nothing.
    expect(await store.appendNext(runId, [status(runId, 0, 'completed')])).toBe(0)
    const events = await collect(store.readEvents(runId))
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'status'],
      [2, 'log'],
      [3, 'log'],
      [4, 'status'],
    ])
    expect((await store.getRun(runId))?.status).toBe('cancelled')
  })

  it('refuses an invalid event and an unknown run, changing nothing', async () => {
    const runId = newId()
    await store.createRun({ runId, action: 'a', executor: 'task', params: {} })
    const bad = { ...log(runId, 1, 'x'), level: 'loud' } as unknown as RunEvent
    await expect(store.appendEvents(runId, [bad])).rejects.toMatchObject({ code: 'EVENT_INVALID' })
    expect((await store.getRun(runId))?.lastSeq).toBe(0)
    await expect(store.appendEvents('nobody', [log('nobody', 1, 'x')])).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    })
    await expect(collect(store.readEvents('nobody'))).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    })
    expect(await store.getRun('nobody')).toBeUndefined()
  })

  it('follows a run written by another process, live, to its terminal status', async () => {
    const runId = newId()
    await store.createRun({ runId, action: 'a', executor: 'task', params: {} })
    const seen: { seq: number; at: number }[] = []
    const following = (async () => {
      for await (const event of store.readEvents(runId, { follow: true })) {
        seen.push({ seq: event.seq, at: Date.now() })
      }
    })()
    // The writer is another Node process with a store of its own.
    const writer = spawn(
      process.execPath,
      [
        '--conditions=@synapse/source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures/append-events.ts'),
      ],
      {
        cwd: resolve(import.meta.dirname, '../../..'),
        stdio: 'inherit',
        env: { ...process.env, REDIS_URL: redis.url, RUN_ID: runId },
      },
    )
    const started = Date.now()
    await following
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    // Each event arrives as it is written (the writer waits 150 ms between them), not at the end
    // and not through the 5 s poll.
    const last = seen.at(-1)?.at ?? 0
    const first = seen[0]?.at ?? 0
    expect(last - first).toBeGreaterThan(400)
    expect(last - started).toBeLessThan(4000)
    await new Promise((done) => writer.once('exit', done))
  })

  it('lists runs newest first, filtered by status and action', async () => {
    const prefix = `list-${process.pid}`
    const listed = new RedisRunStore({ connection: redis.url, prefix })
    try {
      for (const [i, action] of ['a', 'b', 'a'].entries()) {
        const runId = `${prefix}-${i}`
        await listed.createRun({
          runId,
          action,
          executor: 'task',
          params: {},
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        })
      }
      await listed.appendEvents(`${prefix}-0`, [status(`${prefix}-0`, 1, 'completed')])
      expect((await listed.listRuns()).map((r) => r.runId)).toEqual([
        `${prefix}-2`,
        `${prefix}-1`,
        `${prefix}-0`,
      ])
      expect((await listed.listRuns({ action: 'a' })).map((r) => r.runId)).toEqual([
        `${prefix}-2`,
        `${prefix}-0`,
      ])
      expect((await listed.listRuns({ status: 'completed' })).map((r) => r.runId)).toEqual([
        `${prefix}-0`,
      ])
      expect(await listed.listRuns({ limit: 1 })).toHaveLength(1)
    } finally {
      await listed.close()
    }
  })

  it('keeps runs through a Redis crash and restart (AOF)', async () => {
    const runId = newId()
    await store.createRun({ runId, action: 'a', executor: 'task', params: { keep: true } })
    await store.appendEvents(runId, [status(runId, 1, 'running')])
    // appendfsync everysec: what was written a second ago is on disk.
    await new Promise((done) => setTimeout(done, 1200))
    await redis.restart()
    const record = await store.getRun(runId)
    expect(record).toMatchObject({ status: 'running', lastSeq: 1, params: { keep: true } })
  })
})
