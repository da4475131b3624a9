import { createTestContext, thrownError } from '@synapse/core/testing'
import { Orchestrator, StepContext, stepResult } from '@synapse/steps'
import { describe, expect, it } from 'vitest'

describe('StepContext', () => {
  it('defaults the category of progress and metrics to the running step', async () => {
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    const seen: (string | undefined)[] = []
    await new Orchestrator(
      [
        {
          name: 'train',
          weight: 1,
          execute: (c) => {
            seen.push(c.currentStep)
            c.setProgress(1, 2)
            c.setMetrics({ loss: 0.5 })
            c.setProgress(1, 4, 'epoch')
            return stepResult()
          },
        },
      ],
      ctx,
    ).execute()
    expect(seen).toEqual(['train'])
    expect(t.progress('train').map((e) => e.percent)).toEqual([50])
    expect(t.metrics('train')).toEqual([{ loss: 0.5 }])
    expect(t.progress('epoch').map((e) => e.percent)).toEqual([25])
    expect(ctx.currentStep).toBeUndefined()
  })

  it('outside a step, progress and metrics without a category are a clear error', () => {
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    const progress = thrownError(() => ctx.setProgress(1, 2))
    expect(progress.code).toBe('STEP_CATEGORY_MISSING')
    expect(progress.message).toContain('setProgress needs a category when no step is running')
    expect(thrownError(() => ctx.setMetrics({ a: 1 })).code).toBe('STEP_CATEGORY_MISSING')
    // With a category they work anywhere.
    ctx.setProgress(1, 2, 'prep')
    ctx.setMetrics({ a: 1 }, 'prep')
    expect(t.progress('prep')).toHaveLength(1)
    expect(t.events.filter((e) => e.type === 'metrics')).toHaveLength(1)
  })

  it('current step is cleared after a failure too, and results are kept by name', async () => {
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    await expect(
      new Orchestrator(
        [
          { name: 'a', weight: 1, execute: () => stepResult({ data: { n: 1 } }) },
          { name: 'b', weight: 1, execute: () => stepResult({ error: 'no' }) },
        ],
        ctx,
      ).execute(),
    ).rejects.toMatchObject({ code: 'STEP_FAILED' })
    expect(ctx.currentStep).toBeUndefined()
    expect(ctx.resultOf('a')?.data).toEqual({ n: 1 })
    expect(ctx.resultOf('b')?.success).toBe(false)
    expect(ctx.stepResults).toHaveLength(2)
  })
})
