import {
  defineAction,
  ExecutionError,
  PluginEnvironment,
  PluginError,
  type RunEvent,
  RunNotFoundError,
} from '@synapse/core'
import { MemoryRunStore } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { LocalExecutor } from './local-executor'
import { z } from './test-support'

async function collect(iterable: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

const greet = defineAction(
  { name: 'greet', params: z.object({ name: z.string(), token: z.string().optional() }) },
  (p, ctx) => {
    ctx.logMessage(`hello ${p.name}`)
    return { greeting: `hello ${p.name}`, at: new Date('2026-01-02T03:04:05.000Z') }
  },
)

/** An action held open until the test lets it go. */
function held() {
  const release = Promise.withResolvers<void>()
  const started = Promise.withResolvers<void>()
  const action = defineAction({ name: 'held' }, async (_p, ctx) => {
    ctx.logMessage('started')
    started.resolve()
    await release.promise
    return 'released'
  })
  return { action, started: started.promise, release: () => release.resolve() }
}

describe('LocalExecutor with a store', () => {
  it('records the run (masked params, plugin, parent) before its first event, and every event', async () => {
    const store = new MemoryRunStore()
    const executor = new LocalExecutor({
      store,
      env: new PluginEnvironment({ API_TOKEN: 'tok-0123456789' }),
    })
    const events: RunEvent[] = []
    await executor.execute(
      {
        action: greet,
        params: { name: 'ada', token: 'tok-0123456789' },
        runId: 'stored-1',
        source: { pluginPath: '/plugins/greet', action: 'greet' },
        parentRunId: 'pipeline-1',
      },
      { onEvent: (e) => events.push(e) },
    )
    const record = await store.getRun('stored-1')
    expect(record).toMatchObject({
      runId: 'stored-1',
      action: 'greet',
      executor: 'local',
      plugin: '/plugins/greet',
      parentRunId: 'pipeline-1',
      status: 'completed',
      params: { name: 'ada', token: '[redacted]' },
      result: { greeting: 'hello ada', at: '2026-01-02T03:04:05.000Z' },
      lastSeq: events.length,
    })
    // Every event is in the store by the time execute returns.
    expect(await collect(store.readEvents('stored-1'))).toEqual(events)
    await executor.close()
  })

  it('status, events and wait of a run not in memory come from the store', async () => {
    const store = new MemoryRunStore()
    const first = new LocalExecutor({ store })
    const fails = defineAction({ name: 'fails' }, () => {
      throw new RangeError('out of range')
    })
    await first.execute({ action: greet, params: { name: 'bo' }, runId: 'done-1' })
    const failedId = await first.submit({ action: fails, params: {}, runId: 'failed-1' })
    await first.wait(failedId)
    await first.close()

    // A second executor (another process, in effect) shares only the store.
    const second = new LocalExecutor({ store })
    expect(await second.status('done-1')).toMatchObject({ action: 'greet', status: 'completed' })
    expect((await collect(second.events('done-1'))).at(-1)).toMatchObject({
      type: 'status',
      status: 'completed',
    })
    expect(await second.wait('done-1')).toEqual({
      runId: 'done-1',
      status: 'completed',
      result: { greeting: 'hello bo', at: '2026-01-02T03:04:05.000Z' },
    })
    const failed = await second.wait('failed-1')
    expect(failed.status).toBe('failed')
    expect(failed.error).toBeInstanceOf(ExecutionError)
    expect((failed.error?.cause as Error | undefined)?.name).toBe('RangeError')
    expect(await second.cancel('done-1')).toBe('already-terminal')
    await expect(second.status('nope')).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(collect(second.events('nope'))).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(second.wait('nope')).rejects.toBeInstanceOf(RunNotFoundError)
  })

  it('runs dropped from memory past retainRuns are read back from the store', async () => {
    const store = new MemoryRunStore()
    const executor = new LocalExecutor({ store, retainRuns: 1 })
    for (const name of ['first', 'second', 'third']) {
      await executor.execute({ action: greet, params: { name }, runId: `kept-${name}` })
    }
    expect(await executor.status('kept-first')).toMatchObject({ status: 'completed' })
    expect((await executor.wait('kept-first')).result).toMatchObject({ greeting: 'hello first' })
    const events = await collect(executor.events('kept-first', { afterSeq: 2 }))
    expect(events.map((e) => e.type)).toEqual(['log', 'result', 'status'])
  })

  it('wait on a run still going elsewhere follows the store until it ends', async () => {
    const store = new MemoryRunStore()
    const gate = held()
    const owner = new LocalExecutor({ store })
    await owner.submit({ action: gate.action, params: {}, runId: 'live-1' })
    await gate.started
    const reader = new LocalExecutor({ store })
    expect((await reader.status('live-1')).status).toBe('running')
    await expect(reader.wait('live-1', { timeoutMs: 20 })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    })
    const waiting = reader.wait('live-1')
    const following = collect(reader.events('live-1', { follow: true }))
    gate.release()
    expect(await waiting).toEqual({ runId: 'live-1', status: 'completed', result: 'released' })
    expect((await following).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    await owner.close()
  })

  it('resubmitting an id the store holds: the same request is not run again; another is a conflict', async () => {
    const store = new MemoryRunStore()
    let runs = 0
    const counted = defineAction(
      { name: 'counted', params: z.object({ n: z.number() }) },
      ({ n }) => {
        runs++
        return n
      },
    )
    await new LocalExecutor({ store }).execute({
      action: counted,
      params: { n: 1 },
      runId: 'once-1',
    })
    const later = new LocalExecutor({ store })
    expect(await later.submit({ action: counted, params: { n: 1 }, runId: 'once-1' })).toBe(
      'once-1',
    )
    expect(await later.execute({ action: counted, params: { n: 1 }, runId: 'once-1' })).toBe(1)
    // The stored result is JSON; the request's action revives it for the caller of execute.
    const dated = defineAction({ name: 'dated', result: z.object({ at: z.date() }) }, () => ({
      at: new Date('2026-01-02T03:04:05.000Z'),
    }))
    await new LocalExecutor({ store }).execute({ action: dated, params: {}, runId: 'dated-1' })
    const revived = (await new LocalExecutor({ store }).execute({
      action: dated,
      params: {},
      runId: 'dated-1',
    })) as { at: unknown }
    expect(revived.at).toEqual(new Date('2026-01-02T03:04:05.000Z'))
    expect(runs).toBe(1)
    const conflict = await later
      .submit({ action: counted, params: { n: 2 }, runId: 'once-1' })
      .catch((error: unknown) => error)
    expect(PluginError.is(conflict) && conflict.code).toBe('RUN_CONFLICT')
  })

  it('a store that refuses the run fails the submit, and nothing runs', async () => {
    const store = new MemoryRunStore()
    await store.close()
    let ran = false
    const action = defineAction({ name: 'never' }, () => {
      ran = true
    })
    const executor = new LocalExecutor({ store })
    await expect(executor.submit({ action, params: {}, runId: 'refused-1' })).rejects.toMatchObject(
      {
        code: 'STORE_UNAVAILABLE',
      },
    )
    expect(ran).toBe(false)
  })
})
