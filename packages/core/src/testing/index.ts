// @synapse/core/testing — what other packages' tests need, read as a table of contents. Not part
// of the runtime API: import it from tests only.

// The executor conformance suite: every rule of the protocol as data, and its vitest glue.
export { type ConformanceCheck, conformanceChecks } from './conformance/conformance-checks'
export {
  CONFORMANCE_ACTIONS,
  type ConformanceAction,
  type ConformanceFixture,
  createConformanceFixture,
} from './conformance/conformance-fixture'
export type {
  ConformanceHarness,
  ConformanceOptions,
  ExecutorFactory,
} from './conformance/conformance-harness'
export { describeExecutorConformance } from './conformance/describe-executor-conformance'
export {
  type RunConformanceOptions,
  runConformanceCheck,
} from './conformance/run-conformance-check'
// A context for calling an action directly, recording every event it causes.
export {
  createTestContext,
  type TestContext,
  type TestContextOptions,
} from './create-test-context'
// Real plugins on disk, loaded the way a user's plugin is.
export { createTestPlugin, type TestPlugin } from './create-test-plugin'
// A run store in memory that keeps the RunStore contract whole.
export { MemoryRunStore } from './memory-run-store'
export { thrownError } from './thrown-error'
