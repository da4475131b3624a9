import { PluginError } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { Orchestrator, StepContext, StepFailedError, stepResult } from '@synapse/steps'
import { describe, expect, it } from 'vitest'
import { rejection, scriptedStep, steppingContext } from './support'

describe('Orchestrator: order, failure and rollback', () => {
  it('runs steps in order and returns a summary', async () => {
    const journal: string[] = []
    const ctx = new StepContext(createTestContext().ctx)
    const summary = await new Orchestrator(
      [scriptedStep('a', { journal }), scriptedStep('b', { journal })],
      ctx,
    ).execute()
    expect(journal).toEqual(['canSkip:a', 'execute:a', 'canSkip:b', 'execute:b'])
    expect(summary).toMatchObject({
      success: true,
      stepsExecuted: 2,
      stepsSkipped: 0,
      stepsTotal: 2,
    })
    expect(summary.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
    ])
    expect(summary.steps.every((s) => s.durationMs >= 0)).toBe(true)
  })

  it('rolls back in exact reverse order, the failed step included, and stops there', async () => {
    const journal: string[] = []
    const boom = new TypeError('disk full')
    const ctx = new StepContext(createTestContext().ctx)
    const error = await rejection(
      new Orchestrator(
        [
          scriptedStep('fetch', { journal }),
          scriptedStep('convert', { journal }),
          scriptedStep('train', { journal, fail: boom }),
          scriptedStep('upload', { journal }),
        ],
        ctx,
      ).execute(),
    )
    expect(journal.filter((j) => !j.startsWith('canSkip'))).toEqual([
      'execute:fetch',
      'execute:convert',
      'execute:train',
      'rollback:train:failed',
      'rollback:convert:ok',
      'rollback:fetch:ok',
    ])
    expect(error).toBeInstanceOf(StepFailedError)
    const failed = error as StepFailedError
    expect(failed.code).toBe('STEP_FAILED')
    expect(failed.step).toBe('train')
    expect(failed.cause).toBe(boom)
    expect(failed.message).toBe("Step 'train' failed: disk full")
    expect(failed.rollbackFailures).toEqual([])
  })

  it('a failed result (not a throw) fails the step the same way', async () => {
    const journal: string[] = []
    const error = await rejection(
      new Orchestrator(
        [scriptedStep('a', { journal }), scriptedStep('b', { journal, fail: 'Missing files: x' })],
        new StepContext(createTestContext().ctx),
      ).execute(),
    )
    expect(error.message).toBe("Step 'b' failed: Missing files: x")
    expect((error.cause as Error).message).toBe('Missing files: x')
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual([
      'rollback:b:failed',
      'rollback:a:ok',
    ])
  })

  it('a rollback that throws is reported with the step failure; the others still run', async () => {
    const journal: string[] = []
    const undoFailed = new Error('cannot delete bucket')
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    const error = (await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal }),
          scriptedStep('b', { journal, rollbackFails: undoFailed }),
          scriptedStep('c', { journal, fail: new Error('model diverged') }),
        ],
        ctx,
      ).execute(),
    )) as StepFailedError
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual([
      'rollback:c:failed',
      'rollback:b:ok',
      'rollback:a:ok',
    ])
    expect(error.cause).toEqual(new Error('model diverged'))
    expect(error.rollbackFailures).toEqual([{ step: 'b', error: undoFailed }])
    expect(error.message).toBe(
      "Step 'c' failed: model diverged; 1 rollback(s) failed: 'b' (cannot delete bucket)",
    )
    expect(error.details['rollbackFailures']).toEqual([
      { step: 'b', error: expect.objectContaining({ message: 'cannot delete bucket' }) },
    ])
    expect(ctx.errors).toEqual([undoFailed])
    expect(t.logs('error').map((e) => [e.event, e.data['step']])).toEqual([
      ['step_rollback_failed', 'b'],
    ])
    // Both failed bars say where the run stopped.
    expect(t.progress('c').at(-1)?.failed).toBe(true)
    expect(t.progress('overall').at(-1)?.failed).toBe(true)
  })

  it('the error comes back from JSON as StepFailedError with its rollback failures', async () => {
    const journal: string[] = []
    const error = (await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal, rollbackFails: new Error('undo a') }),
          scriptedStep('b', { journal, fail: new Error('b broke') }),
        ],
        new StepContext(createTestContext().ctx),
      ).execute(),
    )) as StepFailedError
    const revived = PluginError.fromJSON(JSON.parse(JSON.stringify(error)))
    expect(revived).toBeInstanceOf(StepFailedError)
    const back = revived as StepFailedError
    expect(back.message).toBe(error.message)
    expect(back.step).toBe('b')
    expect((back.cause as Error).message).toBe('b broke')
    expect(back.rollbackFailures.map((f) => [f.step, f.error.message])).toEqual([['a', 'undo a']])
  })

  it('a skipped step is credited its weight and never rolled back', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    const error = await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal }),
          scriptedStep('cached', { journal, skip: true, weight: 3 }),
          scriptedStep('c', { journal, fail: new Error('no') }),
        ],
        ctx,
      ).execute(),
    )
    expect(error).toBeInstanceOf(StepFailedError)
    expect(journal).not.toContain('execute:cached')
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual([
      'rollback:c:failed',
      'rollback:a:ok',
    ])
    expect(ctx.resultOf('cached')).toMatchObject({ success: true, skipped: true })
  })

  it('a skipped step counts in the summary and in the overall progress', async () => {
    const journal: string[] = []
    const t = steppingContext()
    const summary = await new Orchestrator(
      [
        scriptedStep('cached', { journal, skip: true, weight: 3 }),
        scriptedStep('b', { journal, weight: 1 }),
      ],
      new StepContext(t.ctx),
    ).execute()
    expect(summary).toMatchObject({ stepsExecuted: 1, stepsSkipped: 1, stepsTotal: 2 })
    expect(summary.steps[0]).toMatchObject({ name: 'cached', status: 'skipped', attempts: 0 })
    expect(t.progress('overall').map((e) => e.percent)).toEqual([0, 75, 100])
  })

  it('a canSkip that throws fails the step without rolling it back', async () => {
    const journal: string[] = []
    const error = (await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal }),
          {
            ...scriptedStep('b', { journal }),
            canSkip: () => {
              throw new Error('cannot stat cache')
            },
          },
        ],
        new StepContext(createTestContext().ctx),
      ).execute(),
    )) as StepFailedError
    expect(error.step).toBe('b')
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual(['rollback:a:ok'])
  })

  it('a step that returns no StepResult fails with STEP_INVALID as cause', async () => {
    const error = await rejection(
      new Orchestrator(
        [{ name: 'bad', weight: 1, execute: () => undefined as never }],
        new StepContext(createTestContext().ctx),
      ).execute(),
    )
    expect((error.cause as PluginError).code).toBe('STEP_INVALID')
  })

  it('refuses to run two workflows on one context at once', async () => {
    const ctx = new StepContext(createTestContext().ctx)
    const gate = Promise.withResolvers<void>()
    const slow = new Orchestrator(
      [
        {
          name: 'slow',
          weight: 1,
          execute: async () => {
            await gate.promise
            return stepResult()
          },
        },
      ],
      ctx,
    ).execute()
    const second = await rejection(new Orchestrator([], ctx).execute())
    expect((second as PluginError).code).toBe('STEP_BUSY')
    gate.resolve()
    await expect(slow).resolves.toMatchObject({ success: true })
  })
})
