import { type PluginError, ValidationError } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import {
  Orchestrator,
  StepContext,
  type StepFailedError,
  StepTimeoutError,
  stepResult,
} from '@synapse/steps'
import { describe, expect, it } from 'vitest'
import { rejection, steppingContext } from './support'

describe('Orchestrator: retries', () => {
  it('a step that fails once succeeds on the second attempt, after the backoff', async () => {
    const t = createTestContext()
    const attemptsAt: number[] = []
    const summary = await new Orchestrator(
      [
        {
          name: 'flaky',
          weight: 1,
          retry: { attempts: 3, backoffMs: 20 },
          execute: () => {
            attemptsAt.push(performance.now())
            if (attemptsAt.length === 1) throw new Error('ECONNRESET')
            return stepResult({ data: { ok: true } })
          },
        },
      ],
      new StepContext(t.ctx),
    ).execute()
    expect(attemptsAt).toHaveLength(2)
    // The wait is a lower bound (timers never fire early), not a speed claim.
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(19)
    expect(summary.steps[0]).toMatchObject({ name: 'flaky', status: 'succeeded', attempts: 2 })
    expect(t.logs('warning').map((e) => [e.event, e.data['attempt'], e.data['delayMs']])).toEqual([
      ['step_retry', 1, 20],
    ])
  })

  it('gives up after the last attempt and says how many it made', async () => {
    let calls = 0
    const error = (await rejection(
      new Orchestrator(
        [
          {
            name: 'down',
            weight: 1,
            execute: () => {
              calls++
              return stepResult({ error: `attempt ${calls} failed` })
            },
          },
        ],
        new StepContext(createTestContext().ctx),
        { retry: { attempts: 3, backoffMs: 1 } },
      ).execute(),
    )) as StepFailedError
    expect(calls).toBe(3)
    expect(error.attempts).toBe(3)
    expect(error.message).toBe("Step 'down' failed after 3 attempts: attempt 3 failed")
  })

  it('a non-retryable error is not retried: by code, and by predicate', async () => {
    for (const retry of [
      { attempts: 5, nonRetryableCodes: ['VALIDATION_ERROR'] },
      { attempts: 5, retryIf: (e: Error) => !(e instanceof ValidationError) },
    ]) {
      let calls = 0
      const error = (await rejection(
        new Orchestrator(
          [
            {
              name: 'parse',
              weight: 1,
              retry,
              execute: () => {
                calls++
                throw new ValidationError('bad label file', [])
              },
            },
          ],
          new StepContext(createTestContext().ctx),
        ).execute(),
      )) as StepFailedError
      expect(calls).toBe(1)
      expect(error.attempts).toBe(1)
      expect(error.cause).toBeInstanceOf(ValidationError)
    }
  })

  it('rejects an impossible retry policy up front', () => {
    expect(
      () =>
        new Orchestrator([], new StepContext(createTestContext().ctx), { retry: { attempts: 0 } }),
    ).toThrow(/attempts must be an integer ≥ 1/)
  })
})

describe('Orchestrator: timeouts', () => {
  it('a step past its timeout fails with STEP_TIMEOUT; its signal is aborted; it is rolled back', async () => {
    const journal: string[] = []
    let stepSignal: AbortSignal | undefined
    const error = (await rejection(
      new Orchestrator(
        [
          {
            name: 'before',
            weight: 1,
            execute: () => stepResult(),
            rollback: () => void journal.push('rollback:before'),
          },
          {
            name: 'hang',
            weight: 1,
            timeoutMs: 30,
            execute: (ctx) => {
              stepSignal = ctx.signal
              // Never settles by itself: only the timeout ends it.
              return new Promise(() => {})
            },
            rollback: (_ctx, result) => void journal.push(`rollback:hang:${result.error?.name}`),
          },
        ],
        new StepContext(createTestContext().ctx),
      ).execute(),
    )) as StepFailedError
    expect(error.code).toBe('STEP_FAILED')
    expect(error.cause).toBeInstanceOf(StepTimeoutError)
    expect((error.cause as PluginError).code).toBe('STEP_TIMEOUT')
    expect((error.cause as StepTimeoutError).timeoutMs).toBe(30)
    expect(stepSignal?.aborted).toBe(true)
    expect(stepSignal?.reason).toBeInstanceOf(StepTimeoutError)
    expect(journal).toEqual(['rollback:hang:StepTimeoutError', 'rollback:before'])
  })

  it('a step that checks its signal sees the timeout through throwIfCancelled', async () => {
    let iterations = 0
    const error = (await rejection(
      new Orchestrator(
        [
          {
            name: 'loop',
            weight: 1,
            execute: async (ctx) => {
              for (;;) {
                ctx.throwIfCancelled()
                iterations++
                await new Promise((r) => setTimeout(r, 2))
              }
            },
          },
        ],
        new StepContext(createTestContext().ctx),
        { timeoutMs: 25 },
      ).execute(),
    )) as StepFailedError
    expect(error.cause).toBeInstanceOf(StepTimeoutError)
    const stopped = iterations
    await new Promise((r) => setTimeout(r, 20))
    // The loop saw its signal and stopped: it does not run on in the background.
    expect(iterations).toBe(stopped)
  })

  it('a timed-out attempt is retried when the policy allows it', async () => {
    let calls = 0
    const summary = await new Orchestrator(
      [
        {
          name: 'slow-once',
          weight: 1,
          timeoutMs: 20,
          retry: { attempts: 2 },
          execute: (ctx) => {
            calls++
            if (calls === 1) {
              return new Promise((_, reject) =>
                ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
              )
            }
            return stepResult()
          },
        },
      ],
      new StepContext(createTestContext().ctx),
    ).execute()
    expect(summary.steps[0]?.attempts).toBe(2)
  })

  it('an abandoned attempt that reports later moves neither the overall bar nor the next step', async () => {
    const t = steppingContext()
    let calls = 0
    let lateCategory: string | undefined
    await new Orchestrator(
      [
        {
          name: 'a',
          weight: 1,
          timeoutMs: 15,
          retry: { attempts: 2 },
          execute: async (ctx) => {
            calls++
            if (calls === 1) {
              // Ignores its signal and reports after the workflow has moved on.
              await new Promise((r) => setTimeout(r, 40))
              ctx.setProgress(90, 100)
              lateCategory = ctx.currentStep
            }
            return stepResult()
          },
        },
        {
          name: 'b',
          weight: 1,
          execute: async () => {
            await new Promise((r) => setTimeout(r, 80))
            return stepResult()
          },
        },
      ],
      new StepContext(t.ctx),
    ).execute()
    expect(lateCategory).toBe('a')
    expect(t.progress('a').map((e) => e.percent)).toEqual([90])
    expect(t.progress('overall').map((e) => e.percent)).toEqual([0, 50, 100])
  })
})
