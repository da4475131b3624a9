import { ValidationError } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import {
  LoggingStep,
  Orchestrator,
  StepContext,
  type StepFailedError,
  TimingStep,
  ValidationStep,
} from '@synapse/steps'
import { describe, expect, it } from 'vitest'
import { rejection, scriptedStep } from './support'

/** A clock that moves `stepMs` per reading. */
function clock(stepMs: number): () => number {
  let now = 0
  return () => (now += stepMs)
}

describe('wrapper steps', () => {
  it('LoggingStep logs step_start and step_end with elapsed, success and skipped, and step_rollback', async () => {
    const journal: string[] = []
    const t = createTestContext()
    const error = await rejection(
      new Orchestrator(
        [
          new LoggingStep(scriptedStep('ok', { journal, weight: 2 }), { now: clock(1234.5) }),
          new LoggingStep(scriptedStep('cached', { journal, skip: true })),
          new LoggingStep(scriptedStep('bad', { journal, fail: new Error('broke') }), {
            now: clock(10),
          }),
        ],
        new StepContext(t.ctx),
      ).execute(),
    )
    expect((error as StepFailedError).step).toBe('bad')
    expect(t.logs('info').map((e) => [e.event, e.data])).toEqual([
      ['step_start', { step: 'ok' }],
      ['step_end', { step: 'ok', elapsed: 1.235, success: true, skipped: false }],
      ['step_end', { step: 'cached', elapsed: 0, success: true, skipped: true }],
      ['step_start', { step: 'bad' }],
      ['step_end', { step: 'bad', elapsed: 0.01, success: false, skipped: false, error: 'broke' }],
      ['step_rollback', { step: 'bad' }],
      ['step_rollback', { step: 'ok' }],
    ])
    expect(journal.filter((j) => j.startsWith('rollback'))).toEqual([
      'rollback:bad:failed',
      'rollback:ok:ok',
    ])
  })

  it('LoggingStep keeps the name, weight and policies of the step it wraps', () => {
    const inner = { ...scriptedStep('x', { journal: [], weight: 0.3 }), timeoutMs: 5 }
    const logged = new LoggingStep(inner)
    expect([logged.name, logged.weight, logged.timeoutMs]).toEqual(['x', 0.3, 5])
  })

  it('TimingStep puts the duration in the result data, keeping the data it had', async () => {
    const ctx = new StepContext(createTestContext().ctx)
    await new Orchestrator(
      [new TimingStep(scriptedStep('t', { journal: [] }), { now: clock(1.5) })],
      ctx,
    ).execute()
    expect(ctx.resultOf('t')?.data).toEqual({ from: 't', durationSeconds: 0.0015 })
  })

  it('ValidationStep passes on true and fails the run with its message otherwise', async () => {
    const journal: string[] = []
    class UploadContext extends StepContext {
      files: string[] = []
    }
    const ctx = new UploadContext(createTestContext().ctx)
    let checks = 0
    const validate = new ValidationStep<UploadContext>({
      name: 'validate_input',
      validate: (c) => {
        checks++
        return c.files.length > 0 || 'No files provided'
      },
    })
    expect([validate.name, validate.weight]).toEqual(['validate_input', 0.05])
    const error = (await rejection(
      new Orchestrator([scriptedStep('before', { journal }), validate], ctx, {
        retry: { attempts: 3 },
      }).execute(),
    )) as StepFailedError
    expect(error.step).toBe('validate_input')
    expect(error.cause).toBeInstanceOf(ValidationError)
    expect(error.message).toBe(
      "Step 'validate_input' failed: Step 'validate_input': No files provided",
    )
    // The same context gives the same answer: a validation is never retried.
    expect(checks).toBe(1)
    expect(journal).toContain('rollback:before:ok')
    ctx.files.push('a.jpg')
    await expect(new Orchestrator([validate], ctx).execute()).resolves.toMatchObject({
      success: true,
    })
  })
})
