import { AssertionError } from 'node:assert'
import {
  type ConformanceFixture,
  conformanceChecks,
  createConformanceFixture,
  runConformanceCheck,
} from '@synapse/core/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LocalExecutor } from '../src/local-executor'
import { brokenExecutors } from './broken-executors'

// The suite earns trust by failing: every check must reject an executor that breaks its rule,
// and must reject it by an assertion (a crash of the check itself would prove nothing).
const cancelGraceMs = 150
let fixture: ConformanceFixture
beforeAll(async () => {
  fixture = await createConformanceFixture()
})
afterAll(() => fixture.remove())

// Broken executors may not close what they hold (one breaks close itself): close it here.
const made: LocalExecutor[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((executor) => executor.close()))
})
function correct(): LocalExecutor {
  const executor = new LocalExecutor({ cancelGraceMs })
  made.push(executor)
  return executor
}

describe('the conformance suite rejects broken executors', () => {
  it('every check is broken by at least one broken executor', () => {
    const covered = new Set(brokenExecutors.flatMap((broken) => broken.breaks))
    expect(conformanceChecks.map((check) => check.id).filter((id) => !covered.has(id))).toEqual([])
    expect([...covered].filter((id) => !conformanceChecks.some((c) => c.id === id))).toEqual([])
  })

  for (const broken of brokenExecutors) {
    for (const id of broken.breaks) {
      it(`${id} rejects an executor that ${broken.does}`, async () => {
        const check = conformanceChecks.find((c) => c.id === id)
        if (check === undefined) throw new Error(`no check '${id}'`)
        const failure = await runConformanceCheck(check, () => broken.make(correct()), {
          fixture,
          cancelGraceMs,
        }).then(
          () => undefined,
          (error: unknown) => error,
        )
        expect(failure, 'the broken executor passed').toBeInstanceOf(Error)
        expect((failure as Error).message).toContain(`[${id}]`)
        expect((failure as Error).cause).toBeInstanceOf(AssertionError)
      })
    }
  }
})
