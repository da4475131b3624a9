import { describe, expect, it } from 'vitest'
import { RunNotFoundError } from '../errors/errors'
import type { RunEvent, RunEventBody } from '../logging/run-event'
import { MemoryRunStore } from './memory-run-store'

function events(runId: string, bodies: RunEventBody[], firstSeq = 1): RunEvent[] {
  return bodies.map((body, i) => ({
    runId,
    seq: firstSeq + i,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, firstSeq + i)).toISOString(),
    ...body,
  })) as RunEvent[]
}

async function collect(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = []
  for await (const event of iterable) seqs.push(event.seq)
  return seqs
}

const newRun = (runId: string, action = 'train') => ({
  runId,
  action,
  executor: 'local',
  params: { epochs: 2 },
})

describe('MemoryRunStore', () => {
  it('createRun is idempotent: the first record stays', async () => {
    const store = new MemoryRunStore()
    const first = await store.createRun({ ...newRun('r1'), plugin: '/p', parentRunId: 'pipe' })
    expect(first.created).toBe(true)
    expect(first.record).toMatchObject({ status: 'pending', lastSeq: 0, plugin: '/p' })
    const again = await store.createRun(newRun('r1', 'other'))
    expect(again.created).toBe(false)
    expect(again.record.action).toBe('train')
  })

  it('appendEvents applies status, result and error, and skips seq at or below lastSeq', async () => {
    const store = new MemoryRunStore()
    await store.createRun(newRun('r1'))
    const all = events('r1', [
      { type: 'status', status: 'pending' },
      { type: 'status', status: 'running' },
      { type: 'log', level: 'info', event: 'message', data: { message: 'hi' } },
      { type: 'result', result: { at: '2026-01-01T00:00:00.000Z' } },
      { type: 'status', status: 'completed' },
    ])
    await store.appendEvents('r1', all.slice(0, 3))
    expect(await store.getRun('r1')).toMatchObject({ status: 'running', lastSeq: 3 })
    // A retried batch overlapping what is stored adds only what is new.
    await store.appendEvents('r1', all.slice(1))
    const record = await store.getRun('r1')
    expect(record).toMatchObject({
      status: 'completed',
      lastSeq: 5,
      result: all[3]!.type === 'result' && all[3]!.result,
    })
    expect(record?.startedAt).toBe(all[1]!.time)
    expect(record?.finishedAt).toBe(all[4]!.time)
    expect(await collect(store.readEvents('r1'))).toEqual([1, 2, 3, 4, 5])
    expect(await collect(store.readEvents('r1', { afterSeq: 3 }))).toEqual([4, 5])

    await store.createRun(newRun('r2'))
    await store.appendEvents(
      'r2',
      events('r2', [
        {
          type: 'error',
          error: { name: 'ExecutionError', code: 'EXECUTION_FAILED', message: 'x' },
        },
        { type: 'status', status: 'failed' },
      ]),
    )
    expect(await store.getRun('r2')).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTION_FAILED' },
    })
  })

  it('refuses events that are not JSON, as a serialising store would', async () => {
    const store = new MemoryRunStore()
    await store.createRun(newRun('r1'))
    const live = events('r1', [{ type: 'result', result: { at: new Date() } }])
    await expect(store.appendEvents('r1', live)).rejects.toMatchObject({ code: 'EVENT_INVALID' })
    expect((await store.getRun('r1'))?.lastSeq).toBe(0)
  })

  it('follow waits for new events and ends at the terminal status', async () => {
    const store = new MemoryRunStore()
    await store.createRun(newRun('r1'))
    const all = events('r1', [
      { type: 'status', status: 'running' },
      { type: 'log', level: 'info', event: 'message', data: {} },
      { type: 'status', status: 'cancelled' },
    ])
    await store.appendEvents('r1', all.slice(0, 1))
    const following = collect(store.readEvents('r1', { follow: true }))
    await new Promise((resolve) => setTimeout(resolve, 5))
    await store.appendEvents('r1', all.slice(1, 2))
    await new Promise((resolve) => setTimeout(resolve, 5))
    await store.appendEvents('r1', all.slice(2))
    expect(await following).toEqual([1, 2, 3])
    // Following a finished run from past its end yields nothing and ends.
    expect(await collect(store.readEvents('r1', { follow: true, afterSeq: 3 }))).toEqual([])
  })

  it('an unknown id fails on the first iteration, not at the call', async () => {
    const store = new MemoryRunStore()
    const iterable = store.readEvents('nope', { follow: true })
    await expect(collect(iterable)).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(store.appendEvents('nope', [])).rejects.toBeInstanceOf(RunNotFoundError)
    expect(await store.getRun('nope')).toBeUndefined()
  })

  it('listRuns: newest first, filtered, limited', async () => {
    const store = new MemoryRunStore()
    await store.createRun({ ...newRun('a'), createdAt: '2026-01-01T00:00:01.000Z' })
    await store.createRun({ ...newRun('b', 'infer'), createdAt: '2026-01-01T00:00:02.000Z' })
    await store.createRun({
      ...newRun('c'),
      createdAt: '2026-01-01T00:00:03.000Z',
      parentRunId: 'p',
    })
    await store.appendEvents('a', events('a', [{ type: 'status', status: 'completed' }]))
    const ids = async (filter?: Parameters<MemoryRunStore['listRuns']>[0]) =>
      (await store.listRuns(filter)).map((r) => r.runId)
    expect(await ids()).toEqual(['c', 'b', 'a'])
    expect(await ids({ action: 'train' })).toEqual(['c', 'a'])
    expect(await ids({ status: ['completed', 'failed'] })).toEqual(['a'])
    expect(await ids({ parentRunId: 'p' })).toEqual(['c'])
    expect(await ids({ limit: 1 })).toEqual(['c'])
  })
})
