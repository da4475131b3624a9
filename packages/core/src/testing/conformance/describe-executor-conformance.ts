import { conformanceChecks } from './conformance-checks'
import { type ConformanceFixture, createConformanceFixture } from './conformance-fixture'
import type { ConformanceOptions, ExecutorFactory } from './conformance-harness'
import { runConformanceCheck } from './run-conformance-check'

// vitest is an optional peer of core: loaded here, when present, so that the rest of the
// testing entry (createTestPlugin, MemoryRunStore, runConformanceCheck) works under any runner.
const vitest: typeof import('vitest') | undefined = await import('vitest').catch(() => undefined)

/**
 * Registers the executor conformance suite with vitest: one test per rule of the executor
 * protocol, each against a fresh executor from `factory`, closed after. An executor is correct
 * when the suite passes. Keep the executor's cancel grace short and say what it is.
 *
 * What a harness cannot force it checks as observed: no executor can be made to hold a run
 * pending, so `cancel-pending` cancels right after `submit` and holds the executor to its
 * answer (`cancelled` means a cancelled outcome with no result; `already-terminal` means the
 * run had completed). Each check is one rule; see `conformanceChecks` for the list.
 *
 * @example
 * describeExecutorConformance('LocalExecutor', () => new LocalExecutor({ cancelGraceMs: 150 }), {
 *   cancelGraceMs: 150,
 * })
 */
export function describeExecutorConformance(
  name: string,
  factory: ExecutorFactory,
  options: ConformanceOptions = {},
): void {
  if (vitest === undefined) {
    throw new Error(
      'describeExecutorConformance registers vitest tests, and vitest is not installed; run the checks with runConformanceCheck instead',
    )
  }
  const { afterAll, beforeAll, describe, it } = vitest
  describe(`${name} keeps the executor protocol`, () => {
    let fixture: ConformanceFixture | undefined
    beforeAll(async () => {
      fixture = await createConformanceFixture()
    })
    afterAll(() => fixture?.remove())
    for (const check of conformanceChecks) {
      it(`${check.id}: ${check.title}`, async () => {
        if (fixture === undefined) throw new Error('the conformance plugin could not be written')
        await runConformanceCheck(check, factory, { ...options, fixture })
      })
    }
  })
}
