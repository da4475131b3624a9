import { CancelledError, type PluginError } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { Orchestrator, StepContext, stepResult } from '@synapse/steps'
import { describe, expect, it } from 'vitest'
import { rejection, scriptedStep } from './support'

describe('Orchestrator: cancellation', () => {
  it('cancelled mid-step: the step stops on its signal, executed steps roll back, the run is cancelled', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const ctx = new StepContext(t.ctx)
    const error = await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal }),
          {
            name: 'long',
            weight: 1,
            execute: async (c) => {
              journal.push('execute:long')
              for (let i = 0; ; i++) {
                c.throwIfCancelled()
                if (i === 3) t.cancel('user pressed ctrl-c')
                await new Promise((r) => setTimeout(r, 1))
              }
            },
            rollback: () => void journal.push('rollback:long'),
          },
          scriptedStep('never', { journal }),
        ],
        ctx,
      ).execute(),
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as PluginError).code).toBe('RUN_CANCELLED')
    expect(error.message).toBe("Run was cancelled during step 'long'")
    expect((error as PluginError).details['step']).toBe('long')
    expect(journal.filter((j) => !j.startsWith('canSkip'))).toEqual([
      'execute:a',
      'execute:long',
      'rollback:long',
      'rollback:a:ok',
    ])
  })

  it('a step that ignores its signal finishes, then no further step starts', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const error = await rejection(
      new Orchestrator(
        [
          {
            ...scriptedStep('deaf', { journal }),
            execute: () => {
              journal.push('execute:deaf')
              t.cancel()
              return stepResult()
            },
          },
          scriptedStep('next', { journal }),
        ],
        new StepContext(t.ctx),
      ).execute(),
    )
    expect(error.message).toBe("Run was cancelled before step 'next'")
    expect(journal.filter((j) => !j.startsWith('canSkip'))).toEqual([
      'execute:deaf',
      'rollback:deaf:ok',
    ])
  })

  it('cancellation is never retried, and a rollback failure is kept in the details', async () => {
    const t = createTestContext()
    let calls = 0
    const error = (await rejection(
      new Orchestrator(
        [
          {
            name: 'once',
            weight: 1,
            retry: { attempts: 5 },
            execute: (c) => {
              calls++
              t.cancel()
              c.throwIfCancelled()
              return stepResult()
            },
            rollback: () => {
              throw new Error('undo failed')
            },
          },
        ],
        new StepContext(t.ctx),
      ).execute(),
    )) as PluginError
    expect(calls).toBe(1)
    expect(error.code).toBe('RUN_CANCELLED')
    expect(error.message).toBe("Run was cancelled during step 'once'; 1 rollback(s) failed")
    expect(error.details['rollbackFailures']).toEqual([
      { step: 'once', error: expect.objectContaining({ message: 'undo failed' }) },
    ])
  })

  it('a run cancelled before it starts runs nothing', async () => {
    const journal: string[] = []
    const t = createTestContext()
    t.cancel()
    const error = await rejection(
      new Orchestrator([scriptedStep('a', { journal })], new StepContext(t.ctx)).execute(),
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(journal).toEqual([])
  })

  it('a cancel during a retry backoff ends the wait at once', async () => {
    const t = createTestContext()
    const started = performance.now()
    const error = await rejection(
      new Orchestrator(
        [
          {
            name: 'flaky',
            weight: 1,
            retry: { attempts: 2, backoffMs: 10_000 },
            execute: () => {
              setTimeout(() => t.cancel(), 5)
              throw new Error('ECONNRESET')
            },
          },
        ],
        new StepContext(t.ctx),
      ).execute(),
    )
    expect((error as PluginError).code).toBe('RUN_CANCELLED')
    // Far below the 10 s backoff: the wait did not run out.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('a cancel during the last step, which then succeeds, keeps the finished work', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const summary = await new Orchestrator(
      [
        scriptedStep('a', { journal }),
        {
          ...scriptedStep('last', { journal }),
          execute: () => {
            t.cancel()
            return stepResult()
          },
        },
      ],
      new StepContext(t.ctx),
    ).execute()
    expect(summary.stepsExecuted).toBe(2)
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual([])
  })

  it('rollbacks of a cancelled run see a signal that is not aborted', async () => {
    const t = createTestContext()
    const seen: boolean[] = []
    await rejection(
      new Orchestrator(
        [
          {
            name: 'a',
            weight: 1,
            execute: () => stepResult(),
            rollback: (ctx) => void seen.push(ctx.signal.aborted),
          },
          {
            name: 'b',
            weight: 1,
            execute: (ctx) => {
              t.cancel()
              ctx.throwIfCancelled()
              return stepResult()
            },
          },
        ],
        new StepContext(t.ctx),
      ).execute(),
    )
    expect(seen).toEqual([false])
  })

  it('a cancel seen by canSkip ends the run cancelled, the step before it undone', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const error = await rejection(
      new Orchestrator(
        [
          scriptedStep('a', { journal }),
          {
            ...scriptedStep('b', { journal }),
            canSkip: (ctx) => {
              t.cancel()
              ctx.throwIfCancelled()
              return false
            },
          },
        ],
        new StepContext(t.ctx),
      ).execute(),
    )
    expect((error as PluginError).code).toBe('RUN_CANCELLED')
    expect(error.message).toBe("Run was cancelled before step 'b'")
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual(['rollback:a:ok'])
  })
})
