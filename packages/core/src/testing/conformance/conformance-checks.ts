import { existsSync, readFileSync } from 'node:fs'
import { reviveResult } from '../../codec/revive-result'
import { PluginEnvironment } from '../../context/plugin-environment'
import { isTerminalStatus } from '../../enums'
import {
  CancelledError,
  ExecutionError,
  RunConflictError,
  RunNotFoundError,
  ValidationError,
  WaitAbortedError,
  WaitTimeoutError,
} from '../../errors/errors'
import { PluginError } from '../../errors/plugin-error'
import type { RunOutcome } from '../../executor/executor-protocol'
import type { RunEvent } from '../../logging/run-event'
import { RunEventSchema } from '../../logging/run-event-schema'
import { assert, collect, label, rejects, sleep, within } from './conformance-assert'
import type { ConformanceAction } from './conformance-fixture'
import type { ConformanceHarness } from './conformance-harness'

/**
 * One rule of the executor protocol, checked against an executor. `run` throws (an
 * `AssertionError`) when the executor breaks the rule.
 */
export interface ConformanceCheck {
  /** Stable kebab-case id, for selecting a check and for reports. */
  readonly id: string
  readonly title: string
  run(harness: ConformanceHarness): Promise<void>
}

// Every wait of a check is bounded, so a broken executor fails the check instead of hanging it.
const WAIT_MS = 5000

async function submit(
  h: ConformanceHarness,
  action: ConformanceAction,
  params: Record<string, unknown> = {},
  runId?: string,
): Promise<string> {
  return h.executor.submit(h.request(action, params, runId === undefined ? {} : { runId }))
}

async function waitFor(
  h: ConformanceHarness,
  runId: string,
  timeoutMs = WAIT_MS,
): Promise<RunOutcome> {
  try {
    return await within(h.executor.wait(runId, { timeoutMs }), timeoutMs + 500, `wait('${runId}')`)
  } catch (error) {
    if (PluginError.is(error) && error.code === 'WAIT_TIMEOUT') {
      assert.fail(`run '${runId}' did not end within ${timeoutMs} ms`)
    }
    throw error
  }
}

function eventsOf(h: ConformanceHarness, runId: string): Promise<RunEvent[]> {
  return collect(h.executor.events(runId), `events('${runId}')`)
}

/** Follows a run until it logs `message`: the action is running, not queued. */
async function untilLogged(h: ConformanceHarness, runId: string, message: string): Promise<void> {
  const stop = new AbortController()
  try {
    await within(
      (async () => {
        for await (const event of h.executor.events(runId, { follow: true, signal: stop.signal })) {
          if (event.type === 'log' && event.data['message'] === message) return
        }
        assert.fail(`run '${runId}' ended without logging '${message}'`)
      })(),
      WAIT_MS,
      `run '${runId}' logging '${message}'`,
    )
  } finally {
    stop.abort()
  }
}

function logs(events: RunEvent[], level?: string) {
  return events.filter(
    (e): e is Extract<RunEvent, { type: 'log' }> =>
      e.type === 'log' && (level === undefined || e.level === level),
  )
}

/** The chain of an error and its causes, as what survives a boundary: name, code, details. */
function chainOf(error: unknown): { name: string; code?: string; message: string }[] {
  const chain: { name: string; code?: string; message: string }[] = []
  let current: unknown = error
  while (current instanceof Error || PluginError.is(current)) {
    const e = current as Error & { code?: unknown }
    chain.push({
      name: e.name,
      message: e.message,
      ...(typeof e.code === 'string' && { code: e.code }),
    })
    current = e.cause
  }
  return chain
}

/** A run ended cancelled, everywhere it is reported. */
async function assertCancelled(h: ConformanceHarness, runId: string, outcome: RunOutcome) {
  assert.equal(outcome.status, 'cancelled', `run '${runId}' ended ${outcome.status}`)
  assert.ok(outcome.error instanceof CancelledError, 'a cancelled outcome carries a CancelledError')
  assert.equal(outcome.error.code, 'RUN_CANCELLED')
  const events = await eventsOf(h, runId)
  assert.deepEqual(events.at(-1) && label(events.at(-1)!), 'cancelled', 'last event: cancelled')
  assert.ok(!events.some((e) => e.type === 'result'), 'a cancelled run has no result event')
  const error = events.find((e) => e.type === 'error')
  assert.equal(error?.type === 'error' && error.error.code, 'RUN_CANCELLED', 'error event code')
  assert.equal((await h.executor.status(runId)).status, 'cancelled', 'status after cancel')
}

const paramsValidatedFirst: ConformanceCheck = {
  id: 'params-validated-first',
  title: 'invalid params: ValidationError (INVALID_PARAMS) before anything exists',
  async run(h) {
    const runId = h.runId('invalid')
    const marker = h.file('invalid')
    const bad = h.request('echo', { text: 42, marker }, { runId })
    const error = await rejects(
      h.executor.submit(bad),
      { code: 'INVALID_PARAMS', instance: ValidationError },
      'submit with invalid params',
    )
    assert.deepEqual(
      (error as ValidationError).issues.map((i) => i.path),
      [['text']],
      'every issue, with its path',
    )
    await rejects(h.executor.execute(bad), { code: 'INVALID_PARAMS' }, 'execute, invalid params')
    await rejects(h.executor.status(runId), { code: 'RUN_NOT_FOUND' }, 'status of the refused id')
    await rejects(
      collect(h.executor.events(runId), 'events of the refused id'),
      { code: 'RUN_NOT_FOUND' },
      'events of the refused id',
    )
    await sleep(50)
    assert.ok(!existsSync(marker), 'the action ran although its params were invalid')
  },
}

function resultValidationCheck(
  mode: 'off' | 'warn' | 'strict',
  title: string,
  verify: (outcome: RunOutcome, events: RunEvent[]) => void,
): ConformanceCheck {
  return {
    id: `result-validation-${mode}`,
    title,
    async run(h) {
      const runId = await submit(h, `result_${mode}`)
      const outcome = await waitFor(h, runId)
      verify(outcome, await eventsOf(h, runId))
    },
  }
}

const resultOff = resultValidationCheck(
  'off',
  "resultValidation 'off': the result as the action gave it, no warning",
  (outcome, events) => {
    assert.equal(outcome.status, 'completed')
    assert.deepEqual(outcome.result, { sum: 'not a number' })
    assert.equal(logs(events, 'warning').length, 0, 'no warning is logged')
  },
)

const resultWarn = resultValidationCheck(
  'warn',
  "resultValidation 'warn': completed with the result as given, one warning log event",
  (outcome, events) => {
    assert.equal(outcome.status, 'completed')
    assert.deepEqual(outcome.result, { sum: 'not a number' })
    assert.equal(logs(events, 'warning').length, 1, 'one warning log event')
  },
)

const resultStrict = resultValidationCheck(
  'strict',
  "resultValidation 'strict': the run fails with INVALID_RESULT",
  (outcome, events) => {
    assert.equal(outcome.status, 'failed')
    assert.ok(outcome.error instanceof ValidationError, 'a ValidationError')
    assert.equal(outcome.error.code, 'INVALID_RESULT')
    assert.ok(!events.some((e) => e.type === 'result'), 'no result event')
    assert.equal(label(events.at(-1)!), 'failed', 'last event: failed')
  },
)

const errorsTyped: ConformanceCheck = {
  id: 'errors-typed',
  title: 'errors cross the boundary typed: class, code, details and cause chain',
  async run(h) {
    const runId = await submit(h, 'fail')
    const outcome = await waitFor(h, runId)
    assert.equal(outcome.status, 'failed')
    assert.ok(outcome.error instanceof ExecutionError, 'the outcome error is an ExecutionError')
    const chain = chainOf(outcome.error)
    assert.deepEqual(
      chain.map((e) => e.name),
      ['ExecutionError', 'QuotaError', 'RangeError'],
      'the cause chain',
    )
    assert.deepEqual(
      chain.map((e) => e.code),
      ['EXECUTION_FAILED', 'QUOTA_EXCEEDED', undefined],
      'codes along the chain',
    )
    const quota = outcome.error.cause
    assert.ok(PluginError.is(quota), 'the plugin error is a PluginError')
    assert.deepEqual(quota.details, { used: 7 }, 'its details')
    assert.equal(chain[2]?.message, 'disk full')
    // What was sent (the error event, the status) revives to the same chain.
    const event = (await eventsOf(h, runId)).find((e) => e.type === 'error')
    assert.ok(event?.type === 'error', 'an error event')
    assert.deepEqual(chainOf(PluginError.fromJSON(event.error)), chain, 'error event chain')
    const info = await h.executor.status(runId)
    assert.ok(info.error !== undefined, 'status carries the error')
    assert.deepEqual(chainOf(PluginError.fromJSON(info.error)), chain, 'status error chain')
    const thrown = await rejects(
      h.executor.execute(h.request('fail')),
      { code: 'EXECUTION_FAILED', instance: ExecutionError },
      'execute of a failing action',
    )
    assert.deepEqual(
      chainOf(thrown).map((e) => [e.name, e.code]),
      chain.map((e) => [e.name, e.code]),
      'execute throws the same chain',
    )
  },
}

const eventsOrdered: ConformanceCheck = {
  id: 'events-ordered',
  title: 'events: seq from 1 with no gaps, result before the terminal status, which is last',
  async run(h) {
    const runId = await submit(h, 'echo', { text: 'order' })
    const followed = collect(h.executor.events(runId, { follow: true }), 'following the run')
    assert.equal((await waitFor(h, runId)).status, 'completed')
    const after = await eventsOf(h, runId)
    for (const [how, events] of [
      ['followed', await followed],
      ['read after', after],
    ] as const) {
      assert.deepEqual(
        events.map((e) => e.seq),
        events.map((_, i) => i + 1),
        `${how}: seq 1..n with no gaps`,
      )
      assert.ok(
        events.every((e) => e.runId === runId),
        `${how}: every event is of this run`,
      )
      assert.equal(events[0]?.type, 'status', `${how}: the first event is a status`)
      assert.equal(label(events.at(-1)!), 'completed', `${how}: the terminal status is last`)
      const terminal = events.filter((e) => e.type === 'status' && isTerminalStatus(e.status))
      assert.equal(terminal.length, 1, `${how}: one terminal status`)
      assert.deepEqual(
        events.filter((e) => e.type !== 'status').map(label),
        ['progress', 'log', 'progress', 'metrics', 'result'],
        `${how}: the action's events in order, then the result`,
      )
    }
    assert.deepEqual(await followed, after, 'following and reading after give the same events')
  },
}

const eventsAfterSeq: ConformanceCheck = {
  id: 'events-after-seq',
  title: 'events: afterSeq resumes a stream after that seq',
  async run(h) {
    const runId = await submit(h, 'echo', { text: 'resume' })
    await waitFor(h, runId)
    const all = await eventsOf(h, runId)
    const n = all.length
    for (const afterSeq of [0, 1, Math.floor(n / 2), n - 1, n]) {
      for (const follow of [false, true]) {
        const got = await collect(
          h.executor.events(runId, { afterSeq, follow }),
          `events after ${afterSeq}`,
        )
        assert.deepEqual(
          got.map((e) => e.seq),
          all.filter((e) => e.seq > afterSeq).map((e) => e.seq),
          `events({ afterSeq: ${afterSeq}, follow: ${follow} })`,
        )
      }
    }
  },
}

const resultEventJson: ConformanceCheck = {
  id: 'result-event-json',
  title: 'the result event is JSON (Date → ISO, bigint → string) and the result revives',
  async run(h) {
    const iso = '2026-03-04T05:06:07.089Z'
    const big = '123456789012345678901234567890'
    const runId = await submit(h, 'dated', { iso, big })
    const outcome = await waitFor(h, runId)
    assert.equal(outcome.status, 'completed')
    const events = await eventsOf(h, runId)
    for (const event of events) {
      assert.ok(RunEventSchema.safeParse(event).success, `event ${event.seq} passes RunEventSchema`)
      assert.deepEqual(JSON.parse(JSON.stringify(event)), event, `event ${event.seq} is JSON`)
    }
    const resultEvent = events.find((e) => e.type === 'result')
    assert.ok(resultEvent?.type === 'result', 'a result event')
    assert.deepEqual(resultEvent.result, { at: iso, big }, 'the result as JSON')
    // An executor that hands back JSON leaves reviving to the waiting side, which has the action.
    const definition = h.definition('dated')
    for (const [how, result] of [
      ['wait', outcome.result],
      ['execute', await h.executor.execute(h.request('dated', { iso, big }))],
    ] as const) {
      const { at, big: value } = revived(definition, result)
      assert.ok(at instanceof Date, `${how}: the Date comes back a Date`)
      assert.equal(at.toISOString(), iso, `${how}: the same instant`)
      assert.equal(value, BigInt(big), `${how}: the bigint comes back a bigint`)
    }
  },
}

function revived(definition: Parameters<typeof reviveResult>[0], result: unknown) {
  const live = result as { at?: unknown; big?: unknown }
  const value = live.at instanceof Date ? live : reviveResult(definition, result)
  return value as { at: unknown; big: unknown }
}

const resultNotEncodable: ConformanceCheck = {
  id: 'result-not-encodable',
  title: 'a result with no JSON form fails the run with RESULT_NOT_ENCODABLE naming the path',
  async run(h) {
    for (const [kind, path, where] of [
      ['function', ['nested', 'fn'], 'nested.fn'],
      ['instance', ['model'], 'model'],
    ] as const) {
      const runId = await submit(h, 'unencodable', { kind })
      const outcome = await waitFor(h, runId)
      assert.equal(outcome.status, 'failed', `a result holding a ${kind} fails the run`)
      assert.equal(outcome.error?.code, 'RESULT_NOT_ENCODABLE')
      assert.ok(outcome.error.message.includes(where), `the message names ${where}`)
      assert.deepEqual(outcome.error.details['path'], path, 'details.path')
      const events = await eventsOf(h, runId)
      assert.ok(!events.some((e) => e.type === 'result'), 'no result event')
      const error = events.find((e) => e.type === 'error')
      assert.equal(error?.type === 'error' && error.error.code, 'RESULT_NOT_ENCODABLE')
      assert.equal(label(events.at(-1)!), 'failed')
      assert.equal((await h.executor.status(runId)).status, 'failed')
    }
  },
}

const cancelPending: ConformanceCheck = {
  id: 'cancel-pending',
  title: 'cancel right after submit: cancelled, or the run had already completed',
  // Whether a run is still pending at that moment is the executor's business (a local run starts
  // at once, a queued one waits for a worker), so the check holds cancel to what it answered.
  async run(h) {
    const runId = await submit(h, 'echo', { text: 'pending', delayMs: 300 })
    const answer = await h.executor.cancel(runId)
    assert.ok(
      ['cancelled', 'requested', 'already-terminal'].includes(answer),
      `cancel answered ${answer}`,
    )
    const outcome = await waitFor(h, runId)
    if (answer === 'already-terminal') assert.equal(outcome.status, 'completed')
    else if (answer === 'cancelled' || outcome.status !== 'completed') {
      await assertCancelled(h, runId, outcome)
    }
    assert.equal((await h.executor.status(runId)).status, outcome.status, 'status agrees')
  },
}

const cancelRunning: ConformanceCheck = {
  id: 'cancel-running',
  title: 'cancel of a running cooperative run: cancelled with CancelledError (RUN_CANCELLED)',
  async run(h) {
    const runId = await submit(h, 'slow', { ms: 2000 })
    await untilLogged(h, runId, 'started')
    const answer = await h.executor.cancel(runId)
    assert.ok(answer === 'cancelled' || answer === 'requested', `cancel answered ${answer}`)
    await assertCancelled(h, runId, await waitFor(h, runId, h.cancelGraceMs + 1000))
    assert.equal(await h.executor.cancel(runId), 'already-terminal', 'a second cancel')
  },
}

const cancelIgnored: ConformanceCheck = {
  id: 'cancel-ignoring-signal',
  title: 'cancel of a run ignoring its signal: cancelled within the grace, late result dropped',
  async run(h) {
    const marker = h.file('stubborn')
    const lateMs = h.cancelGraceMs * 2 + 400
    const runId = await submit(h, 'stubborn', { ms: lateMs, marker })
    await untilLogged(h, runId, 'started')
    const answer = await h.executor.cancel(runId)
    assert.ok(answer === 'cancelled' || answer === 'requested', `cancel answered ${answer}`)
    await assertCancelled(h, runId, await waitFor(h, runId, h.cancelGraceMs + 1000))
    const before = await eventsOf(h, runId)
    // The action finishes after all; nothing about the run may change.
    await within(
      (async () => {
        while (!existsSync(marker)) await sleep(20)
      })(),
      lateMs + 2000,
      'the stubborn action finishing',
    )
    await sleep(100)
    assert.equal((await h.executor.status(runId)).status, 'cancelled', 'status stays cancelled')
    assert.deepEqual(await eventsOf(h, runId), before, 'no event after the late result')
    assert.equal((await waitFor(h, runId)).status, 'cancelled')
  },
}

const waitTimeout: ConformanceCheck = {
  id: 'wait-timeout',
  title: 'wait with timeoutMs: WaitTimeoutError, and the run goes on to complete',
  async run(h) {
    const runId = await submit(h, 'slow', { ms: 400 })
    await rejects(
      within(h.executor.wait(runId, { timeoutMs: 50 }), 350, 'wait with timeoutMs 50'),
      { code: 'WAIT_TIMEOUT', instance: WaitTimeoutError },
      'wait with timeoutMs 50',
    )
    const { status } = await h.executor.status(runId)
    assert.ok(!isTerminalStatus(status), `the run goes on (status ${status})`)
    const outcome = await waitFor(h, runId)
    assert.equal(outcome.status, 'completed', 'the run completes')
    assert.deepEqual(outcome.result, { waited: 400 })
  },
}

const waitAborted: ConformanceCheck = {
  id: 'wait-aborted',
  title: 'wait with a signal: WaitAbortedError (WAIT_ABORTED), and the run goes on to complete',
  async run(h) {
    const runId = await submit(h, 'slow', { ms: 400 })
    const controller = new AbortController()
    const waiting = h.executor.wait(runId, { signal: controller.signal })
    setTimeout(() => controller.abort('enough'), 30)
    await rejects(
      within(waiting, 350, 'wait aborted'),
      { code: 'WAIT_ABORTED', instance: WaitAbortedError },
      'wait whose signal aborts',
    )
    await rejects(
      h.executor.wait(runId, { signal: AbortSignal.abort() }),
      { code: 'WAIT_ABORTED', instance: WaitAbortedError },
      'wait with an aborted signal',
    )
    const { status } = await h.executor.status(runId)
    assert.ok(!isTerminalStatus(status), `the run goes on (status ${status})`)
    assert.equal((await waitFor(h, runId)).status, 'completed', 'the run completes')
  },
}

const submitIdempotent: ConformanceCheck = {
  id: 'submit-idempotent',
  title: 'submit with the same id, action and params returns that id and starts one run',
  async run(h) {
    const runId = h.runId('idempotent')
    const marker = h.file('idempotent')
    const params = { text: 'once', delayMs: 50, marker }
    const ids = await Promise.all([
      submit(h, 'echo', params, runId),
      submit(h, 'echo', params, runId),
    ])
    // Key order is not part of the request.
    ids.push(await submit(h, 'echo', { marker, delayMs: 50, text: 'once' }, runId))
    assert.deepEqual(ids, [runId, runId, runId], 'every submit returns the id')
    assert.equal((await waitFor(h, runId)).status, 'completed')
    assert.equal(await submit(h, 'echo', params, runId), runId, 'a submit after the end')
    const result = await h.executor.execute(h.request('echo', params, { runId }))
    assert.deepEqual(result, { text: 'once', tag: null, runId }, 'execute gives that run result')
    assert.deepEqual(readFileSync(marker, 'utf8').split('\n'), ['once', ''], 'the action ran once')
    const events = await eventsOf(h, runId)
    assert.equal(events.filter((e) => e.type === 'result').length, 1, 'one result event')
  },
}

const submitConflict: ConformanceCheck = {
  id: 'submit-conflict',
  title: 'the same id with other params or another action: RunConflictError (RUN_CONFLICT)',
  async run(h) {
    const runId = await submit(h, 'echo', { text: 'first', delayMs: 30 }, h.runId('conflict'))
    const conflict = { code: 'RUN_CONFLICT', instance: RunConflictError }
    await rejects(submit(h, 'echo', { text: 'second' }, runId), conflict, 'other params')
    await rejects(submit(h, 'env', { key: 'X' }, runId), conflict, 'another action')
    await rejects(
      h.executor.execute(h.request('echo', { text: 'third' }, { runId })),
      conflict,
      'execute with other params',
    )
    const outcome = await waitFor(h, runId)
    assert.equal(outcome.status, 'completed')
    assert.equal((outcome.result as { text?: unknown }).text, 'first', 'the first run is intact')
  },
}

const concurrentIsolated: ConformanceCheck = {
  id: 'concurrent-isolated',
  title: 'concurrent runs are isolated: events, env and results never mix',
  async run(h) {
    const tags = ['a', 'b', 'c', 'd', 'e', 'f']
    const ids = await Promise.all(
      tags.map((tag, i) =>
        h.executor.submit(
          h.request(
            'echo',
            { text: `text-${tag}`, delayMs: 10 + ((i * 7) % 25) },
            { env: new PluginEnvironment({ CONFORMANCE_TAG: `tag-${tag}` }) },
          ),
        ),
      ),
    )
    assert.equal(new Set(ids).size, tags.length, 'every run has its own id')
    const outcomes = await Promise.all(ids.map((id) => waitFor(h, id)))
    for (const [i, tag] of tags.entries()) {
      const runId = ids[i]!
      assert.deepEqual(
        outcomes[i]?.result,
        { text: `text-${tag}`, tag: `tag-${tag}`, runId },
        `run ${tag}: its own params, env and id`,
      )
      const events = await eventsOf(h, runId)
      assert.ok(
        events.every((e) => e.runId === runId),
        `run ${tag}: only its own events`,
      )
      assert.deepEqual(
        logs(events).map((e) => e.data['message']),
        [`echo text-${tag}`],
        `run ${tag}: only its own logs`,
      )
      const metrics = events.filter((e) => e.type === 'metrics')
      assert.deepEqual(
        metrics.map((e) => e.type === 'metrics' && e.values),
        [{ length: `text-${tag}`.length }],
        `run ${tag}: only its own metrics`,
      )
    }
  },
}

const unknownId: ConformanceCheck = {
  id: 'unknown-id',
  title: 'an unknown id: RunNotFoundError from status and wait, and from events on iteration',
  async run(h) {
    const runId = h.runId('unknown')
    const notFound = { code: 'RUN_NOT_FOUND', instance: RunNotFoundError }
    await rejects(h.executor.status(runId), notFound, 'status')
    await rejects(h.executor.wait(runId), notFound, 'wait')
    for (const follow of [false, true]) {
      let iterable: AsyncIterable<RunEvent>
      try {
        iterable = h.executor.events(runId, { follow })
      } catch (error) {
        assert.fail(`events() threw at the call (${String(error)}); it must fail on iteration`)
      }
      await rejects(collect(iterable, 'events'), notFound, `events({ follow: ${follow} })`)
    }
    assert.equal(await h.executor.cancel(runId), 'not-found', 'cancel')
  },
}

const executeAbort: ConformanceCheck = {
  id: 'execute-abort-cancels',
  title: 'execute: aborting its signal cancels the run (CancelledError, status cancelled)',
  async run(h) {
    const runId = h.runId('execute-abort')
    const controller = new AbortController()
    const running = h.executor.execute(h.request('slow', { ms: 2000 }, { runId }), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'log' && event.data['message'] === 'started') {
          setTimeout(() => controller.abort(), 0)
        }
      },
    })
    await rejects(
      within(running, h.cancelGraceMs + 1500, 'execute after abort'),
      { code: 'RUN_CANCELLED', instance: CancelledError },
      'execute whose signal aborts',
    )
    assert.equal((await h.executor.status(runId)).status, 'cancelled', 'the run is cancelled')

    const early = h.runId('execute-aborted')
    await rejects(
      within(
        h.executor.execute(h.request('slow', { ms: 2000 }, { runId: early }), {
          signal: AbortSignal.abort(),
        }),
        h.cancelGraceMs + 1500,
        'execute with an aborted signal',
      ),
      { code: 'RUN_CANCELLED', instance: CancelledError },
      'execute with an aborted signal',
    )
  },
}

const close: ConformanceCheck = {
  id: 'close',
  title: 'close: cancels live runs, waits for their last events, refuses new runs; twice is fine',
  async run(h) {
    const doneId = await submit(h, 'echo', { text: 'before close' })
    await waitFor(h, doneId)
    const liveId = await submit(h, 'slow', { ms: 5000 })
    await untilLogged(h, liveId, 'started')
    const followed = collect(h.executor.events(liveId, { follow: true }), 'following to close')
    const waiting = waitFor(h, liveId, h.cancelGraceMs + 3000)
    await within(h.executor.close(), h.cancelGraceMs + 3000, 'close')
    assert.equal((await waiting).status, 'cancelled', 'a run going at close is cancelled')
    const events = await within(followed, 1000, 'the followed stream ending after close')
    assert.equal(label(events.at(-1)!), 'cancelled', 'its last event is stored before close ends')
    const closed = { code: 'EXECUTOR_CLOSED' }
    await rejects(submit(h, 'echo', { text: 'after' }), closed, 'submit after close')
    await rejects(
      h.executor.execute(h.request('echo', { text: 'after' })),
      closed,
      'execute after close',
    )
    await within(h.executor.close(), 1000, 'a second close')
  },
}

/**
 * Every rule of the executor protocol as data: run them all with
 * `describeExecutorConformance`, or one with `runConformanceCheck`.
 */
export const conformanceChecks: readonly ConformanceCheck[] = Object.freeze([
  paramsValidatedFirst,
  resultOff,
  resultWarn,
  resultStrict,
  errorsTyped,
  eventsOrdered,
  eventsAfterSeq,
  resultEventJson,
  resultNotEncodable,
  cancelPending,
  cancelRunning,
  cancelIgnored,
  waitTimeout,
  waitAborted,
  submitIdempotent,
  submitConflict,
  concurrentIsolated,
  unknownId,
  executeAbort,
  close,
])
