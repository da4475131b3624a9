import {
  CancelledError,
  defineAction,
  ExecutionError,
  PluginEnvironment,
  type RunEvent,
} from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { Orchestrator, type Step, StepContext, StepFailedError, stepResult } from '@synapse/steps'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

// A three-stage action, as a plugin would write one: the orchestrator is the action's body.
const journal: string[] = []
const started = { resolve: (_: unknown) => {} }

function stage(name: string, behaviour: 'ok' | 'fail' | 'wait'): Step {
  return {
    name,
    weight: 1,
    async execute(ctx) {
      journal.push(`execute:${name}`)
      if (behaviour === 'fail') {
        const token = ctx.runtime.env.getStr('API_TOKEN', '')
        throw new Error(`${name} ran out of memory${token === '' ? '' : ` (token ${token})`}`)
      }
      if (behaviour === 'wait') {
        started.resolve(undefined)
        for (;;) {
          ctx.throwIfCancelled()
          await new Promise((r) => setTimeout(r, 2))
        }
      }
      ctx.setProgress(1, 1)
      return stepResult({ data: { stage: name } })
    },
    rollback() {
      journal.push(`rollback:${name}`)
    },
  }
}

const pipeline = defineAction(
  {
    name: 'pipeline',
    params: z.object({ middle: z.enum(['ok', 'fail', 'wait']).default('ok') }),
  },
  async ({ middle }, runtime) => {
    const ctx = new StepContext(runtime)
    const steps = [stage('fetch', 'ok'), stage('train', middle), stage('upload', 'ok')]
    return new Orchestrator(steps, ctx).execute()
  },
)

const executor = new LocalExecutor()
afterAll(() => executor.close())

async function eventsOf(runId: string): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const event of executor.events(runId)) out.push(event)
  return out
}

describe('an orchestrated action on LocalExecutor', () => {
  it('completes with the summary as result and the overall bar at 100', async () => {
    journal.length = 0
    const runId = await executor.submit({ action: pipeline, params: {} })
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('completed')
    expect(outcome.result).toMatchObject({ success: true, stepsExecuted: 3, stepsTotal: 3 })
    const overall = (await eventsOf(runId)).filter(
      (e) => e.type === 'progress' && e.category === 'overall',
    )
    expect(overall.at(-1)).toMatchObject({ percent: 100 })
  })

  it('a failing step ends the run failed, the typed error kept across wait()', async () => {
    journal.length = 0
    const runId = await executor.submit({ action: pipeline, params: { middle: 'fail' } })
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('failed')
    // The executor wraps what the action threw, keeping it whole as the cause.
    expect(outcome.error).toBeInstanceOf(ExecutionError)
    const cause = outcome.error?.cause
    expect(cause).toBeInstanceOf(StepFailedError)
    expect((cause as StepFailedError).code).toBe('STEP_FAILED')
    expect((cause as StepFailedError).step).toBe('train')
    expect(((cause as StepFailedError).cause as Error).message).toBe('train ran out of memory')
    expect(journal).toEqual(['execute:fetch', 'execute:train', 'rollback:train', 'rollback:fetch'])
  })

  it('a run cancelled mid-step ends cancelled, after rolling back', async () => {
    journal.length = 0
    const running = new Promise((resolve) => {
      started.resolve = resolve
    })
    const runId = await executor.submit({ action: pipeline, params: { middle: 'wait' } })
    await running
    expect(await executor.cancel(runId)).toBe('cancelled')
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('cancelled')
    expect(outcome.error).toBeInstanceOf(CancelledError)
    expect(outcome.error?.code).toBe('RUN_CANCELLED')
    expect(journal).toEqual(['execute:fetch', 'execute:train', 'rollback:train', 'rollback:fetch'])
  })

  it('the typed error survives the JSON trip the executor makes to mask a secret', async () => {
    journal.length = 0
    const env = new PluginEnvironment({ API_TOKEN: 'tok-very-secret-42' })
    const runId = await executor.submit({ action: pipeline, params: { middle: 'fail' }, env })
    const outcome = await executor.wait(runId)
    const cause = outcome.error?.cause as StepFailedError
    expect(cause).toBeInstanceOf(StepFailedError)
    expect(cause.step).toBe('train')
    expect(cause.message).toContain('[redacted]')
    expect(cause.message).not.toContain('tok-very-secret-42')
  })
})
