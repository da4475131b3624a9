import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import {
  ActionNotFoundError,
  type BackendClient,
  CancelledError,
  defineAction,
  ExecutionError,
  ExecutorRegistry,
  executeViaSubmit,
  PluginEnvironment,
  PluginError,
  PluginRunError,
  RunConflictError,
  type RunEvent,
  RunNotFoundError,
  type RuntimeContext,
  runPlugin,
  ValidationError,
  WaitAbortedError,
  WaitTimeoutError,
} from '@synapse/core'
import { afterAll, describe, expect, it } from 'vitest'
import { LocalExecutor } from './local-executor'
import { createTestPlugin, z } from './test-support'

const tmp = mkdtempSync(join(tmpdir(), 'synapse-local-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const AddParams = z.object({ a: z.number(), b: z.number().default(1) })
const AddResult = z.object({ sum: z.number(), note: z.string().default('none') })

/** An action that counts its calls, so a test can tell whether it ran. */
function counted() {
  const calls = { count: 0 }
  const action = defineAction(
    { name: 'add', params: AddParams, result: AddResult },
    async ({ a, b }) => {
      calls.count++
      return { sum: a + b }
    },
  )
  return { action, calls }
}

/**
 * An action that stops halfway and waits for the test: it reports progress and a log line, then
 * waits on `release` (or on its signal when `cooperative`).
 */
function gated(options: { cooperative?: boolean } = {}) {
  const started = Promise.withResolvers<RuntimeContext>()
  const release = Promise.withResolvers<unknown>()
  let finishedLate = false
  const action = defineAction({ name: 'gated' }, async (_params, ctx) => {
    ctx.setProgress(1, 4, 'work')
    ctx.logMessage('halfway')
    started.resolve(ctx)
    if (options.cooperative) {
      await new Promise((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))
        release.promise.then(resolve)
      })
    } else {
      await release.promise
    }
    finishedLate = true
    return { done: true }
  })
  return {
    action,
    started: started.promise,
    release: (value?: unknown) => release.resolve(value),
    finishedLate: () => finishedLate,
  }
}

async function failure(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (error) {
    expect(PluginError.is(error)).toBe(true)
    return error as PluginError
  }
  throw new Error('expected a rejection')
}

async function allEvents(executor: LocalExecutor, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = []
  for await (const event of executor.events(runId)) events.push(event)
  return events
}

describe('LocalExecutor.execute', () => {
  it('returns the validated result (defaults applied), on both paths', async () => {
    const { action } = counted()
    const executor = new LocalExecutor()
    // Unobserved fast path (no id, no listener, no sinks) and the tracked path agree.
    expect(await executor.execute({ action, params: { a: 2 } })).toEqual({ sum: 3, note: 'none' })
    expect(await executor.execute({ action, params: { a: 2 }, runId: 'tracked-1' })).toEqual({
      sum: 3,
      note: 'none',
    })
    expect(await executor.execute({ action, params: { a: 2 } }, { onEvent: () => {} })).toEqual({
      sum: 3,
      note: 'none',
    })
  })

  it('invalid params: ValidationError with every issue, and nothing ran or was recorded', async () => {
    const { action, calls } = counted()
    const executor = new LocalExecutor()
    for (const runId of [undefined, 'bad-params-run']) {
      const error = await failure(
        executor.execute({ action, params: { a: 'x', b: 'y' }, ...(runId && { runId }) }),
      )
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.code).toBe('INVALID_PARAMS')
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([['a'], ['b']])
    }
    const submitted = await failure(executor.submit({ action, params: {}, runId: 'bad-2' }))
    expect(submitted).toBeInstanceOf(ValidationError)
    expect(calls.count).toBe(0)
    await expect(executor.status('bad-params-run')).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(executor.status('bad-2')).rejects.toBeInstanceOf(RunNotFoundError)
  })

  it('a failing action: ExecutionError with the cause, on both paths alike', async () => {
    const cause = new RangeError('index 7 out of range')
    const action = defineAction({ name: 'broken' }, async () => {
      throw cause
    })
    const executor = new LocalExecutor()
    const fast = await failure(executor.execute({ action, params: {} }))
    const tracked = await failure(executor.execute({ action, params: {}, runId: 'broken-1' }))
    for (const error of [fast, tracked]) {
      expect(error).toBeInstanceOf(ExecutionError)
      expect(error.code).toBe('EXECUTION_FAILED')
      expect(error.message).toBe("Action 'broken' failed: index 7 out of range")
      expect(error.cause).toBe(cause)
    }
  })

  it('strict result validation fails the run on both paths alike', async () => {
    const action = defineAction(
      { name: 'strict', result: AddResult, resultValidation: 'strict' },
      () => ({ sum: 'not a number' }) as never,
    )
    const executor = new LocalExecutor()
    for (const runId of [undefined, 'strict-1']) {
      const error = await failure(executor.execute({ action, params: {}, ...(runId && { runId }) }))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.code).toBe('INVALID_RESULT')
    }
  })

  it('warn result validation logs a warning and returns the result as the action gave it', async () => {
    const action = defineAction({ name: 'warn', result: AddResult }, () => ({ sum: 'x' }) as never)
    const events: RunEvent[] = []
    const executor = new LocalExecutor()
    expect(await executor.execute({ action, params: {} })).toEqual({ sum: 'x' })
    expect(
      await executor.execute({ action, params: {} }, { onEvent: (e) => events.push(e) }),
    ).toEqual({
      sum: 'x',
    })
    expect(events.filter((e) => e.type === 'log' && e.level === 'warning')).toHaveLength(1)
  })

  it('streams every event to onEvent, in order, ending with result and completed', async () => {
    const action = defineAction({ name: 'steps' }, async (_p, ctx) => {
      ctx.setProgress(0, 2, 'work')
      ctx.setProgress(2, 2, 'work')
      ctx.setMetrics({ loss: 0.1 }, 'work')
      ctx.log('checkpoint', { n: 1 }, '/tmp/ckpt')
      return 'ok'
    })
    const events: RunEvent[] = []
    await new LocalExecutor().execute({ action, params: {} }, { onEvent: (e) => events.push(e) })
    expect(events.map((e) => (e.type === 'status' ? e.status : e.type))).toEqual([
      'pending',
      'running',
      'progress',
      'progress',
      'metrics',
      'log',
      'result',
      'completed',
    ])
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(new Set(events.map((e) => e.runId)).size).toBe(1)
  })

  it('gives the action its env (executor env, request env over it), job id, client and checkpoint', async () => {
    const client: BackendClient = { request: async () => ({}) as never }
    let seen: Record<string, unknown> = {}
    const action = defineAction({ name: 'ctx' }, (_p, ctx) => {
      seen = {
        a: ctx.env.getStr('A'),
        b: ctx.env.getStr('B'),
        jobId: ctx.jobId,
        client: ctx.client,
        checkpoint: ctx.checkpoint,
      }
    })
    const executor = new LocalExecutor({ env: { A: 'exec', B: 'exec' }, client })
    const checkpoint = { category: 'base', path: '/models/base.pt' }
    for (const runId of [undefined, 'ctx-run']) {
      await executor.execute({
        action,
        params: {},
        env: new PluginEnvironment({ B: 'request' }),
        checkpoint,
        ...(runId && { runId }),
      })
      expect(seen).toMatchObject({ a: 'exec', b: 'request', client, checkpoint })
      if (runId) expect(seen['jobId']).toBe(runId)
      else expect(seen['jobId']).toMatch(/^local-/)
    }
  })

  it('logLevel drops log events below it', async () => {
    const action = defineAction({ name: 'levels' }, (_p, ctx) => {
      ctx.logDevEvent('debug detail')
      ctx.logMessage('info line')
      ctx.logMessage('warning line', 'warning')
    })
    const events: RunEvent[] = []
    await new LocalExecutor({ logLevel: 'warning' }).execute(
      { action, params: {} },
      { onEvent: (e) => events.push(e) },
    )
    const logs = events.filter((e) => e.type === 'log')
    expect(logs.map((e) => e.data['message'])).toEqual(['warning line'])
  })
})

describe('LocalExecutor.submit / status / events / wait', () => {
  it('observes a run while it runs: pending → running, progress and logs, then completed', async () => {
    const gate = gated()
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action: gate.action, params: {} })
    const followed: RunEvent[] = []
    const following = (async () => {
      for await (const event of executor.events(runId, { follow: true })) followed.push(event)
    })()
    await gate.started

    const running = await executor.status(runId)
    expect(running).toMatchObject({ runId, action: 'gated', status: 'running' })
    expect(running.startedAt).toBeDefined()
    expect(running.finishedAt).toBeUndefined()
    const soFar = await allEvents(executor, runId)
    expect(soFar.map((e) => e.type)).toEqual(['status', 'status', 'progress', 'log'])
    expect(soFar[2]).toMatchObject({ type: 'progress', category: 'work', percent: 25 })
    expect(soFar[3]).toMatchObject({ type: 'log', data: { message: 'halfway' } })

    gate.release()
    const outcome = await executor.wait(runId)
    expect(outcome).toEqual({ runId, status: 'completed', result: { done: true } })
    await following
    expect(followed.map((e) => (e.type === 'status' ? e.status : e.type))).toEqual([
      'pending',
      'running',
      'progress',
      'log',
      'result',
      'completed',
    ])
    const done = await executor.status(runId)
    expect(done.status).toBe('completed')
    expect(Date.parse(done.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.createdAt))
    expect(done.error).toBeUndefined()
    // Resuming a stream from a seq; following a finished run ends at its last event.
    expect(await collectSeqs(executor.events(runId, { afterSeq: 4 }))).toEqual([5, 6])
    expect(await collectSeqs(executor.events(runId, { follow: true }))).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('wait with timeoutMs gives WaitTimeoutError and the run goes on', async () => {
    const gate = gated()
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action: gate.action, params: {}, runId: 'slow-1' })
    expect(runId).toBe('slow-1')
    await gate.started
    const error = await failure(executor.wait(runId, { timeoutMs: 5 }))
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.details).toEqual({ runId, timeoutMs: 5 })
    expect((await executor.status(runId)).status).toBe('running')
    gate.release()
    expect((await executor.wait(runId, { timeoutMs: 60_000 })).status).toBe('completed')
  })

  it('wait with an aborted signal gives up without touching the run', async () => {
    const gate = gated()
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action: gate.action, params: {} })
    const controller = new AbortController()
    const waiting = executor.wait(runId, { signal: controller.signal })
    controller.abort('user hit ctrl-c')
    const error = await failure(waiting)
    // Its own code: the waiter gave up, the run was not cancelled.
    expect(error).toBeInstanceOf(WaitAbortedError)
    expect(error.code).toBe('WAIT_ABORTED')
    expect(error.cause).toBe('user hit ctrl-c')
    expect((await executor.status(runId)).status).toBe('running')
    gate.release()
    expect((await executor.wait(runId)).status).toBe('completed')
  })

  it('submit with the same runId starts one run', async () => {
    const gate = gated()
    let runs = 0
    const action = defineAction({ name: 'once' }, async (p, ctx) => {
      runs++
      return gate.action.run(p, ctx)
    })
    const executor = new LocalExecutor()
    const first = await executor.submit({ action, params: {}, runId: 'idem-1' })
    const second = await executor.submit({ action, params: {}, runId: 'idem-1' })
    expect([first, second]).toEqual(['idem-1', 'idem-1'])
    gate.release()
    const third = await executor.execute({ action, params: {}, runId: 'idem-1' })
    expect(third).toEqual({ done: true })
    expect(runs).toBe(1)
  })

  it('execute with the id of an existing run still streams its events to onEvent', async () => {
    const gate = gated()
    const executor = new LocalExecutor()
    await executor.submit({ action: gate.action, params: {}, runId: 'shared-1' })
    await gate.started
    const events: RunEvent[] = []
    const result = executor.execute(
      { action: gate.action, params: {}, runId: 'shared-1' },
      { onEvent: (e) => events.push(e) },
    )
    gate.release()
    await result
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it.each(['', '../../etc', 'has space', 'x'.repeat(200)])(
    'rejects the run id %j',
    async (runId) => {
      const { action, calls } = counted()
      const executor = new LocalExecutor()
      const error = await failure(executor.submit({ action, params: { a: 1 }, runId }))
      expect(error).toBeInstanceOf(PluginRunError)
      expect(error.code).toBe('INVALID_RUN_ID')
      expect(calls.count).toBe(0)
    },
  )

  it('unknown ids: status, events and wait give RunNotFoundError', async () => {
    const executor = new LocalExecutor()
    await expect(executor.status('nope')).rejects.toBeInstanceOf(RunNotFoundError)
    // wait is a promise even for an unknown id: no synchronous throw.
    const waiting = executor.wait('nope')
    await expect(waiting).rejects.toBeInstanceOf(RunNotFoundError)
    // events fails on its first iteration, as a remote executor (which needs I/O to know) must.
    const events = executor.events('nope')
    await expect(collectSeqs(events)).rejects.toBeInstanceOf(RunNotFoundError)
  })

  it('execute with timeoutMs or a signal that never fire returns the result', async () => {
    const { action } = counted()
    const executor = new LocalExecutor()
    expect(await executor.execute({ action, params: { a: 1 } }, { timeoutMs: 60_000 })).toEqual({
      sum: 2,
      note: 'none',
    })
    const controller = new AbortController()
    expect(
      await executor.execute({ action, params: { a: 2 } }, { signal: controller.signal }),
    ).toEqual({
      sum: 3,
      note: 'none',
    })
  })

  it('a failed run: status failed, error event with the serialised error and its cause', async () => {
    const action = defineAction({ name: 'fails' }, async () => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' })
    })
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action, params: {} })
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toBeInstanceOf(ExecutionError)
    expect((outcome.error?.cause as Error | undefined)?.message).toBe('disk full')
    const events = await allEvents(executor, runId)
    const errorEvent = events.find((e) => e.type === 'error')
    expect(errorEvent).toMatchObject({
      type: 'error',
      error: {
        name: 'ExecutionError',
        code: 'EXECUTION_FAILED',
        message: "Action 'fails' failed: disk full",
        cause: { name: 'Error', code: 'ENOSPC', message: 'disk full' },
      },
    })
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'failed' })
    const info = await executor.status(runId)
    expect(info.status).toBe('failed')
    expect(info.error).toMatchObject({ name: 'ExecutionError', code: 'EXECUTION_FAILED' })
    // The serialised error revives as the same class.
    expect(PluginError.fromJSON(info.error!)).toBeInstanceOf(ExecutionError)
  })

  it('keeps at most retainRuns finished runs', async () => {
    const { action } = counted()
    const executor = new LocalExecutor({ retainRuns: 2 })
    for (const id of ['r1', 'r2', 'r3'])
      await executor.execute({ action, params: { a: 1 }, runId: id })
    await expect(executor.status('r1')).rejects.toBeInstanceOf(RunNotFoundError)
    expect((await executor.status('r2')).status).toBe('completed')
    expect((await executor.status('r3')).status).toBe('completed')
  })
})

describe('LocalExecutor.cancel', () => {
  it('a cooperative action stops: outcome cancelled, cancel() says cancelled', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor({ cancelGraceMs: 60_000 })
    const runId = await executor.submit({ action: gate.action, params: {} })
    const ctx = await gate.started
    expect(await executor.cancel(runId)).toBe('cancelled')
    expect(ctx.signal.aborted).toBe(true)
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('cancelled')
    expect(outcome.error).toBeInstanceOf(CancelledError)
    expect(outcome.error?.code).toBe('RUN_CANCELLED')
    expect(gate.finishedLate()).toBe(false)
    const events = await allEvents(executor, runId)
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'cancelled' })
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      error: { code: 'RUN_CANCELLED' },
    })
    expect(events.some((e) => e.type === 'result')).toBe(false)
  })

  it('an action that ignores its signal is declared cancelled after the grace period; its late result is dropped', async () => {
    const gate = gated()
    const executor = new LocalExecutor({ cancelGraceMs: 10 })
    const runId = await executor.submit({ action: gate.action, params: {} })
    await gate.started
    expect(await executor.cancel(runId)).toBe('cancelled')
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('cancelled')
    expect(outcome.error?.message).toContain('did not stop within 10 ms')
    const before = await allEvents(executor, runId)

    gate.release()
    // Let the action finish after all: nothing about the run changes.
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    expect(gate.finishedLate()).toBe(true)
    expect((await executor.status(runId)).status).toBe('cancelled')
    expect(await allEvents(executor, runId)).toEqual(before)
    expect(before.some((e) => e.type === 'result')).toBe(false)
    expect((await executor.wait(runId)).status).toBe('cancelled')
  })

  it('execute of a cancelled run rejects with CancelledError', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor()
    const running = executor.execute({ action: gate.action, params: {}, runId: 'exec-cancel' })
    await gate.started
    await executor.cancel('exec-cancel')
    const error = await failure(running)
    expect(error).toBeInstanceOf(CancelledError)
  })

  it('unknown id: not-found; finished run: already-terminal', async () => {
    const { action } = counted()
    const executor = new LocalExecutor()
    expect(await executor.cancel('nope')).toBe('not-found')
    await executor.execute({ action, params: { a: 1 }, runId: 'finished-1' })
    expect(await executor.cancel('finished-1')).toBe('already-terminal')
    expect((await executor.status('finished-1')).status).toBe('completed')
  })
})

describe('LocalExecutor secrets', () => {
  it('env secrets never appear in the events of a run, nor in its status', async () => {
    const token = 'tok-live-0123456789'
    const action = defineAction({ name: 'leaky' }, async (_p, ctx) => {
      const value = ctx.env.requireStr('SYNAPSE_ACCESS_TOKEN')
      ctx.logMessage(`calling with ${value}`)
      ctx.log('request', { headers: { authorization: `Bearer ${value}` } })
      ctx.setMetrics({ used: value }, 'auth')
      throw new Error(`401 for token ${value}`)
    })
    const executor = new LocalExecutor({ env: { SYNAPSE_ACCESS_TOKEN: token } })
    const events: RunEvent[] = []
    await failure(
      executor.execute(
        { action, params: {}, runId: 'leaky-1' },
        { onEvent: (e) => events.push(e) },
      ),
    )
    expect(events.length).toBeGreaterThan(4)
    expect(JSON.stringify(events)).not.toContain(token)
    expect(JSON.stringify(await allEvents(executor, 'leaky-1'))).not.toContain(token)
    expect(JSON.stringify(await executor.status('leaky-1'))).not.toContain(token)
    expect(JSON.stringify(events)).toContain('[redacted]')
  })

  it('a request env secret is redacted too, and so is a secret in the result event', async () => {
    const action = defineAction({ name: 'echo' }, (_p, ctx) => ({
      echoed: ctx.env.getStr('DB_PASSWORD'),
    }))
    const events: RunEvent[] = []
    const result = await new LocalExecutor().execute(
      { action, params: {}, env: new PluginEnvironment({ DB_PASSWORD: 'hunter2-hunter2' }) },
      { onEvent: (e) => events.push(e) },
    )
    // The caller gets the real value; only what is logged is masked.
    expect(result).toEqual({ echoed: 'hunter2-hunter2' })
    expect(JSON.stringify(events)).not.toContain('hunter2-hunter2')
  })
})

describe('LocalExecutor sinks', () => {
  it('the sinks option writes each run to its own JSON lines file', async () => {
    const files: string[] = []
    const executor = new LocalExecutor({
      sinks: (runId) => {
        const path = join(tmp, 'runs', runId, 'events.jsonl')
        files.push(path)
        mkdirSync(dirname(path), { recursive: true })
        return [{ write: (event: RunEvent) => appendFileSync(path, `${JSON.stringify(event)}\n`) }]
      },
    })
    const action = defineAction({ name: 'logs' }, (_p, ctx) => {
      ctx.setProgress(1, 1)
      ctx.logMessage('hi')
      return 42
    })
    const streamed: RunEvent[] = []
    // No runId, no onEvent: sinks alone make the run observed, so it takes the tracked path.
    expect(await executor.execute({ action, params: {} })).toBe(42)
    expect(
      await executor.execute(
        { action, params: {}, runId: 'file-run' },
        { onEvent: (e) => streamed.push(e) },
      ),
    ).toBe(42)
    expect(files).toHaveLength(2)
    expect(files[1]).toBe(join(tmp, 'runs', 'file-run', 'events.jsonl'))
    for (const file of files) {
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as RunEvent)
      expect(lines.map((e) => (e.type === 'status' ? e.status : e.type))).toEqual([
        'pending',
        'running',
        'progress',
        'log',
        'result',
        'completed',
      ])
    }
    const fileEvents = readFileSync(files[1]!, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(fileEvents).toEqual(streamed)
  })
})

describe('executeViaSubmit over LocalExecutor', () => {
  it('streams events, returns the result, and throws the run error', async () => {
    const executor = new LocalExecutor()
    const events: RunEvent[] = []
    const ok = defineAction({ name: 'ok' }, (_p, ctx) => {
      ctx.logMessage('working')
      return 'fine'
    })
    expect(
      await executeViaSubmit(
        executor,
        { action: ok, params: {} },
        { onEvent: (e) => events.push(e) },
      ),
    ).toBe('fine')
    expect(events.map((e) => e.type)).toEqual(['status', 'status', 'log', 'result', 'status'])
    const bad = defineAction({ name: 'bad' }, () => {
      throw new Error('nope')
    })
    const error = await failure(executeViaSubmit(executor, { action: bad, params: {} }))
    expect(error).toBeInstanceOf(ExecutionError)
    expect((error.cause as Error).message).toBe('nope')
  })
})

describe('runPlugin', () => {
  it('runs a real plugin through the executor registry', async () => {
    const plugin = createTestPlugin({
      'config.yaml': [
        'name: Sum',
        'code: sum',
        'actions:',
        '  sum:',
        '    entrypoint: main:sum',
        '  count:',
        '    entrypoint: main.CountAction',
        '',
      ].join('\n'),
      'main.ts': [
        "import { BaseAction, defineAction } from '@synapse/core'",
        "import { z } from 'zod'",
        'export let sideEffects = 0',
        'export const sum = defineAction(',
        '  { params: z.object({ values: z.array(z.number()).min(1) }) },',
        '  ({ values }, ctx) => {',
        '    sideEffects++',
        "    ctx.logMessage('summing')",
        '    return { total: values.reduce((a, b) => a + b, 0), runs: sideEffects }',
        '  },',
        ')',
        'export class CountAction extends BaseAction.with({ params: z.object({ text: z.string() }) }) {',
        '  execute() {',
        '    return this.params.text.length',
        '  }',
        '}',
        '',
      ].join('\n'),
    })
    try {
      const executors = new ExecutorRegistry().register('local', new LocalExecutor())
      const events: RunEvent[] = []
      const result = await runPlugin({
        plugin: plugin.dir,
        action: 'sum',
        params: { values: [1, 2, 3] },
        executors,
        runId: 'plugin-run-1',
        onEvent: (e) => events.push(e),
      })
      expect(result).toEqual({ total: 6, runs: 1 })
      expect(events.every((e) => e.runId === 'plugin-run-1')).toBe(true)
      expect(events.some((e) => e.type === 'log' && e.data['message'] === 'summing')).toBe(true)
      const info = await executors.get('local').status('plugin-run-1')
      expect(info).toMatchObject({ action: 'sum', status: 'completed' })

      expect(
        await runPlugin({
          plugin: plugin.dir,
          action: 'count',
          params: { text: 'abcd' },
          executors,
        }),
      ).toBe(4)

      // Bad params: ValidationError before anything runs (the side-effect counter does not move).
      const invalid = await failure(
        runPlugin({ plugin: plugin.dir, action: 'sum', params: { values: [] }, executors }),
      )
      expect(invalid).toBeInstanceOf(ValidationError)
      expect((invalid as ValidationError).issues[0]?.path).toEqual(['values'])
      expect(
        await runPlugin({ plugin: plugin.dir, action: 'sum', params: { values: [5] }, executors }),
      ).toEqual({
        total: 5,
        runs: 2,
      })

      const unknown = await failure(runPlugin({ plugin: plugin.dir, action: 'nope', executors }))
      expect(unknown).toBeInstanceOf(ActionNotFoundError)
      expect((unknown as ActionNotFoundError).available).toEqual(['sum', 'count'])

      const noMode = await failure(
        runPlugin({
          plugin: plugin.dir,
          action: 'sum',
          params: { values: [1] },
          mode: 'job',
          executors,
        }),
      )
      expect(noMode.code).toBe('UNKNOWN_MODE')
    } finally {
      plugin.remove()
    }
  })
})

async function collectSeqs(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = []
  for await (const event of iterable) seqs.push(event.seq)
  return seqs
}

describe('LocalExecutor.execute with a signal', () => {
  it('aborting the caller signal cancels the run it started', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor()
    const controller = new AbortController()
    const running = executor.execute(
      { action: gate.action, params: {} },
      { signal: controller.signal },
    )
    await gate.started
    controller.abort()
    await expect(running).rejects.toMatchObject({ code: 'RUN_CANCELLED' })
  })
})

describe('LocalExecutor resubmits', () => {
  it('the same id with another action or other params is a RunConflictError; key order does not matter', async () => {
    const { action } = counted()
    const other = defineAction({ name: 'other' }, () => 1)
    const executor = new LocalExecutor()
    await executor.submit({ action, params: { a: 1, b: 2 }, runId: 'conflict-1' })
    expect(await executor.submit({ action, params: { b: 2, a: 1 }, runId: 'conflict-1' })).toBe(
      'conflict-1',
    )
    for (const request of [
      { action, params: { a: 1, b: 3 } },
      { action: other, params: { a: 1, b: 2 } },
    ]) {
      const error = await failure(executor.submit({ ...request, runId: 'conflict-1' }))
      expect(error).toBeInstanceOf(RunConflictError)
      expect(error.code).toBe('RUN_CONFLICT')
      expect(error.details['runId']).toBe('conflict-1')
    }
    expect(await executor.wait('conflict-1')).toMatchObject({ result: { sum: 3 } })
  })

  it('resubmitting under the id the executor chose is idempotent too', async () => {
    const { action, calls } = counted()
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action, params: { a: 1 } })
    expect(await executor.submit({ action, params: { a: 1 }, runId })).toBe(runId)
    await executor.wait(runId)
    expect(calls.count).toBe(1)
    await expect(executor.submit({ action, params: { a: 2 }, runId })).rejects.toBeInstanceOf(
      RunConflictError,
    )
  })
})

describe('LocalExecutor results as JSON', () => {
  const Dated = z.object({ at: z.date(), big: z.bigint() })
  const dated = defineAction({ name: 'dated', result: Dated }, () => ({
    at: new Date('2026-05-01T10:00:00.000Z'),
    big: 12345678901234567890n,
  }))

  it('the result event carries JSON; wait and execute return the live result', async () => {
    const executor = new LocalExecutor()
    const events: RunEvent[] = []
    const result = (await executor.execute(
      { action: dated, params: {}, runId: 'dated-1' },
      { onEvent: (e) => events.push(e) },
    )) as z.output<typeof Dated>
    expect(result.at).toBeInstanceOf(Date)
    expect(result.big).toBe(12345678901234567890n)
    const resultEvent = events.find((e) => e.type === 'result')
    expect(resultEvent).toMatchObject({
      result: { at: '2026-05-01T10:00:00.000Z', big: '12345678901234567890' },
    })
    expect(JSON.parse(JSON.stringify(events))).toEqual(events)
    expect((await executor.wait('dated-1')).result).toBe(result)
  })

  it('a result with no JSON form fails the run, naming the path', async () => {
    class Weights {}
    const action = defineAction({ name: 'weights' }, () => ({
      ok: true,
      model: { w: new Weights() },
    }))
    const executor = new LocalExecutor()
    const runId = await executor.submit({ action, params: {} })
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.code).toBe('RESULT_NOT_ENCODABLE')
    expect(outcome.error?.message).toContain('model.w')
    const events = await allEvents(executor, runId)
    expect(events.some((e) => e.type === 'result')).toBe(false)
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'failed' })
    expect((await executor.status(runId)).error?.code).toBe('RESULT_NOT_ENCODABLE')
  })
})

describe('LocalExecutor.close', () => {
  it('cancels live runs, resolves after their last events, then refuses new runs', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor({ cancelGraceMs: 50 })
    const runId = await executor.submit({ action: gate.action, params: {} })
    await gate.started
    const followed: RunEvent[] = []
    const following = (async () => {
      for await (const event of executor.events(runId, { follow: true })) followed.push(event)
    })()
    await executor.close()
    expect((await executor.status(runId)).status).toBe('cancelled')
    await following
    expect(followed.at(-1)).toMatchObject({ type: 'status', status: 'cancelled' })
    const { action } = counted()
    for (const attempt of [
      executor.submit({ action, params: { a: 1 } }),
      executor.execute({ action, params: { a: 1 } }),
    ]) {
      const error = await failure(attempt)
      expect(error.code).toBe('EXECUTOR_CLOSED')
    }
    await executor.close()
  })
})

describe('LocalExecutor.execute with an aborted signal', () => {
  it('never calls the action and records the run as cancelled', async () => {
    const { action, calls } = counted()
    const executor = new LocalExecutor()
    const controller = new AbortController()
    controller.abort()
    const error = await failure(
      executor.execute(
        { action, params: { a: 1 }, runId: 'pre-aborted' },
        { signal: controller.signal },
      ),
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(calls.count).toBe(0)
    expect((await executor.status('pre-aborted')).status).toBe('cancelled')
  })
})

describe('executeViaSubmit with a signal', () => {
  it('aborting cancels the run: CancelledError, status cancelled, events to the end', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor()
    const controller = new AbortController()
    const events: RunEvent[] = []
    const running = executeViaSubmit(
      executor,
      { action: gate.action, params: {}, runId: 'via-abort' },
      { signal: controller.signal, onEvent: (e) => events.push(e) },
    )
    await gate.started
    controller.abort()
    const error = await failure(running)
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.code).toBe('RUN_CANCELLED')
    expect((await executor.status('via-abort')).status).toBe('cancelled')
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'cancelled' })
  })

  it('an already aborted signal cancels the run it submits', async () => {
    const gate = gated({ cooperative: true })
    const executor = new LocalExecutor()
    const controller = new AbortController()
    controller.abort()
    const error = await failure(
      executeViaSubmit(
        executor,
        { action: gate.action, params: {}, runId: 'via-pre' },
        {
          signal: controller.signal,
        },
      ),
    )
    expect(error.code).toBe('RUN_CANCELLED')
    expect((await executor.status('via-pre')).status).toBe('cancelled')
  })

  it('a failed outcome with no error still throws an error, never undefined', async () => {
    const executor = new LocalExecutor()
    const bare = {
      ...executor,
      name: 'bare',
      submit: async () => 'bare-1',
      events: () => executor.events('bare-1'),
      wait: async () => ({ runId: 'bare-1', status: 'failed' as const }),
      cancel: async () => 'not-found' as const,
      status: () => executor.status('bare-1'),
      execute: () => Promise.resolve(undefined),
      close: () => executor.close(),
    }
    const { action } = counted()
    const error = await failure(executeViaSubmit(bare, { action, params: { a: 1 } }))
    expect(error).toBeInstanceOf(ExecutionError)
  })
})
