import type { ConformanceCheck } from './conformance-checks'
import { type ConformanceFixture, createConformanceFixture } from './conformance-fixture'
import { type ConformanceOptions, createHarness, type ExecutorFactory } from './conformance-harness'

/** Options of {@link runConformanceCheck}. */
export interface RunConformanceOptions extends ConformanceOptions {
  /** A fixture shared across checks; without one, the check writes (and removes) its own. */
  fixture?: ConformanceFixture
}

/**
 * Runs one check against a fresh executor from `factory` and closes the executor after. Resolves
 * when the executor keeps the rule; rejects with an error naming the check (its `cause` is the
 * assertion that failed) when it does not, or when the check outlasts `checkTimeoutMs`.
 *
 * @example
 * for (const check of conformanceChecks) await runConformanceCheck(check, () => new MyExecutor())
 */
export async function runConformanceCheck(
  check: ConformanceCheck,
  factory: ExecutorFactory,
  options: RunConformanceOptions = {},
): Promise<void> {
  const fixture = options.fixture ?? (await createConformanceFixture())
  const executor = await factory()
  const limit = options.checkTimeoutMs ?? 15_000
  let timer: NodeJS.Timeout | undefined
  let failure: unknown
  try {
    await Promise.race([
      check.run(createHarness(executor, fixture, options)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the check took over ${limit} ms`)), limit)
      }),
    ])
  } catch (error) {
    failure = error
  } finally {
    clearTimeout(timer)
  }
  try {
    await closeWithin(executor.close(), limit)
  } catch (error) {
    // A close that fails is the executor's failure too, unless the check already failed.
    failure ??= error
  } finally {
    if (options.fixture === undefined) fixture.remove()
  }
  if (failure !== undefined) {
    const reason = failure instanceof Error ? failure.message : String(failure)
    throw new Error(`[${check.id}] ${check.title}\n${reason}`, { cause: failure })
  }
}

async function closeWithin(closing: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      closing,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`close() did not resolve in ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
