import { createTestContext, type TestContext } from '@synapse/core/testing'
import { type Step, type StepContext, type StepResult, stepResult } from '@synapse/steps'

/** A test context whose clock moves 1 s per reading, so no progress report is coalesced away. */
export function steppingContext(): TestContext {
  let now = Date.UTC(2026, 0, 1)
  return createTestContext({ now: () => (now += 1000) })
}

/** What a scripted step does; every call it gets is written to `journal` as `<call>:<name>`. */
export interface ScriptedStepOptions {
  journal: string[]
  weight?: number
  /** Throw this from execute (an Error) or return a failed result with it (a string). */
  fail?: Error | string
  /** Throw this from rollback. */
  rollbackFails?: Error
  skip?: boolean
  /** Fractions to report as the step's own progress, in order (as n of 100). */
  progress?: number[]
  /** Has no rollback at all. */
  noRollback?: boolean
}

/** A step that records what the orchestrator asks of it. */
export function scriptedStep(name: string, options: ScriptedStepOptions): Step {
  const { journal } = options
  const step: Step = {
    name,
    weight: options.weight ?? 1,
    canSkip: () => {
      journal.push(`canSkip:${name}`)
      return options.skip ?? false
    },
    execute: (ctx: StepContext): StepResult => {
      journal.push(`execute:${name}`)
      for (const p of options.progress ?? []) ctx.setProgress(p, 100)
      if (options.fail instanceof Error) throw options.fail
      if (typeof options.fail === 'string') return stepResult({ error: options.fail })
      return stepResult({ data: { from: name }, rollbackData: { undo: name } })
    },
  }
  if (options.noRollback) return step
  return {
    ...step,
    rollback: (_ctx, result) => {
      journal.push(`rollback:${name}:${result.success ? 'ok' : 'failed'}`)
      if (options.rollbackFails) throw options.rollbackFails
    },
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject, but it resolved')
}
