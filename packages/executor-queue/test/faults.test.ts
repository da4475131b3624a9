import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type AnyActionDefinition,
  ExecutorRegistry,
  PluginDiscovery,
  type RunEvent,
  runPlugin,
} from '@synapse/core'
import type { TestPlugin } from '@synapse/core/testing'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { QueueExecutor, type QueueExecutorOptions } from '../src/index'
import { type RedisTestServer, startRedisTestServer } from '../src/testing/index'
import { createFaultPlugin } from './fault-plugin'
import { startWorkerProcess, type WorkerProcess } from './worker-processes'

let redis: RedisTestServer
let plugin: TestPlugin
let discovery: PluginDiscovery
const actions: Record<string, AnyActionDefinition> = {}
const cleanup: (() => Promise<unknown>)[] = []
let counter = 0

beforeAll(async () => {
  redis = await startRedisTestServer()
  plugin = createFaultPlugin()
  discovery = PluginDiscovery.fromPath(plugin.dir)
  for (const name of ['work', 'flaky', 'final', 'echo']) {
    actions[name] = await discovery.getAction(name)
  }
})

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => {})
})

afterAll(async () => {
  plugin?.remove()
  await redis?.stop()
})

/** A queue of its own per test, so one test's workers never take another's runs. */
function newQueue(label: string): string {
  return `${label}-${++counter}`
}

function marker(label: string): string {
  return join(plugin.dir, `${label}-${++counter}.log`)
}

function markerLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
}

function executorFor(queue: string, options: Partial<QueueExecutorOptions> = {}): QueueExecutor {
  const executor = new QueueExecutor({ redis: redis.url, queue, cancelGraceMs: 300, ...options })
  cleanup.push(() => executor.close())
  return executor
}

async function worker(options: Parameters<typeof startWorkerProcess>[0]): Promise<WorkerProcess> {
  const started = await startWorkerProcess(options)
  cleanup.push(() => started.stop(3000))
  return started
}

function request(action: string, params: Record<string, unknown>, runId?: string) {
  return {
    action: actions[action] as AnyActionDefinition,
    params,
    source: discovery.sourceOf(action),
    ...(runId !== undefined && { runId }),
  }
}

async function untilLogged(executor: QueueExecutor, runId: string, message: string) {
  for await (const event of executor.events(runId, { follow: true })) {
    if (event.type === 'log' && event.data['message'] === message) return
  }
  throw new Error(`run ${runId} ended without logging ${message}`)
}

async function eventsOf(executor: QueueExecutor, runId: string): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const event of executor.events(runId)) out.push(event)
  return out
}

describe('faults, against a real Redis and worker processes', () => {
  it('a worker SIGKILLed mid-run: another picks the run up and completes it; one result', async () => {
    const queue = newQueue('kill')
    const options = { redis: redis.url, queue, lockDurationMs: 2000, stalledIntervalMs: 1000 }
    // Both up before the submit: whichever takes the run is killed, the other must finish it.
    const pool = await Promise.all([worker(options), worker(options)])
    const executor = executorFor(queue)
    const file = marker('kill')
    const runId = await executor.submit(request('work', { marker: file, ms: 1500 }))
    await untilLogged(executor, runId, 'working')
    const holder = markerLines(file)[0]?.split(' ')[1]
    const first = pool.find((w) => String(w.child.pid) === holder)
    const second = pool.find((w) => w !== first)
    if (first === undefined || second === undefined) throw new Error(`no worker has pid ${holder}`)
    await first.kill()
    const outcome = await executor.wait(runId, { timeoutMs: 20_000 })
    expect(outcome.status).toBe('completed')
    // At least once: the action started twice (on each worker) and ended once, on the survivor.
    expect(outcome.result).toMatchObject({ pid: second.child.pid })
    expect(markerLines(file)).toEqual([
      `start ${first.child.pid}`,
      `start ${second.child.pid}`,
      `end ${second.child.pid}`,
    ])
    const events = await eventsOf(executor, runId)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1)
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'completed' })
  })

  it('a worker whose plugin differs refuses the run with PLUGIN_MISMATCH, and the queue goes on', async () => {
    const queue = newQueue('mismatch')
    await worker({ redis: redis.url, queue })
    const main = readFileSync(join(plugin.dir, 'main.ts'), 'utf8')
    const before = await executorFor(queue).execute(request('echo', { text: 'one' }))
    expect(before).toMatchObject({ text: 'one' })
    // The submitter now has other code than the worker loaded.
    plugin.write('main.ts', `${main}\n// a change the worker does not have\n`)
    try {
      const changed = executorFor(queue)
      const runId = await changed.submit(request('echo', { text: 'two' }))
      const outcome = await changed.wait(runId, { timeoutMs: 10_000 })
      expect(outcome.status).toBe('failed')
      expect(outcome.error?.code).toBe('PLUGIN_MISMATCH')
      expect(outcome.error?.message).toContain("Plugin 'faults' on this worker")
      expect(outcome.error?.details).toMatchObject({ plugin: 'faults', version: '1.2.3' })
      expect(outcome.error?.details['expected']).not.toBe(outcome.error?.details['actual'])
    } finally {
      plugin.write('main.ts', main)
    }
    const after = await executorFor(queue).execute(request('echo', { text: 'three' }))
    expect(after).toMatchObject({ text: 'three' })
  })

  it('params over the threshold travel by reference, not in the job', async () => {
    const queue = newQueue('big')
    await worker({ redis: redis.url, queue })
    const executor = executorFor(queue, { inlineParamsBytes: 1000 })
    const text = 'x'.repeat(20_000)
    const runId = await executor.submit(request('echo', { text }))
    const outcome = await executor.wait(runId, { timeoutMs: 10_000 })
    expect(outcome.status).toBe('completed')
    const result = outcome.result as { text: string; at: Date }
    expect(result.text).toBe(text)
    expect(result.at).toBeInstanceOf(Date)
    const connection = new Redis(redis.url)
    const raw = new Queue(queue, { connection, prefix: 'synapse:bull' })
    try {
      const job = await raw.getJob(`run-${runId}`)
      expect(job?.data.paramsRef).toBe(true)
      expect(job?.data.spec.params).toBeNull()
      expect(JSON.stringify(job?.data).length).toBeLessThan(2000)
    } finally {
      await raw.close()
      await connection.quit()
    }
  })

  it('submit above the queue depth fails with QUEUE_FULL and records nothing', async () => {
    const queue = newQueue('full')
    const executor = executorFor(queue, { maxQueueDepth: 2 })
    const file = marker('full')
    await executor.submit(request('work', { marker: file, ms: 10 }))
    await executor.submit(request('work', { marker: file, ms: 10 }))
    const refused = `full-${counter}`
    await expect(
      executor.submit(request('work', { marker: file, ms: 10 }, refused)),
    ).rejects.toMatchObject({ code: 'QUEUE_FULL', details: { depth: 2, maxQueueDepth: 2 } })
    await expect(executor.status(refused)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
  })

  it('a producer fails within its timeout when Redis is unreachable', async () => {
    const down = await startRedisTestServer()
    await down.stop()
    const executor = new QueueExecutor({ redis: down.url, redisTimeoutMs: 500 })
    const started = Date.now()
    await expect(executor.submit(request('echo', { text: 'x' }))).rejects.toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
      details: { timeoutMs: 500, operation: 'submit' },
    })
    expect(Date.now() - started).toBeLessThan(2000)
    await expect(executor.status('any')).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' })
    void executor.close()
  })

  it('job mode: a run over its timeout has its process killed and fails with RUN_TIMEOUT', async () => {
    const queue = newQueue('timeout')
    await worker({ redis: redis.url, queue, mode: 'job' })
    const executor = executorFor(queue, { timeoutMs: 1500 })
    const file = marker('timeout')
    const started = Date.now()
    const runId = await executor.submit(
      request('work', { marker: file, ms: 2500, ignoreSignal: true }),
    )
    const outcome = await executor.wait(runId, { timeoutMs: 10_000 })
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.code).toBe('RUN_TIMEOUT')
    expect(outcome.error?.details).toMatchObject({ timeoutMs: 1500 })
    expect(Date.now() - started).toBeLessThan(2400)
    // Killed, not left to finish: the action never reaches its end.
    await new Promise((done) => setTimeout(done, 1500))
    expect(markerLines(file)).toHaveLength(1)
  })

  it('task mode: a run over its timeout is declared failed with RUN_TIMEOUT', async () => {
    const queue = newQueue('task-timeout')
    await worker({ redis: redis.url, queue, mode: 'task' })
    const executor = executorFor(queue, { timeoutMs: 300 })
    const runId = await executor.submit(request('work', { marker: marker('tt'), ms: 5000 }))
    const outcome = await executor.wait(runId, { timeoutMs: 5000 })
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.code).toBe('RUN_TIMEOUT')
    const events = await eventsOf(executor, runId)
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'failed' })
  })

  it('retries a failed run with backoff; a non-retryable error is not retried', async () => {
    const queue = newQueue('retry')
    await worker({ redis: redis.url, queue })
    const executor = executorFor(queue, {
      retry: { attempts: 3, backoff: { type: 'fixed', delayMs: 100 } },
    })
    const flaky = marker('flaky')
    const runId = await executor.submit(request('flaky', { marker: flaky }))
    const outcome = await executor.wait(runId, { timeoutMs: 10_000 })
    expect(outcome).toMatchObject({ status: 'completed', result: { attempts: 2 } })
    const events = await eventsOf(executor, runId)
    expect(events.filter((e) => e.type === 'status' && e.status === 'failed')).toHaveLength(0)
    expect(
      events.filter((e) => e.type === 'log' && e.event === 'attempt_failed').map((e) => e.type),
    ).toHaveLength(1)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))

    const final = marker('final')
    const failing = await executor.submit(request('final', { marker: final }))
    const failed = await executor.wait(failing, { timeoutMs: 10_000 })
    expect(failed.status).toBe('failed')
    expect(failed.error?.cause).toMatchObject({ code: 'BAD_CREDENTIALS' })
    await new Promise((done) => setTimeout(done, 300))
    expect(markerLines(final)).toHaveLength(1)
  })

  it('a worker refuses a job naming an unknown action, and the queue goes on', async () => {
    const queue = newQueue('unknown')
    await worker({ redis: redis.url, queue })
    const executor = executorFor(queue)
    // A job another producer (or an older version) wrote: the submitter's checks never saw it.
    const runId = `unknown-${counter}`
    await executor.store.createRun({ runId, action: 'nope', executor: 'task', params: {} })
    const connection = new Redis(redis.url)
    const raw = new Queue(queue, { connection, prefix: 'synapse:bull' })
    const good = await executor.submit(request('echo', { text: 'fine' }))
    const identity = (await raw.getJob(`run-${good}`))?.data.plugin
    await raw.add(
      'nope',
      {
        spec: { specVersion: 1, runId, plugin: { path: plugin.dir }, action: 'nope', params: {} },
        plugin: identity,
      },
      { jobId: `run-${runId}` },
    )
    await raw.close()
    await connection.quit()
    const outcome = await executor.wait(runId, { timeoutMs: 10_000 })
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.code).toBe('ACTION_NOT_FOUND')
    expect(outcome.error?.message).toContain('nope')
    expect((await executor.wait(good, { timeoutMs: 10_000 })).status).toBe('completed')
  })

  it('SIGTERM to a worker with a running run: it finishes the run, then exits 0', async () => {
    const queue = newQueue('sigterm')
    const running = await worker({ redis: redis.url, queue, closeTimeoutMs: 10_000 })
    const executor = executorFor(queue)
    const runId = await executor.submit(request('work', { marker: marker('term'), ms: 800 }))
    await untilLogged(executor, runId, 'working')
    const code = await running.stop()
    expect(code).toBe(0)
    expect((await executor.status(runId)).status).toBe('completed')
    expect(running.logs()).toContain('"message":"worker closed"')
  })

  it('SIGTERM past the shutdown timeout hands the run back: another worker completes it', async () => {
    const queue = newQueue('handback')
    const options = { redis: redis.url, queue, lockDurationMs: 2000, stalledIntervalMs: 1000 }
    const leaving = await worker({ ...options, closeTimeoutMs: 200 })
    const executor = executorFor(queue)
    const file = marker('handback')
    const runId = await executor.submit(request('work', { marker: file, ms: 2500 }))
    await untilLogged(executor, runId, 'working')
    const code = await leaving.stop()
    expect(code).toBe(0)
    await worker(options)
    const outcome = await executor.wait(runId, { timeoutMs: 20_000 })
    expect(outcome.status).toBe('completed')
    expect(markerLines(file).filter((line) => line.startsWith('start'))).toHaveLength(2)
  })

  it('runPlugin with mode task runs on the queue, the result revived', async () => {
    const queue = newQueue('run-plugin')
    await worker({ redis: redis.url, queue })
    const executors = new ExecutorRegistry().register('task', executorFor(queue))
    const result = (await runPlugin({
      plugin: plugin.dir,
      action: 'echo',
      params: { text: 'from code' },
      mode: 'task',
      executors,
    })) as { text: string; at: Date }
    expect(result.text).toBe('from code')
    expect(result.at).toBeInstanceOf(Date)
  })

  it('Redis killed and restarted mid-run (AOF): worker and producer reconnect, nothing lost', async () => {
    const queue = newQueue('restart')
    await worker({ redis: redis.url, queue })
    const executor = executorFor(queue)
    const runId = await executor.submit(request('work', { marker: marker('restart'), ms: 2000 }))
    await untilLogged(executor, runId, 'working')
    await new Promise((done) => setTimeout(done, 1100))
    await redis.restart()
    const outcome = await executor.wait(runId, { timeoutMs: 20_000 })
    expect(outcome.status).toBe('completed')
    const events = await eventsOf(executor, runId)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1)
    // The producer goes on submitting on its reconnected connection.
    expect(await executor.execute(request('echo', { text: 'after' }))).toMatchObject({
      text: 'after',
    })
  })
})
