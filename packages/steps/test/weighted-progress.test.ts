import { createTestContext, thrownError } from '@synapse/core/testing'
import { Orchestrator, type Step, StepContext, stepResult, WeightedProgress } from '@synapse/steps'
import { describe, expect, it } from 'vitest'
import { rejection, scriptedStep, steppingContext } from './support'

const percents = (t: ReturnType<typeof createTestContext>, category: string) =>
  t.progress(category).map((e) => e.percent)

describe('weighted overall progress', () => {
  it('is the sum of weight × step fraction, in order, and reaches 100 on success', async () => {
    const journal: string[] = []
    const t = steppingContext()
    await new Orchestrator(
      [
        scriptedStep('dataset', { journal, weight: 0.2, progress: [50, 100] }),
        scriptedStep('train', { journal, weight: 0.6, progress: [25, 50, 75, 100] }),
        scriptedStep('upload', { journal, weight: 0.2 }),
      ],
      new StepContext(t.ctx),
    ).execute()
    expect(percents(t, 'overall')).toEqual([0, 10, 20, 35, 50, 65, 80, 100])
    // Each step's own bar is reported under its name, alongside the overall one.
    expect(percents(t, 'dataset')).toEqual([50, 100])
    expect(percents(t, 'train')).toEqual([25, 50, 75, 100])
    // The ETA comes from the logger, as for any category.
    expect(t.progress('overall').at(2)?.etaSeconds).toEqual(expect.any(Number))
  })

  it('never goes back when a step restarts its progress, and never passes 100', async () => {
    const journal: string[] = []
    const t = steppingContext()
    await new Orchestrator(
      [
        scriptedStep('pass', { journal, weight: 1, progress: [80, 10, 90, 100] }),
        scriptedStep('again', { journal, weight: 1, progress: [100, 0, 100] }),
      ],
      new StepContext(t.ctx),
    ).execute()
    const overall = percents(t, 'overall')
    expect(overall).toEqual([0, 40, 45, 50, 100])
    for (let i = 1; i < overall.length; i++) expect(overall[i]!).toBeGreaterThan(overall[i - 1]!)
    expect(Math.max(...overall)).toBe(100)
  })

  it('weights are relative: they need not sum to 1, and all-zero weights count steps equally', async () => {
    const journal: string[] = []
    const t = steppingContext()
    await new Orchestrator(
      [scriptedStep('a', { journal, weight: 3 }), scriptedStep('b', { journal, weight: 1 })],
      new StepContext(t.ctx),
    ).execute()
    expect(percents(t, 'overall')).toEqual([0, 75, 100])
    const reported: number[] = []
    const zero = new WeightedProgress([0, 0, 0, 0], (p) => reported.push(p))
    zero.start()
    for (let i = 0; i < 4; i++) zero.complete(i)
    expect(reported).toEqual([0, 25, 50, 75, 100])
  })

  it('uses the configured category, and marks it failed where the run stopped', async () => {
    const journal: string[] = []
    const t = steppingContext()
    await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal, progress: [100] }),
          scriptedStep('b', { journal, fail: new Error('x') }),
        ],
        new StepContext(t.ctx),
        { overallCategory: 'total' },
      ).execute(),
    )
    expect(percents(t, 'total')).toEqual([0, 50, 50])
    expect(t.progress('total').at(-1)?.failed).toBe(true)
    expect(t.progress('overall')).toEqual([])
  })

  it('an inner orchestrator rolls up into its step’s share of the parent', async () => {
    const journal: string[] = []
    const t = steppingContext()
    const outer = new StepContext(t.ctx)
    const train: Step = {
      name: 'train',
      weight: 3,
      execute: async (ctx) => {
        const inner = new StepContext(ctx.runtime)
        const summary = await new Orchestrator(
          [
            scriptedStep('epoch1', { journal, progress: [50, 100] }),
            scriptedStep('epoch2', { journal, progress: [50, 100] }),
          ],
          inner,
          { parent: ctx },
        ).execute()
        return stepResult({ data: { epochs: summary.stepsExecuted } })
      },
    }
    await new Orchestrator(
      [
        scriptedStep('prepare', { journal, weight: 1 }),
        train,
        scriptedStep('upload', { journal, weight: 1 }),
      ],
      outer,
    ).execute()
    // prepare 20 %, train 60 % filled by the inner run's overall, upload 20 %.
    expect(percents(t, 'overall')).toEqual([0, 20, 35, 50, 65, 80, 100])
    expect(percents(t, 'train')).toEqual([0, 25, 50, 75, 100])
    expect(percents(t, 'epoch1')).toEqual([50, 100])
    expect(outer.resultOf('train')?.data).toEqual({ epochs: 2 })
  })

  it('an inner orchestrator needs a running parent step and a context of its own', async () => {
    const t = createTestContext()
    const parent = new StepContext(t.ctx)
    const error = await rejection(
      new Orchestrator([], new StepContext(t.ctx), { parent }).execute(),
    )
    expect(error.message).toContain('none is running')
    expect(thrownError(() => new Orchestrator([], parent, { parent })).code).toBe('STEP_BUSY')
  })

  it('the steps of an inner workflow see the outer step time out, and stop', async () => {
    const t = createTestContext()
    let iterations = 0
    const outer: Step = {
      name: 'outer',
      weight: 1,
      timeoutMs: 25,
      execute: (ctx) =>
        new Orchestrator(
          [
            {
              name: 'inner',
              weight: 1,
              execute: async (c) => {
                for (;;) {
                  c.throwIfCancelled()
                  iterations++
                  await new Promise((r) => setTimeout(r, 2))
                }
              },
            },
          ],
          new StepContext(ctx.runtime),
          { parent: ctx },
        )
          .execute()
          .then(() => stepResult()),
    }
    const error = await rejection(new Orchestrator([outer], new StepContext(t.ctx)).execute())
    expect((error.cause as Error).name).toBe('StepTimeoutError')
    const stopped = iterations
    await new Promise((r) => setTimeout(r, 20))
    expect(iterations).toBe(stopped)
  })
})
